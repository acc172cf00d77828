// Every statement search runs in Postgres, named: the rows search documents are built from, the
// exact-match and fallback lookups, the outbox of papers to push, and the lock one syncer holds.
import type pg from "pg";
import { preparedName } from "@/lib/db/prepared";
import { HIGHLIGHT_END, HIGHLIGHT_START, type DocumentRow } from "./document";
import type { SearchQuery } from "./types";

type Queryable = pg.Pool | pg.PoolClient;

const INDEXED = `p.title, p.abstract, p.authors, p.categories, p.listed_at, p.published_at,
  p.source_upvotes + p.local_upvotes, p.github_repo, p.github_stars, p.project_page`;

// The checksum covers exactly the indexed fields, so reconcile can tell a stale document.
const DOCUMENT_COLUMNS = `p.id AS "paperId", p.title, p.abstract, p.authors, p.categories,
  p.listed_at::text AS "listedDay", to_char(p.published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "publishedAt",
  p.source_upvotes + p.local_upvotes AS votes, p.github_repo AS "githubRepo", p.github_stars AS "githubStars",
  p.project_page AS "projectPage", md5(row(${INDEXED})::text) AS checksum`;

/** The document rows of these papers (papers that no longer exist are simply absent). */
export async function loadDocumentRows(db: Queryable, paperIds: string[]): Promise<DocumentRow[]> {
  const { rows } = await db.query<DocumentRow>(`SELECT ${DOCUMENT_COLUMNS} FROM paper p WHERE p.id = ANY($1::text[])`, [paperIds]);
  return rows;
}

/** Every paper, in id order, a page at a time (keyset pagination keeps memory flat). */
export async function* allDocumentRows(pool: pg.Pool, pageSize = 5_000): AsyncGenerator<DocumentRow[]> {
  let after = "";
  for (;;) {
    const { rows } = await pool.query<DocumentRow>(`SELECT ${DOCUMENT_COLUMNS} FROM paper p WHERE p.id > $1 ORDER BY p.id LIMIT $2`, [after, pageSize]);
    if (rows.length === 0) return;
    yield rows;
    after = rows[rows.length - 1]!.paperId;
  }
}

/** Every paper's id and checksum, `pageSize` at a time in id order, for reconcile. */
export async function* checksumPages(pool: pg.Pool, pageSize = 5_000): AsyncGenerator<{ id: string; checksum: string }[]> {
  let after = "";
  for (;;) {
    const { rows } = await pool.query<{ id: string; checksum: string }>(
      `SELECT p.id, md5(row(${INDEXED})::text) AS checksum FROM paper p WHERE p.id > $1 ORDER BY p.id LIMIT $2`,
      [after, pageSize],
    );
    if (rows.length === 0) return;
    yield rows;
    after = rows[rows.length - 1]!.id;
  }
}

/** Which of `paperIds` are papers. */
export async function existingPaperIds(db: Queryable, paperIds: string[]): Promise<Set<string>> {
  const { rows } = await db.query<{ id: string }>("SELECT id FROM paper WHERE id = ANY($1::text[])", [paperIds]);
  return new Set(rows.map((row) => row.id));
}

/** SQL conditions on paper `p` for the query's filters; their values are appended to `params`. */
function filterSql(query: SearchQuery, params: unknown[]): string[] {
  const where: string[] = [];
  if (query.categories?.length) where.push(`p.categories && $${params.push(query.categories)}::text[]`);
  if (query.from) where.push(`p.listed_at >= $${params.push(query.from)}::date`);
  if (query.to) where.push(`p.listed_at <= $${params.push(query.to)}::date`);
  if (query.hasCode !== undefined) where.push(query.hasCode ? `p.github_repo IS NOT NULL` : `p.github_repo IS NULL`);
  return where;
}

// Every search runs the exact-match lookup, so it is a named prepared statement (one per combination
// of filters): Postgres parses and plans it once per connection instead of on every search, which
// cost more than the index probe itself.
/**
 * The paper with this id, or else the latest-listed one with exactly this title (case aside), within
 * the query's filters (one index probe: paper_pkey or paper_title_lower_idx).
 */
export async function exactMatchRow(pool: pg.Pool, match: { id: string } | { title: string }, filters: SearchQuery): Promise<DocumentRow | undefined> {
  const params: unknown[] = ["id" in match ? match.id : match.title];
  const where = ["id" in match ? `p.id = $1` : `lower(p.title) = lower($1)`, ...filterSql(filters, params)];
  const text = `SELECT ${DOCUMENT_COLUMNS} FROM paper p WHERE ${where.join(" AND ")} ORDER BY p.listed_rank DESC, p.id LIMIT 1`;
  const { rows } = await pool.query<DocumentRow>({ name: preparedName("search-exact", text), text, values: params });
  return rows[0];
}

