// Signed links in mails: a confirmation link and a sign-in link (expiring, single use through a
// nonce kept in Postgres) and an unsubscribe link (no expiry, so it works in any old digest).
// HMAC-SHA256, pure given the secret.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export const CONFIRM_TTL_MS = 48 * 3_600_000;
/** A sign-in link is for now, not for later: an hour. */
export const SIGN_IN_TTL_MS = 3_600_000;

export type TokenCheck<T> = { ok: true; value: T } | { ok: false; reason: "malformed" | "bad-signature" | "expired" };

/** HMAC-SHA256 of a payload, base64url, 32 characters (also signs the visitor cookie of votes). */
export function sign(secret: string, payload: string): string {
  return createHmac("sha256", secret).update(payload).digest("base64url").slice(0, 32);
}

export function verify(secret: string, payload: string, signature: string): boolean {
  const expected = Buffer.from(sign(secret, payload));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export function newNonce(): string {
  return randomBytes(12).toString("base64url");
}

/** `<kind>.<id>.<nonce>.<expiry, seconds base 36>.<signature>`: a single-use link that expires. */
function expiringToken(kind: "c" | "s", secret: string, id: bigint, nonce: string, expiresAt: number): string {
  const payload = `${kind}.${id}.${nonce}.${Math.floor(expiresAt / 1000).toString(36)}`;
  return `${payload}.${sign(secret, payload)}`;
}

const EXPIRING = { c: /^(c\.(\d{1,19})\.([A-Za-z0-9_-]{16})\.([0-9a-z]{1,10}))\.([A-Za-z0-9_-]{32})$/, s: /^(s\.(\d{1,19})\.([A-Za-z0-9_-]{16})\.([0-9a-z]{1,10}))\.([A-Za-z0-9_-]{32})$/ };

function readExpiringToken(kind: "c" | "s", secret: string, token: string, now: number): TokenCheck<{ id: bigint; nonce: string }> {
  const match = EXPIRING[kind].exec(token);
  if (!match) return { ok: false, reason: "malformed" };
  const [, payload, id, nonce, expiry, signature] = match;
  if (!verify(secret, payload!, signature!)) return { ok: false, reason: "bad-signature" };
  if (parseInt(expiry!, 36) * 1000 < now) return { ok: false, reason: "expired" };
  return { ok: true, value: { id: BigInt(id!), nonce: nonce! } };
}

/** A subscription's confirmation link: `c.<subscriber id>.<nonce>.<expiry>.<signature>`, 48 hours. */
export function confirmToken(secret: string, subscriberId: bigint, nonce: string, now = Date.now()): string {
  return expiringToken("c", secret, subscriberId, nonce, now + CONFIRM_TTL_MS);
}

export function readConfirmToken(secret: string, token: string, now = Date.now()): TokenCheck<{ subscriberId: bigint; nonce: string }> {
  const check = readExpiringToken("c", secret, token, now);
  return check.ok ? { ok: true, value: { subscriberId: check.value.id, nonce: check.value.nonce } } : check;
}

/** `u.<subscriber id>.<signature>`: valid as long as the secret is. */
export function unsubscribeToken(secret: string, subscriberId: bigint): string {
  const payload = `u.${subscriberId}`;
  return `${payload}.${sign(secret, payload)}`;
}

export function readUnsubscribeToken(secret: string, token: string): TokenCheck<{ subscriberId: bigint }> {
  const match = /^(u\.(\d{1,19}))\.([A-Za-z0-9_-]{32})$/.exec(token);
  if (!match) return { ok: false, reason: "malformed" };
  const [, payload, id, signature] = match;
  if (!verify(secret, payload!, signature!)) return { ok: false, reason: "bad-signature" };
  return { ok: true, value: { subscriberId: BigInt(id!) } };
}

/** A sign-in link: `s.<sign-in link id>.<nonce>.<expiry>.<signature>`, one hour. */
export function signInToken(secret: string, linkId: bigint, nonce: string, now = Date.now()): string {
  return expiringToken("s", secret, linkId, nonce, now + SIGN_IN_TTL_MS);
}

export function readSignInToken(secret: string, token: string, now = Date.now()): TokenCheck<{ linkId: bigint; nonce: string }> {
  const check = readExpiringToken("s", secret, token, now);
  return check.ok ? { ok: true, value: { linkId: check.value.id, nonce: check.value.nonce } } : check;
}

/** The "change your digest" link in a digest mail works this long: past the next weekly digest. */
export const MANAGE_TTL_MS = 14 * 24 * 3_600_000;

/**
 * `m.<subscriber id>.<expiry>.<signature>`: opens that subscriber's digest preferences, and nothing
 * else (no session, no votes), for MANAGE_TTL_MS.
 */
export function manageToken(secret: string, subscriberId: bigint, now = Date.now()): string {
  const payload = `m.${subscriberId}.${Math.floor((now + MANAGE_TTL_MS) / 1000).toString(36)}`;
  return `${payload}.${sign(secret, payload)}`;
}

export function readManageToken(secret: string, token: string, now = Date.now()): TokenCheck<{ subscriberId: bigint }> {
  const match = /^(m\.(\d{1,19})\.([0-9a-z]{1,10}))\.([A-Za-z0-9_-]{32})$/.exec(token);
  if (!match) return { ok: false, reason: "malformed" };
  const [, payload, id, expiry, signature] = match;
  if (!verify(secret, payload!, signature!)) return { ok: false, reason: "bad-signature" };
  if (parseInt(expiry!, 36) * 1000 < now) return { ok: false, reason: "expired" };
  return { ok: true, value: { subscriberId: BigInt(id!) } };
}
