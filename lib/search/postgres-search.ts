// Search answered by Postgres when Meilisearch is unreachable: full-text on title and abstract, trigrams on titles.
import type pg from "pg";
import { HIGHLIGHT_END, HIGHLIGHT_START, type DocumentRow } from "./document";
import { DOCUMENT_COLUMNS } from "./rows";
import { toPaperHit } from "./hits";
import { toSearchDocument } from "./document";
import type { EngineResult, SearchQuery } from "./types";

// p.search_vector is a stored, weighted tsvector (title A, abstract B) served by paper_search_fts_idx;
// titles are matched by trigrams through paper_search_title_trgm_idx (see the search migrations).
const ORDER = {
  relevance: `rank DESC, id`,
  newest: `listed_at DESC NULLS LAST, rank DESC, id`,
  votes: `votes DESC, rank DESC, id`,
} as const;

const FALLBACK_TIMEOUT_MS = 5_000;

const TITLE_HEADLINE = `StartSel="${HIGHLIGHT_START}", StopSel="${HIGHLIGHT_END}", HighlightAll=true`;
const ABSTRACT_HEADLINE = `StartSel="${HIGHLIGHT_START}", StopSel="${HIGHLIGHT_END}", MaxWords=50, MinWords=25, MaxFragments=1, FragmentDelimiter=" … "`;

/** SQL conditions on paper `p` for the query's filters; their values are appended to `params`. */
export function filterSql(query: SearchQuery, params: unknown[]): string[] {
  const where: string[] = [];
  if (query.categories?.length) where.push(`p.categories && $${params.push(query.categories)}::text[]`);
  if (query.from) where.push(`p.listed_at >= $${params.push(query.from)}::date`);
  if (query.to) where.push(`p.listed_at <= $${params.push(query.to)}::date`);
  if (query.hasCode !== undefined) where.push(query.hasCode ? `p.github_repo IS NOT NULL` : `p.github_repo IS NULL`);
  return where;
}

export async function searchPostgres(pool: pg.Pool, query: SearchQuery): Promise<EngineResult> {
  const params: unknown[] = [query.q, query.q.toLowerCase(), query.limit, query.offset, TITLE_HEADLINE, ABSTRACT_HEADLINE];
  // An empty query (filters only) matches every paper, as it does in Meilisearch. The match is
  // left out of the SQL rather than OR-ed with "q is empty", which would stop index use.
  const match = query.q ? [`(p.search_vector @@ q.tsq OR lower(p.title) % q.raw OR q.raw <% lower(p.title))`] : [];
  const where = [...match, ...filterSql(query, params)];
  if (where.length === 0) where.push("true");
  const client = await pool.connect();
  try {
    // A fallback query must not hold a connection for long while Meilisearch is down.
    await client.query(`BEGIN READ ONLY; SET LOCAL statement_timeout = ${FALLBACK_TIMEOUT_MS}`);
    // Matches are ranked from the stored vector and the title alone; only the page's rows are
    // read in full and get headlines, and the total is counted from the same matches.
    const { rows } = await client.query<DocumentRow & { markedTitle: string; markedAbstract: string; total: number }>(
      `WITH q AS (SELECT websearch_to_tsquery('english', $1) AS tsq, $2::text AS raw),
       matches AS MATERIALIZED (
         SELECT p.id, p.listed_at, p.source_upvotes + p.local_upvotes AS votes,
           greatest(ts_rank_cd(p.search_vector, q.tsq), word_similarity(q.raw, lower(p.title)), similarity(lower(p.title), q.raw)) AS rank
         FROM paper p, q WHERE ${where.join(" AND ")}
       ),
       page AS (SELECT id, row_number() OVER (ORDER BY ${ORDER[query.sort]}) AS ord FROM matches ORDER BY ord LIMIT $3 OFFSET $4)
       SELECT ${DOCUMENT_COLUMNS},
         ts_headline('english', p.title, q.tsq, $5) AS "markedTitle",
         ts_headline('english', p.abstract, q.tsq, $6) AS "markedAbstract",
         (SELECT count(*) FROM matches)::int AS total
       FROM page JOIN paper p ON p.id = page.id, q
       ORDER BY page.ord`,
      params,
    );
    await client.query("COMMIT");
    const hits = rows.map((row) => toPaperHit(toSearchDocument(row), { title: row.markedTitle, abstract: row.markedAbstract }));
    return { hits, total: rows[0]?.total ?? 0 };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