// p.search_vector is a stored, weighted tsvector (title A, abstract B) served by paper_search_fts_idx;
// titles are matched by trigrams through paper_search_title_trgm_idx (see the search migrations).
const ORDER = {
  relevance: `rank DESC, id`,
  newest: `listed_at DESC NULLS LAST, rank DESC, id`,
  votes: `votes DESC, rank DESC, id`,
} as const;

const FALLBACK_TIMEOUT_MS = 5_000;

/**
 * How many matching papers the fallback ranks, at most, per way of matching: as many as Meilisearch
 * returns in all (its maxTotalHits). Ranking reads each candidate's vector, so an unbounded set made a
 * common word cost seconds at 100,000 papers; bounded, a query costs about the same at any size.
 */
export const FALLBACK_CANDIDATES = 1_000;

// How similar (pg_trgm) a whole title must be to a query to count as a misspelt copy of it.
const NEAR_COPY = 0.5;

// Title trigrams (a misspelt word) are a last resort, for short queries: fewer candidates.
const SIMILAR_CANDIDATES = 200;

// Candidates are taken newest first, by listing-day slices going back from the latest day (the last
// is everything older, and papers without a day): a common word's first thousand matches are then
// this week's and this month's, not the oldest in the table, and "newest" sorts the newest papers.
// Each slice is a bitmap of the word's matches and-ed with one of the listing day's index.
const SLICES = [7, 31, 366];

const TITLE_HEADLINE = `StartSel="${HIGHLIGHT_START}", StopSel="${HIGHLIGHT_END}", HighlightAll=true`;
const ABSTRACT_HEADLINE = `StartSel="${HIGHLIGHT_START}", StopSel="${HIGHLIGHT_END}", MaxWords=50, MinWords=25, MaxFragments=1, FragmentDelimiter=" … "`;

/** A page of full-text matches: the document row, its title and abstract with highlight markers, and the total. */
export type FallbackRow = DocumentRow & { markedTitle: string; markedAbstract: string; total: number };

/** Which papers a fallback search ranks: the one an arXiv id names, filters alone, or words. */
export type FallbackMatch = { paperId: string } | { words: string } | { everything: true };

