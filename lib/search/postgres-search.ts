// Search answered by Postgres when Meilisearch is unreachable: the store's full-text and title-trigram matches as PaperHits.
import type pg from "pg";
import { normalizeArxivId } from "@/lib/papers/identity";
import { toSearchDocument } from "./document";
import { toPaperHit } from "./hits";
import { fallbackSearchRows, type FallbackMatch } from "./store";
import type { EngineResult, SearchQuery } from "./types";

/** An arXiv id names one paper; no words at all means every paper (within the filters); anything else is words. */
export function fallbackMatch(q: string): FallbackMatch {
  const paperId = normalizeArxivId(q);
  if (paperId) return { paperId };
  return q.trim() ? { words: q } : { everything: true };
}

export async function searchPostgres(pool: pg.Pool, query: SearchQuery): Promise<EngineResult> {
  const rows = await fallbackSearchRows(pool, query, fallbackMatch(query.q));
  const hits = rows.map((row) => toPaperHit(toSearchDocument(row), { title: row.markedTitle, abstract: row.markedAbstract }));
  return { hits, total: rows[0]?.total ?? 0 };
}
