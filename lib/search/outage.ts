// Remembers a Meilisearch outage in this process: while its breaker is open, searches go straight to the fallback.
import { env } from "@/lib/env";
import { admit, breakerState, CLOSED, recordFailure, recordSuccess, type Breaker, type BreakerState } from "./breaker";
import { engineConfig, searchTarget } from "./engine";
import { isQueryError, SearchEngineError, type EngineConfig } from "./meilisearch";

// One breaker per engine and index, shared (like the connection) by every copy of this module a build holds.
const globalForBreakers = globalThis as unknown as { trendingPapersBreakers?: Map<string, Breaker> };
const breakers = (globalForBreakers.trendingPapersBreakers ??= new Map<string, Breaker>());

export type BreakerStatus = { state: BreakerState; openUntil: string | null; lastFailureAt: string | null };

/**
 * Runs `ask` against the search engine, unless it failed within SEARCH_BREAKER_MS (then only one
 * search at a time probes it). Rejects, for the caller to fall back, when no engine is configured,
 * its breaker is open, or `ask` fails; a failure or timeout of `ask` opens the breaker.
 */
export async function askSearchEngine<T>(ask: (engine: EngineConfig) => Promise<T>): Promise<T> {
  const target = searchTarget();
  if (!target) throw new SearchEngineError("no Meilisearch configured");
  const options = { openMs: env.SEARCH_BREAKER_MS };
  const admission = admit(breakers.get(target) ?? CLOSED, Date.now(), options);
  breakers.set(target, admission.breaker);
  if (!admission.allowed) throw new SearchEngineError("Meilisearch failed recently; skipped until the breaker lets a probe through");
  try {
    const engine = await engineConfig("search");
    if (!engine) throw new SearchEngineError("no Meilisearch configured");
    const result = await ask(engine);
    breakers.set(target, recordSuccess(breakers.get(target) ?? CLOSED));
    return result;
  } catch (error) {
    const current = breakers.get(target) ?? CLOSED;
    // An answer refusing just this query still shows that the engine is up.
    breakers.set(target, isQueryError(error) ? recordSuccess(current) : recordFailure(current, Date.now(), admission.probe, options));
    throw error;
  }
}

/** For /api/health: the breaker of the engine searches go to now. */
export function breakerStatus(): BreakerStatus {
  const target = searchTarget();
  const breaker = (target && breakers.get(target)) || CLOSED;
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return { state: breakerState(breaker, Date.now()), openUntil: iso(breaker.openUntil), lastFailureAt: iso(breaker.lastFailureAt) };
}
