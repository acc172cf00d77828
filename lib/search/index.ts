// The search interface the app uses: Meilisearch when it answers, Postgres when it does not.
import { db } from "@/lib/db/client";
import { normalizeArxivId, titleKey } from "@/lib/ingest/paper";
import { toSearchDocument } from "./document";
import { engineConfig } from "./engine";
import { isEngineHealthy, searchEngine, toPaperHit } from "./meilisearch";
import { searchPostgres } from "./postgres-search";
import { DOCUMENT_COLUMNS } from "./rows";
import type { DocumentRow } from "./document";
import type { EngineResult, PaperHit, SearchQuery, SearchResult } from "./types";

export type { PaperHit, SearchQuery, SearchResult, SearchSort } from "./types";

type EngineStatus = { degraded: boolean; lastError: string | null; lastErrorAt: string | null };
const status: EngineStatus = { degraded: false, lastError: null, lastErrorAt: null };

/** Whether the last search had to fall back to Postgres, and why. */
export function searchStatus(): EngineStatus {
  return { ...status };
}

/** For /api/health: is Meilisearch answering now, and when did a search last fall back to Postgres? */
export async function searchHealth(): Promise<{ engine: "meilisearch" | "none"; ok: boolean; degraded: boolean; lastFallbackAt: string | null }> {
  const engine = await engineConfig("search").catch(() => undefined);
  const ok = engine ? await isEngineHealthy(engine) : false;
  return { engine: engine ? "meilisearch" : "none", ok, degraded: !ok, lastFallbackAt: status.lastErrorAt };
}

/** The paper a query names outright: an arXiv id or URL (any version), or an exact title. */
async function exactMatch(q: string): Promise<PaperHit | undefined> {
  const id = normalizeArxivId(q);
  const { rows } = await db.pool.query<DocumentRow>(
    id
      ? `SELECT ${DOCUMENT_COLUMNS} FROM paper p WHERE p.id = $1`
      : `SELECT ${DOCUMENT_COLUMNS} FROM paper p WHERE lower(p.title) = $1 ORDER BY p.listed_rank DESC LIMIT 1`,
    [id ?? titleKey(q)],
  );
  const row = rows[0];
  return row ? toPaperHit(toSearchDocument(row)) : undefined;
}

function pinFirst(result: EngineResult, pinned: PaperHit | undefined, query: SearchQuery): EngineResult {
  if (!pinned) return result;
  const rest = result.hits.filter((hit) => hit.id !== pinned.id);
  if (query.offset > 0) return { hits: rest, total: result.total };
  const found = rest.length < result.hits.length;
  // Keep a matching highlight when the engine returned the paper too.
  const hit = result.hits.find((item) => item.id === pinned.id) ?? pinned;
  return { hits: [hit, ...rest].slice(0, query.limit), total: found ? result.total : result.total + 1 };
}

export async function searchPapers(query: SearchQuery): Promise<SearchResult> {
  const started = performance.now();
  const pinned = query.offset === 0 ? exactMatch(query.q) : Promise.resolve(undefined);
  let result: EngineResult;
  let degraded = false;
  try {
    const engine = await engineConfig("search");
    if (!engine) throw new Error("no Meilisearch configured");
    result = await searchEngine(engine, query);
    status.degraded = false;
  } catch (error) {
    degraded = true;
    Object.assign(status, { degraded: true, lastError: (error as Error).message, lastErrorAt: new Date().toISOString() });
    result = await searchPostgres(db.pool, query);
  }
  const final = pinFirst(result, await pinned, query);
  return { items: final.hits, total: final.total, offset: query.offset, limit: query.limit, degraded, tookMs: Math.round(performance.now() - started) };
}
