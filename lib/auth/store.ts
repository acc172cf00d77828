// Every statement of people, sessions and sign-in links, named. Ids come out as bigint, timestamps
// as Date; tokens are hashed and links signed by the callers (sessions.ts, sign-in.ts), never here.
import type pg from "pg";
import { db } from "@/lib/db/client";
import { mailboxKey } from "@/lib/mail/address";

/**
 * The person for a verified address; marks it verified now. A person is created when a mailed link
 * is confirmed, never when one is merely asked for, so an address typed by someone else leaves
 * nothing behind. One person per mailbox: `Ada@`, `ada+papers@` and (at Gmail) `a.da@` are one
 * voter, shown under the address first verified. Takes a transaction's client when in one.
 */
export async function verifyPerson(email: string, client: pg.Pool | pg.PoolClient = db.pool): Promise<bigint> {
  const { rows } = await client.query<{ id: string }>(
    `INSERT INTO person (email, mailbox_key) VALUES ($1, $2) ON CONFLICT (mailbox_key) DO UPDATE SET verified_at = now() RETURNING id::text`,
    [email, mailboxKey(email)],
  );
  return BigInt(rows[0]!.id);
}

export type NewSession = { tokenHash: string; personId: bigint; expiresAt: Date; ip: string | null; userAgent: string | null };

export async function insertSession(session: NewSession): Promise<void> {
  await db.pool.query(`INSERT INTO session (token_hash, person_id, expires_at, ip, user_agent) VALUES ($1, $2, $3, $4, $5)`, [
    session.tokenHash,
    session.personId.toString(),
    session.expiresAt,
    session.ip,
    session.userAgent,
  ]);
}

export type LiveSession = { id: bigint; personId: bigint; email: string; lastSeenAt: Date };

/** The session with this token hash and its person, unless it expired or was signed out. */
export async function findLiveSession(tokenHash: string): Promise<LiveSession | null> {
  const { rows } = await db.pool.query<{ id: string; personId: string; email: string; lastSeenAt: Date }>(
    `SELECT s.id::text, s.person_id::text AS "personId", p.email, s.last_seen_at AS "lastSeenAt"
     FROM session s JOIN person p ON p.id = s.person_id
     WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now()`,
    [tokenHash],
  );
  const row = rows[0];
  return row ? { id: BigInt(row.id), personId: BigInt(row.personId), email: row.email, lastSeenAt: row.lastSeenAt } : null;
}

/** Records that a session was used now. */
export async function touchSession(id: bigint): Promise<void> {
  await db.pool.query(`UPDATE session SET last_seen_at = now() WHERE id = $1`, [id.toString()]);
}

export async function revokeSessionByHash(tokenHash: string): Promise<void> {
  await db.pool.query(`UPDATE session SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL`, [tokenHash]);
}

/** Signs a person out of every browser; the number of sessions ended. */
export async function revokeAllSessions(personId: bigint): Promise<number> {
  const { rowCount } = await db.pool.query(`UPDATE session SET revoked_at = now() WHERE person_id = $1 AND revoked_at IS NULL`, [personId.toString()]);
  return rowCount ?? 0;
}

/** Live sessions of a person (for the account page). */
export async function countSessions(personId: bigint): Promise<number> {
  const { rows } = await db.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM session WHERE person_id = $1 AND revoked_at IS NULL AND expires_at > now()`,
    [personId.toString()],
  );
  return rows[0]?.n ?? 0;
}

export type NewSignInLink = { email: string; nonce: string; ttlMs: number; votePaperId: string | null; nextPath: string | null };

/**
 * Stores a link, expiring `ttlMs` from now; its id, and the title of the paper whose vote waits for
 * it (looked up here so the mail can name it: an unknown paper id is stored as none, never voted on).
 */
export async function insertSignInLink(link: NewSignInLink): Promise<{ id: bigint; paperTitle: string | null }> {
  const { rows } = await db.pool.query<{ id: string; title: string | null }>(
    `INSERT INTO sign_in_link (email, nonce, expires_at, vote_paper_id, next_path)
     VALUES ($1, $2, now() + make_interval(secs => $3::double precision / 1000), (SELECT id FROM paper WHERE id = $4), $5)
     RETURNING id::text, (SELECT title FROM paper WHERE id = $4) AS title`,
    [link.email, link.nonce, link.ttlMs, link.votePaperId, link.nextPath],
  );
  const row = rows[0]!;
  return { id: BigInt(row.id), paperTitle: row.title };
}

export type SignInLinkRow = { email: string; usedAt: Date | null; paperTitle: string | null };

/** A link by id and nonce, used or not, expired or not (the row says which), or null. */
export async function findSignInLink(id: bigint, nonce: string): Promise<SignInLinkRow | null> {
  const { rows } = await db.pool.query<SignInLinkRow>(
    `SELECT l.email, l.used_at AS "usedAt", p.title AS "paperTitle" FROM sign_in_link l LEFT JOIN paper p ON p.id = l.vote_paper_id WHERE l.id = $1 AND l.nonce = $2`,
    [id.toString(), nonce],
  );
  return rows[0] ?? null;
}

export type ConsumedSignInLink = { email: string; votePaperId: string | null; nextPath: string | null };

/** Marks a link used, if it is unused and unexpired (once: a second call gets null). */
export async function consumeSignInLink(id: bigint, nonce: string): Promise<ConsumedSignInLink | null> {
  const { rows } = await db.pool.query<ConsumedSignInLink>(
    `UPDATE sign_in_link SET used_at = now() WHERE id = $1 AND nonce = $2 AND used_at IS NULL AND expires_at > now()
     RETURNING email, vote_paper_id AS "votePaperId", next_path AS "nextPath"`,
    [id.toString(), nonce],
  );
  return rows[0] ?? null;
}
