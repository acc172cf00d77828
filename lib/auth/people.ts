// People: an email address that opened a link we mailed to it. Created when a link is confirmed,
// never when one is merely asked for, so an address typed by someone else leaves nothing behind.
import type pg from "pg";
import { db } from "@/lib/db/client";

/** The person for a verified address (created on first verification); marks it verified now. */
export async function verifyPerson(email: string, client: pg.Pool | pg.PoolClient = db.pool): Promise<bigint> {
  const { rows } = await client.query<{ id: string }>(
    `INSERT INTO person (email) VALUES ($1) ON CONFLICT (email) DO UPDATE SET verified_at = now() RETURNING id::text`,
    [email],
  );
  return BigInt(rows[0]!.id);
}
