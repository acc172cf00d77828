// Server-side sessions: a row per signed-in browser, revocable; the cookie holds a random token and
// the database only its SHA-256, so a copy of the table signs nobody in.
import { createHash, randomBytes } from "node:crypto";
import { db } from "@/lib/db/client";

export const SESSION_COOKIE = "tp_session";
/** Signed in for 90 days from the link, unless signed out. */
export const SESSION_TTL_MS = 90 * 24 * 3_600_000;
/** last_seen_at is written at most this often per session (one write per hour, not per page). */
const SEEN_RESOLUTION_MS = 3_600_000;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export type SessionPerson = { sessionId: bigint; personId: bigint; email: string };

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}

/** Cookie attributes: httpOnly, SameSite=Lax, Secure on an https site, for as long as the session. */
export function sessionCookieOptions(appUrl: string, expiresAt: Date) {
  return { httpOnly: true, sameSite: "lax" as const, secure: appUrl.startsWith("https:"), path: "/", expires: expiresAt };
}

export async function createSession(personId: bigint, client: { ip?: string; userAgent?: string } = {}): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  await db.pool.query(`INSERT INTO session (token_hash, person_id, expires_at, ip, user_agent) VALUES ($1, $2, $3, $4, $5)`, [
    hashToken(token),
    personId.toString(),
    expiresAt,
    client.ip ?? null,
    client.userAgent?.slice(0, 300) ?? null,
  ]);
  return { token, expiresAt };
}

/** The person behind a session cookie, or null when it is missing, unknown, expired or signed out. */
export async function findSession(token: string | undefined): Promise<SessionPerson | null> {
  if (!token || !TOKEN_PATTERN.test(token)) return null;
  const { rows } = await db.pool.query<{ id: string; personId: string; email: string; lastSeenAt: Date }>(
    `SELECT s.id::text, s.person_id::text AS "personId", p.email, s.last_seen_at AS "lastSeenAt"
     FROM session s JOIN person p ON p.id = s.person_id
     WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now()`,
    [hashToken(token)],
  );
  const row = rows[0];
  if (!row) return null;
  if (Date.now() - row.lastSeenAt.getTime() > SEEN_RESOLUTION_MS) {
    await db.pool.query(`UPDATE session SET last_seen_at = now() WHERE id = $1`, [row.id]);
  }
  return { sessionId: BigInt(row.id), personId: BigInt(row.personId), email: row.email };
}

/** Signs this browser out. */
export async function revokeSession(token: string | undefined): Promise<void> {
  if (!token || !TOKEN_PATTERN.test(token)) return;
  await db.pool.query(`UPDATE session SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL`, [hashToken(token)]);
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
