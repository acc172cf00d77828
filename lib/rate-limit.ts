// Request limits (rate-limiter-flexible). By default kept in Postgres (its Postgres store, table
// from a migration) so every web process shares them; a limit may instead live in this process's
// memory, where a database round trip per request would cost more than the limit protects.
// Each feature declares its limits; a request takes one point from each.
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { db } from "@/lib/db/client";

export type Limit = { points: number; duration: number; store?: "postgres" | "memory" };
export type LimitCheck = { ok: true } | { ok: false; retryAfterSeconds: number };

const globalForLimits = globalThis as unknown as { trendingPapersLimiters?: Map<string, RateLimiterAbstract> };

function limiter(keyPrefix: string, limit: Limit): RateLimiterAbstract {
  const limiters = (globalForLimits.trendingPapersLimiters ??= new Map());
  const name = `${keyPrefix}:${limit.points}/${limit.duration}:${limit.store ?? "postgres"}`;
  let found = limiters.get(name);
  if (!found && limit.store === "memory") {
    found = new RateLimiterMemory({ keyPrefix, points: limit.points, duration: limit.duration });
    limiters.set(name, found);
  }
  if (!found) {
    found = new RateLimiterPostgres({
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
    limiters.set(name, found);
  }
  return found;
}

/** Forgets the limiters (their pool is closed between integration test files). */
export function resetLimiters(): void {
  globalForLimits.trendingPapersLimiters = undefined;
}

/**
 * Takes one point from each limit whose key is known, in order; stops at the first exhausted one
 * and says how long to wait.
 */
export async function consumeLimits(checks: { name: string; limit: Limit; key: string | undefined }[]): Promise<LimitCheck> {
  try {
    for (const check of checks) if (check.key) await limiter(check.name, check.limit).consume(check.key);
    return { ok: true };
  } catch (error) {
    if (error instanceof RateLimiterRes) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(error.msBeforeNext / 1000)) };
    throw error;
  }
}
