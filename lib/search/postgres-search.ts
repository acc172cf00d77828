// Search answered by Postgres when Meilisearch is unreachable: the store's full-text and title-trigram matches as PaperHits.
import type pg from "pg";
import { toSearchDocument } from "./document";
import { toPaperHit } from "./hits";
import { fallbackSearchRows } from "./store";
import type { EngineResult, SearchQuery } from "./types";

export async function searchPostgres(pool: pg.Pool, query: SearchQuery): Promise<EngineResult> {
  const rows = await fallbackSearchRows(pool, query);
  const hits = rows.map((row) => toPaperHit(toSearchDocument(row), { title: row.markedTitle, abstract: row.markedAbstract }));
  return { hits, total: rows[0]?.total ?? 0 };
}