/** A lexeme written as tsquery input (quoted; quotes and backslashes doubled), so it is taken as it is. */
function tsqueryLexeme(lexeme: string): string {
  return `'${lexeme.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;
}

/**
 * A title with a typo or two still has most of its words: a query that all of its words but
 * `missing` satisfy, as an OR of ANDs. Hyphenated compounds are left out (their parts are there too,
 * and a typo in one would cost two words), and so are all but the 8 longest words, which keeps the
 * OR small and the words it needs rare. Null when fewer than 3 words would be left (one missing out
 * of 3 to 5 words, two out of 6 or more), where it would match too much.
 */
export function looseTsquery(lexemes: string[], missing: 1 | 2): string | null {
  const words = [...new Set(lexemes.filter((lexeme) => !lexeme.includes("-")))].sort((a, b) => b.length - a.length || (a < b ? -1 : 1)).slice(0, 8);
  if (words.length < (missing === 1 ? 3 : 6)) return null;
  const clauses: string[] = [];
  const keep = (from: number, left: number, kept: string[]): void => {
    if (left === 0) {
      clauses.push(`(${[...kept, ...words.slice(from)].map(tsqueryLexeme).join(" & ")})`);
      return;
    }
    for (let i = from; i <= words.length - left; i++) keep(i + 1, left - 1, [...kept, ...words.slice(from, i)]);
  };
  keep(0, missing, []);
  return clauses.join(" | ");
}

/** Up to `limit` ids of papers matching `condition` (and the filters), newest slices first. */
function newestFirst(condition: string, filters: string, latest: string, limit: number | string): string {
  const bounds = [...SLICES.map((days) => `${latest} - ${days}`), null];
  const slices = bounds.map((bound, i) => {
    const newer = i === 0 ? "" : ` AND p.listed_at <= ${bounds[i - 1]}`;
    const range = bound === null ? `(p.listed_at <= ${bounds[i - 1]} OR p.listed_at IS NULL)` : `p.listed_at > ${bound}${newer}`;
    return `(SELECT p.id FROM paper p WHERE ${condition} AND ${range}${filters} LIMIT ${limit})`;
  });
  return `SELECT id FROM (${slices.join("\n  UNION ALL ")}) slices LIMIT ${limit}`;
}

/**
 * The statement's candidate sets, each bounded, in the order they are looked for: papers with every
 * word in the title (the best), then with them in the abstract as many as the titles left room for, or
 * the id, or the newest papers for filters alone. Only when those are fewer than the page needs:
 * titles with all their words but one (a misspelt title; rare by nature, so searched whole), then,
 * if still too few, all but two, and, for short queries, titles with a word like one of the
 * query's, by trigrams (a misspelt word).
 */
function candidateSql(match: FallbackMatch, param: (value: unknown) => string, and: string, context: { latest: string; lexemes: string[] }, need: number) {
  const none = `SELECT NULL::text AS id WHERE false`;
  const sets = { title: none, text: none, loose: none, looser: none, similar: none, rank: "0" };
  if ("paperId" in match) return { ...sets, text: `SELECT p.id FROM paper p WHERE p.id = ${param(match.paperId)}${and}`, rank: "1" };
  const latest = `${param(context.latest)}::date`;
  if ("everything" in match) return { ...sets, text: newestFirst("true", and, latest, FALLBACK_CANDIDATES) };
  const tsq = `websearch_to_tsquery('english', $1::text)`;
  const raw = `${param(match.words.toLowerCase())}::text`;
  const few = `(SELECT count(*) FROM title_hits) + (SELECT count(*) FROM text_hits) < ${need}`;
  const titleWith = (tsquery: string | null, gate: string) =>
    tsquery ? `SELECT p.id FROM paper p WHERE to_tsvector('english', p.title) @@ ${param(tsquery)}::tsquery${and} AND ${gate} LIMIT ${FALLBACK_CANDIDATES}` : none;
  const wordCount = match.words.trim().split(/\s+/).length;
  const short = context.lexemes.length <= 2 || wordCount <= 3;
  // A title of few telling words ("Are We Ready For Autonomous") has no loose query: the whole
  // title's trigrams, at a similarity that only a near copy reaches, find it instead.
  const titleLike = context.lexemes.length < 3 && wordCount >= 3;
  return {
    title: newestFirst(`to_tsvector('english', p.title) @@ ${tsq}`, and, latest, FALLBACK_CANDIDATES),
    text: newestFirst(`p.search_vector @@ ${tsq} AND NOT to_tsvector('english', p.title) @@ ${tsq}`, and, latest, `(SELECT ${FALLBACK_CANDIDATES} - count(*) FROM title_hits)`),
    loose: titleWith(looseTsquery(context.lexemes, 1), few),
    looser: titleWith(looseTsquery(context.lexemes, 2), `${few} AND (SELECT count(*) FROM loose_hits) < ${need}`),
    similar: [
      // One scan, not by slices: each slice would read the trigrams' long lists again.
      short ? `(SELECT p.id FROM paper p WHERE ${raw} <% lower(p.title)${and} AND ${few} LIMIT ${SIMILAR_CANDIDATES})` : "",
      titleLike ? `(SELECT p.id FROM paper p WHERE lower(p.title) % ${raw}${and} AND ${few} LIMIT ${SIMILAR_CANDIDATES})` : "",
    ].filter(Boolean).join(" UNION ") || none,
    // Title similarity counts the query within the title (word_similarity) and the whole title
    // (similarity) alike, so a misspelt title ranks its own paper above longer titles containing it.
    rank: `greatest(ts_rank_cd(p.search_vector, ${tsq}), (word_similarity(${raw}, lower(p.title)) + similarity(lower(p.title), ${raw})) / 2)`,
  };
}

/**
 * One page of the papers matching `match` within the query's filters, in the query's order. Each
 * way of matching is bounded to FALLBACK_CANDIDATES papers, newest first, so the total is at most
 * what Meilisearch reports, paging reaches as far, and a query costs about the same at any size.
 */
export async function fallbackSearchRows(pool: pg.Pool, query: SearchQuery, match: FallbackMatch): Promise<FallbackRow[]> {
  const words = "words" in match ? match.words : "";
  const client = await pool.connect();
  try {
    // A fallback query must not hold a connection for long while Meilisearch is down. Bitmaps of a
    // common word's matches stay exact in this much memory (lossy ones re-check every row of a page).
    await client.query(
      `BEGIN READ ONLY; SET LOCAL statement_timeout = ${FALLBACK_TIMEOUT_MS}; SET LOCAL work_mem = '32MB';
       SET LOCAL pg_trgm.similarity_threshold = ${NEAR_COPY}`,
    );
    // The latest listing day and the query's words as Postgres stems them, given to the statement as
    // values so that it is planned for them (how common the words are, how many papers a slice holds).
    const { rows: [context] } = await client.query<{ latest: string | null; lexemes: string[] }>(
      `SELECT (SELECT max(listed_at) FROM paper)::text AS latest,
         ARRAY(SELECT lexeme FROM unnest(to_tsvector('english', $1::text))) AS lexemes`,
      [words],
    );
    // websearch_to_tsquery reads a lone "or" as OR, which made "Layer or Just Image Generation" match
    // any paper on image generation; Meilisearch has no such operator, and "or" is a stop word.
    const params: unknown[] = [words.replace(/(^|\s)or(?=\s|$)/gi, " "), query.limit, query.offset, TITLE_HEADLINE, ABSTRACT_HEADLINE];
    const and = filterSql(query, params).map((filter) => ` AND ${filter}`).join("");
    const param = (value: unknown) => `$${params.push(value)}`;
    const candidates = candidateSql(match, param, and, { latest: context?.latest ?? "infinity", lexemes: context?.lexemes ?? [] }, query.offset + query.limit);
    // Only the candidates are ranked, and only the page's rows are read in full and get headlines.
    const { rows } = await client.query<FallbackRow>(
      `WITH title_hits AS MATERIALIZED (${candidates.title}),
       text_hits AS MATERIALIZED (${candidates.text}),
       loose_hits AS MATERIALIZED (${candidates.loose}),
       looser_hits AS MATERIALIZED (${candidates.looser}),
       similar_hits AS MATERIALIZED (${candidates.similar}),
       matches AS MATERIALIZED (
         SELECT p.id, p.listed_at, p.upvotes AS votes, ${candidates.rank} AS rank
         FROM (SELECT id FROM title_hits UNION SELECT id FROM text_hits UNION SELECT id FROM loose_hits UNION SELECT id FROM looser_hits UNION SELECT id FROM similar_hits) c JOIN paper p ON p.id = c.id
       ),
       page AS (SELECT id, row_number() OVER (ORDER BY ${ORDER[query.sort]}) AS ord FROM matches ORDER BY ord LIMIT $2 OFFSET $3)
       SELECT ${DOCUMENT_COLUMNS},
         ts_headline('english', p.title, websearch_to_tsquery('english', $1::text), $4) AS "markedTitle",
         ts_headline('english', p.abstract, websearch_to_tsquery('english', $1::text), $5) AS "markedAbstract",
         (SELECT count(*) FROM matches)::int AS total
       FROM page JOIN paper p ON p.id = page.id
       ORDER BY page.ord`,
      params,
    );
    await client.query("COMMIT");
    return rows;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** A paper waiting in the outbox; `version` (a bigint, as text) changes each time it is queued again. */
export type QueuedPaper = { paperId: string; version: string };

/** The `limit` papers queued longest. */
export async function queuedPapers(db: Queryable, limit: number): Promise<QueuedPaper[]> {
  const { rows } = await db.query<QueuedPaper>(`SELECT paper_id AS "paperId", version::text FROM search_outbox ORDER BY version LIMIT $1`, [limit]);
  return rows;
}

/** Takes pushed papers off the outbox, each only if it was not queued again since (its version is unchanged). */
export async function dequeuePapers(db: Queryable, pushed: QueuedPaper[]): Promise<void> {
  await db.query(
    `DELETE FROM search_outbox o USING unnest($1::text[], $2::bigint[]) AS done(paper_id, version)
     WHERE o.paper_id = done.paper_id AND o.version = done.version`,
    [pushed.map((row) => row.paperId), pushed.map((row) => row.version)],
  );
}

/** Queues papers for the next sync (again, with a new version, if they already wait). */
export async function queuePapers(db: Queryable, paperIds: string[]): Promise<void> {
  await db.query(
    `INSERT INTO search_outbox (paper_id) SELECT unnest($1::text[])
     ON CONFLICT (paper_id) DO UPDATE SET changed_at = now(), version = EXCLUDED.version`,
    [paperIds],
  );
}

/** Subscribes a dedicated connection to the notifications the outbox triggers send on every change. */
export async function listenForQueuedPapers(client: pg.Client): Promise<void> {
  await client.query("LISTEN search_outbox");
}

// One syncer at a time per database; others skip instead of pushing the same papers twice. The lock
// is a session lock: take and free it on one checked-out client.
const SYNC_LOCK = 727_274_003;

/** Takes the sync lock if no one holds it; false when another process is syncing. */
export async function tryLockSync(client: pg.PoolClient): Promise<boolean> {
  const { rows } = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1) AS ok", [SYNC_LOCK]);
  return rows[0]?.ok ?? false;
}

/** Waits for the sync lock and takes it. */
export async function lockSync(client: pg.PoolClient): Promise<void> {
  await client.query("SELECT pg_advisory_lock($1)", [SYNC_LOCK]);
}

export async function unlockSync(client: pg.PoolClient): Promise<void> {
  await client.query("SELECT pg_advisory_unlock($1)", [SYNC_LOCK]);
}
