// The private feed's secret, `f.<subscriber id>.<signature>`: the signature covers the id and the
// subscriber's feed nonce, so a new nonce (resetFeedNonce) retires the old address. No expiry: a feed
// reader keeps one URL for years. Pure given the secret.
import { sign, verify } from "@/lib/mail/tokens";

const FEED_TOKEN = /^f\.(\d{1,19})\.([A-Za-z0-9_-]{32})$/;

function payload(subscriberId: bigint, nonce: string): string {
  return `f.${subscriberId}.${nonce}`;
}

export function feedToken(secret: string, subscriberId: bigint, nonce: string): string {
  return `f.${subscriberId}.${sign(secret, payload(subscriberId, nonce))}`;
}

/** Whose feed a token claims to be (unchecked: the nonce to check it with is that subscriber's). */
export function feedTokenSubscriber(token: string): bigint | null {
  const match = FEED_TOKEN.exec(token);
  return match ? BigInt(match[1]!) : null;
}

/** The subscriber a token opens, when it was signed for that subscriber's current nonce. */
export function readFeedToken(secret: string, token: string, nonce: string | null): { subscriberId: bigint } | null {
  const match = FEED_TOKEN.exec(token);
  if (!match || !nonce) return null;
  const subscriberId = BigInt(match[1]!);
  return verify(secret, payload(subscriberId, nonce), match[2]!) ? { subscriberId } : null;
}
