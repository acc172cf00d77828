// Limits against email bombing, shared by every web process through Postgres: per submitted
// address and per client IP.
import { consumeLimits, type LimitCheck } from "@/lib/rate-limit";

export { resetLimiters } from "@/lib/rate-limit";

export const SUBSCRIBE_LIMITS = {
  /** Confirmation mails one address can be sent. */
  address: { points: 3, duration: 24 * 3600 },
  /** Subscribe requests from one IP. */
  ip: { points: 10, duration: 3600 },
} as const;

/** Takes one point from each applicable limit; the seconds to wait when one is exhausted. */
export function consumeSubscribeLimits(email: string, ip: string | undefined): Promise<LimitCheck> {
  return consumeLimits([
    { name: "subscribe-ip", limit: SUBSCRIBE_LIMITS.ip, key: ip },
    { name: "subscribe-address", limit: SUBSCRIBE_LIMITS.address, key: email },
  ]);
}
