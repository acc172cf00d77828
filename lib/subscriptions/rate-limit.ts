// Limits against email bombing, kept in Postgres (rate-limiter-flexible's Postgres store) so every
// web process shares them: per submitted address and per client IP.
import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import { db } from "@/lib/db/client";

export const SUBSCRIBE_LIMITS = {
  /** Confirmation mails one address can be sent. */
  address: { points: 3, duration: 24 * 3600 },
  /** Subscribe requests from one IP. */
  ip: { points: 10, duration: 3600 },
} as const;

type Limiters = { address: RateLimiterPostgres; ip: RateLimiterPostgres };
const globalForLimits = globalThis as unknown as { trendingPapersLimits?: Limiters };

function limiter(keyPrefix: string, limit: { points: number; duration: number }): RateLimiterPostgres {
  return new RateLimiterPostgres({
    storeClient: db.pool,
    storeType: "pool",
    tableName: "rate_limit",
    // The table comes from a migration; expired rows are overwritten in place, so no cleanup timer.
    tableCreated: true,
    clearExpiredByTimeout: false,
    keyPrefix,
    points: limit.points,
    duration: limit.duration,
  });
}

function limiters(): Limiters {
  return (globalForLimits.trendingPapersLimits ??= {
    address: limiter("subscribe-address", SUBSCRIBE_LIMITS.address),
    ip: limiter("subscribe-ip", SUBSCRIBE_LIMITS.ip),
  });
}

/** Forgets the limiters (their pool is closed between integration test files). */
export function resetLimiters(): void {
  globalForLimits.trendingPapersLimits = undefined;
}

/** Takes one point from each applicable limit; the seconds to wait when one is exhausted. */
export async function consumeSubscribeLimits(email: string, ip: string | undefined): Promise<{ ok: true } | { ok: false; retryAfterSeconds: number }> {
  const { address, ip: perIp } = limiters();
  try {
    if (ip) await perIp.consume(ip);
    await address.consume(email);
    return { ok: true };
  } catch (error) {
    if (error instanceof RateLimiterRes) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(error.msBeforeNext / 1000)) };
    throw error;
  }
}
