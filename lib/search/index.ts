// The search interface the app uses: Meilisearch when it answers, Postgres when it does not.
import { db } from "@/lib/db/client";
import { countEvent, markTime } from "@/lib/metrics/events";
import { normalizeArxivId } from "@/lib/papers/identity";
import { toSearchDocument } from "./document";
import { engineConfig } from "./engine";
import { toPaperHit } from "./hits";
import { isEngineHealthy, searchEngine } from "./meilisearch";
import { askSearchEngine, breakerStatus, type BreakerStatus } from "./outage";
import { searchPostgres } from "./postgres-search";
import { exactMatchRow } from "./store";
import type { EngineResult, PaperHit, SearchQuery, SearchResult } from "./types";

export type { PaperHit, SearchQuery, SearchResult, SearchSort } from "./types";

// When a search last fell back to Postgres, for /api/health.
const status = { lastFallbackAt: null as string | null };

export type SearchHealth = { engine: "meilisearch" | "none"; ok: boolean; degraded: boolean; lastFallbackAt: string | null; breaker: BreakerStatus };

/**
 * For /api/health: is Meilisearch answering now, when did a search last fall back to Postgres, and
 * is the breaker keeping searches away from Meilisearch (degraded while it is open)?
 */
export async function searchHealth(): Promise<SearchHealth> {
  const engine = await engineConfig("search").catch(() => undefined);
  const ok = engine ? await isEngineHealthy(engine) : false;
  const breaker = breakerStatus();
  return { engine: engine ? "meilisearch" : "none", ok, degraded: !ok || breaker.state === "open", lastFallbackAt: status.lastFallbackAt, breaker };
}

/** The paper the query names by arXiv id or exact title (one index probe: paper_pkey or paper_title_lower_idx). */
async function exactMatch(query: SearchQuery): Promise<PaperHit | undefined> {
  const id = normalizeArxivId(query.q);
  if (!id && query.q.length < 8) return undefined; // too short to be anyone's exact title
  const row = await exactMatchRow(db.pool, id ? { id } : { title: query.q }, query);
  return row ? toPaperHit(toSearchDocument(row)) : undefined;
}

/**
 * Puts the named paper above the results of the first page (keeping the engine's highlights when
 * it found the paper too) and leaves it out of every page, so paging neither repeats nor skips.
 */
function pinFirst(result: EngineResult, pinned: PaperHit | undefined, query: SearchQuery): EngineResult {
  if (!pinned) return result;
  const rest = result.hits.filter((hit) => hit.id !== pinned.id);
  if (query.offset > 0) return { hits: rest, total: result.total };
  const hit = result.hits.find((item) => item.id === pinned.id) ?? pinned;
  return { hits: [hit, ...rest], total: rest.length < result.hits.length ? result.total : result.total + 1 };
}

export async function searchPapers(query: SearchQuery): Promise<SearchResult> {
  const started = performance.now();
  // Looked up alongside the engine; a failure only loses the pin, never the search.
  const pinned = exactMatch(query).catch((error: unknown) => {
    console.error("search: the exact-match lookup failed:", (error as Error).message);
    return undefined;
  });
  let result: EngineResult;
  let degraded = false;
  let unanswered = false;
  try {
    result = await askSearchEngine((engine) => searchEngine(engine, query));
  } catch {
    degraded = true;
    status.lastFallbackAt = new Date().toISOString();
    markTime("searchFallback");
    try {
      result = await searchPostgres(db.pool, query);
      countEvent("searchFallbacks", { outcome: "answered" });
    } catch (error) {
      countEvent("searchFallbacks", { outcome: "failed" });
      // Both engines failed (the fallback has a time limit): an empty, degraded answer, not a 500.
      console.error("search fallback failed:", (error as Error).message);
      result = { hits: [], total: 0 };
      unanswered = true;
    }
  }
  const final = pinFirst(result, await pinned, query);
  return {
    items: final.hits, total: final.total, offset: query.offset, limit: query.limit, degraded, tookMs: Math.round(performance.now() - started),
    ...(unanswered ? { unanswered: true as const } : {}),
  };
}
