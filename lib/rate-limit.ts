// Request limits (rate-limiter-flexible). By default kept in Postgres (its Postgres store, table
// from a migration) so every web process shares them; a limit may instead live in this process's
// memory, where a database round trip per request would cost more than the limit protects.
// Each feature declares its limits; a request takes one point from each. A limit that cannot tell
// who is asking (its key unknown) refuses: an unidentified request must not bypass it.
import { RateLimiterMemory, RateLimiterPostgres, type RateLimiterAbstract } from "rate-limiter-flexible";
import { db } from "@/lib/db/client";
import { countEvent } from "@/lib/metrics/events";

export type Limit = { points: number; duration: number; store?: "postgres" | "memory" };
/** Why a request was refused: a limit was used up, or a limit's key (e.g. the client's IP) was unknown. */
export type LimitRefusal = "exhausted" | "unknown-key";
/** A refusal names the limit (its `name`) and how long to wait. */
export type LimitRefused = { ok: false; reason: LimitRefusal; limit: string; retryAfterSeconds: number };
export type LimitCheck = { ok: true } | LimitRefused;

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
      // The table comes from a migration; expired rows are overwritten in place and the rest are
      // deleted by a scheduled job (deleteExpiredLimits), not by a timer in every web process.
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
 * Whether a limiter's rejection is its answer "used up" (a RateLimiterRes) rather than an error.
 * Told by its shape, not its class: the web server's own code and Next's routes share the limiters
 * (on globalThis), and the class is one only while both load one copy of the package
 * (next.config.ts keeps it out of Next's bundle for that); a bundled copy would reject with a class
 * of its own.
 */
function isExhausted(error: unknown): error is { msBeforeNext: number } {
  return typeof error === "object" && error !== null && !(error instanceof Error) && typeof (error as { msBeforeNext?: unknown }).msBeforeNext === "number";
}

/**
 * Takes one point from each limit, in order; stops at the first exhausted one and says how long to
 * wait. When any key is unknown nothing is taken and the request is refused: retrying does not help
 * until the caller can be told apart, so the wait given is that limit's window.
 */
export async function consumeLimits(checks: { name: string; limit: Limit; key: string | undefined }[]): Promise<LimitCheck> {
  const unknown = checks.find((check) => !check.key);
  if (unknown) {
    countEvent("rateLimitRefusals", { limit: unknown.name, reason: "unknown-key" });
    return { ok: false, reason: "unknown-key", limit: unknown.name, retryAfterSeconds: Math.max(1, unknown.limit.duration) };
  }
  for (const check of checks) {
    try {
      await limiter(check.name, check.limit).consume(check.key!);
    } catch (error) {
      if (!isExhausted(error)) throw error;
      countEvent("rateLimitRefusals", { limit: check.name, reason: "exhausted" });
      return { ok: false, reason: "exhausted", limit: check.name, retryAfterSeconds: Math.max(1, Math.ceil(error.msBeforeNext / 1000)) };
    }
  }
  return { ok: true };
}

/**
 * Deletes the Postgres store's expired rows (`expire` is epoch ms; rows without one never expire).
 * A row a request is renewing at the same moment is re-checked under its lock and kept.
 */
export async function deleteExpiredLimits(now = Date.now()): Promise<number> {
  const result = await db.pool.query(`DELETE FROM rate_limit WHERE expire <= $1`, [now]);
  return result.rowCount ?? 0;
}
