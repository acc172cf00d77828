// Every statement search runs in Postgres, named: the rows search documents are built from, the
// exact-match and fallback lookups, the outbox of papers to push, and the lock one syncer holds.
import { createHash } from "node:crypto";
import type pg from "pg";
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

/** id -> checksum of every paper, for reconcile. */
export async function allChecksums(pool: pg.Pool): Promise<Map<string, string>> {
  const { rows } = await pool.query<{ id: string; checksum: string }>(`SELECT p.id, md5(row(${INDEXED})::text) AS checksum FROM paper p`);
  return new Map(rows.map((row) => [row.id, row.checksum]));
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
// cost more than the index probe itself. The name is a hash of the SQL: the pool is shared by every
// copy of this module a build holds, and one name must never stand for two texts.
const statementNames = new Map<string, string>();

function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (!name) {
    name = `search-exact-${createHash("sha256").update(sql).digest("hex").slice(0, 24)}`;
    statementNames.set(sql, name);
  }
  return name;
}

/**
 * The paper with this id, or else the latest-listed one with exactly this title (case aside), within
 * the query's filters (one index probe: paper_pkey or paper_title_lower_idx).
 */
export async function exactMatchRow(pool: pg.Pool, match: { id: string } | { title: string }, filters: SearchQuery): Promise<DocumentRow | undefined> {
  const params: unknown[] = ["id" in match ? match.id : match.title];
  const where = ["id" in match ? `p.id = $1` : `lower(p.title) = lower($1)`, ...filterSql(filters, params)];
  const text = `SELECT ${DOCUMENT_COLUMNS} FROM paper p WHERE ${where.join(" AND ")} ORDER BY p.listed_rank DESC, p.id LIMIT 1`;
  const { rows } = await pool.query<DocumentRow>({ name: statementName(text), text, values: params });
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

const TITLE_HEADLINE = `StartSel="${HIGHLIGHT_START}", StopSel="${HIGHLIGHT_END}", HighlightAll=true`;
const ABSTRACT_HEADLINE = `StartSel="${HIGHLIGHT_START}", StopSel="${HIGHLIGHT_END}", MaxWords=50, MinWords=25, MaxFragments=1, FragmentDelimiter=" … "`;

/** A page of full-text matches: the document row, its title and abstract with highlight markers, and the total. */
export type FallbackRow = DocumentRow & { markedTitle: string; markedAbstract: string; total: number };

/** One page of papers matching the query by full text on title and abstract or by title trigrams, in its order. */
export async function fallbackSearchRows(pool: pg.Pool, query: SearchQuery): Promise<FallbackRow[]> {
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
    const { rows } = await client.query<FallbackRow>(
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
