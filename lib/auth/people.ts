// People: an email address that opened a link we mailed to it. Created when a link is confirmed,
// never when one is merely asked for, so an address typed by someone else leaves nothing behind.
import type pg from "pg";
import { db } from "@/lib/db/client";
import { mailboxKey } from "@/lib/mail/address";

/**
 * The person for a verified address (created on first verification); marks it verified now. One
 * person per mailbox: `Ada@`, `ada+papers@` and (at Gmail) `a.da@` are one voter, shown under the
 * address first verified.
 */
export async function verifyPerson(email: string, client: pg.Pool | pg.PoolClient = db.pool): Promise<bigint> {
  const { rows } = await client.query<{ id: string }>(
    `INSERT INTO person (email, mailbox_key) VALUES ($1, $2) ON CONFLICT (mailbox_key) DO UPDATE SET verified_at = now() RETURNING id::text`,
    [email, mailboxKey(email)],
  );
  return BigInt(rows[0]!.id);
}
