// Server-side sessions: a row per signed-in browser, revocable; the cookie holds a random token and
// the database only its SHA-256, so a copy of the table signs nobody in.
import { createHash, randomBytes } from "node:crypto";
import { findLiveSession, insertSession, revokeSessionByHash, touchSession } from "./store";

export { countSessions, revokeAllSessions } from "./store";

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
  await insertSession({ tokenHash: hashToken(token), personId, expiresAt, ip: client.ip ?? null, userAgent: client.userAgent?.slice(0, 300) ?? null });
  return { token, expiresAt };
}

/** The person behind a session cookie, or null when it is missing, unknown, expired or signed out. */
export async function findSession(token: string | undefined): Promise<SessionPerson | null> {
  if (!token || !TOKEN_PATTERN.test(token)) return null;
  const session = await findLiveSession(hashToken(token));
  if (!session) return null;
  if (Date.now() - session.lastSeenAt.getTime() > SEEN_RESOLUTION_MS) await touchSession(session.id);
  return { sessionId: session.id, personId: session.personId, email: session.email };
}

/** Signs this browser out. */
export async function revokeSession(token: string | undefined): Promise<void> {
  if (!token || !TOKEN_PATTERN.test(token)) return;
  await revokeSessionByHash(hashToken(token));
}
