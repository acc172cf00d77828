// Every statement of an ingest, named: the run log (startRun, finishRun) and the one bulk write of
// papers (upsertPapers: a batch of records -> one statement that inserts new papers and merges known ones).
import type pg from "pg";
import type { PaperRecord } from "./paper";

export type UpsertCounts = { inserted: number; updated: number; unchanged: number };

export type RunStatus = "succeeded" | "failed";

/** What an ingest run reports when it ends: its counts, and the first rejections and notices. */
export type RunRecord = UpsertCounts & { read: number; rejected: number; rejections: { location: string; reason: string }[]; notices: string[] };

/** Logs a run as running, naming what it reads (files, URLs); its id. */
export async function startRun(pool: pg.Pool, inputs: string[]): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(`INSERT INTO ingest_run (inputs) VALUES ($1) RETURNING id::text`, [inputs]);
  return rows[0]!.id;
}

/** Logs how a run ended. */
export async function finishRun(pool: pg.Pool, runId: string, status: RunStatus, run: RunRecord): Promise<void> {
  await pool.query(
    `UPDATE ingest_run SET finished_at = now(), status = $2, read = $3, inserted = $4, updated = $5, unchanged = $6, rejected = $7, report = $8
     WHERE id = $1`,
    [runId, status, run.read, run.inserted, run.updated, run.unchanged, run.rejected, JSON.stringify({ rejections: run.rejections, notices: run.notices })],
  );
}

type Column = {
  name: string;
  sqlType: string;
  /** Value for a new row, from the staged record `x`. */
  insert?: string;
  /** Value for a known row `p`, merging in the staged record `x`. */
  merge: string;
};

// A source with a higher listed rank (featured > arXiv > stamped) is trusted for the text fields;
// other fields are filled by whichever source knows them, newest report winning. Counts (upvotes,
// stars) only grow, so the highest report wins: replaying old files never rolls them back, and
// ingesting the same files in any order gives the same row.
const TRUST_NEW = "x.listed_rank >= p.listed_rank";
const COLUMNS: Column[] = [
  { name: "title", sqlType: "text", merge: `CASE WHEN ${TRUST_NEW} THEN x.title ELSE p.title END` },
  {
    name: "abstract",
    sqlType: "text",
    merge: `CASE WHEN x.abstract <> '' AND (${TRUST_NEW} OR p.abstract = '') THEN x.abstract ELSE p.abstract END`,
  },
  {
    name: "authors",
    sqlType: "text[]",
    merge: `CASE WHEN cardinality(x.authors) > 0 AND (${TRUST_NEW} OR cardinality(p.authors) = 0) THEN x.authors ELSE p.authors END`,
  },
  { name: "categories", sqlType: "text[]", insert: "COALESCE(x.categories, '{}')", merge: "COALESCE(x.categories, p.categories)" },
  { name: "published_at", sqlType: "timestamptz", merge: "COALESCE(x.published_at, p.published_at)" },
  { name: "source_updated_at", sqlType: "timestamptz", merge: "GREATEST(x.source_updated_at, p.source_updated_at)" },
  {
    name: "listed_at",
    sqlType: "date",
    merge: `CASE WHEN p.listed_at IS NULL OR x.listed_rank > p.listed_rank THEN COALESCE(x.listed_at, p.listed_at)
                 WHEN x.listed_rank = p.listed_rank THEN LEAST(x.listed_at, p.listed_at)
                 ELSE p.listed_at END`,
  },
  { name: "listed_rank", sqlType: "smallint", merge: "CASE WHEN x.listed_at IS NULL THEN p.listed_rank ELSE GREATEST(x.listed_rank, p.listed_rank) END" },
  { name: "comment", sqlType: "text", merge: "COALESCE(x.comment, p.comment)" },
  { name: "journal_ref", sqlType: "text", merge: "COALESCE(x.journal_ref, p.journal_ref)" },
  { name: "doi", sqlType: "text", merge: "COALESCE(x.doi, p.doi)" },
  { name: "license", sqlType: "text", merge: "COALESCE(x.license, p.license)" },
  { name: "github_repo", sqlType: "text", merge: "COALESCE(x.github_repo, p.github_repo)" },
  { name: "github_stars", sqlType: "integer", merge: "GREATEST(x.github_stars, p.github_stars)" },
  { name: "project_page", sqlType: "text", merge: "COALESCE(x.project_page, p.project_page)" },
  { name: "keywords", sqlType: "text[]", insert: "COALESCE(x.keywords, '{}')", merge: "COALESCE(x.keywords, p.keywords)" },
  { name: "source_upvotes", sqlType: "integer", insert: "COALESCE(x.source_upvotes, 0)", merge: "GREATEST(x.source_upvotes, p.source_upvotes)" },
];

// json (not jsonb): the batch is read once, so skipping jsonb's binary conversion is faster.
const STAGED = `json_to_recordset($1::json) AS x(id text, source text, external_id text, source_only boolean, ${COLUMNS.map((c) => `${c.name} ${c.sqlType}`).join(", ")})`;

// Inserts and merges in one statement. The UPDATE runs on the statement's snapshot, so it never
// sees rows the INSERT just added; it skips rows whose merged values equal the stored ones, which
// is what makes a re-run report them as unchanged.
const UPSERT_SQL = `
WITH x AS (SELECT * FROM ${STAGED}),
ins AS (
  INSERT INTO paper (id, ${COLUMNS.map((c) => c.name).join(", ")})
  SELECT x.id, ${COLUMNS.map((c) => c.insert ?? `x.${c.name}`).join(", ")} FROM x WHERE NOT x.source_only
  ON CONFLICT (id) DO NOTHING
  RETURNING id
),
upd AS (
  UPDATE paper p SET ${COLUMNS.map((c) => `${c.name} = ${c.merge}`).join(", ")}, updated_at = now()
  FROM x
  WHERE p.id = x.id AND NOT x.source_only
    AND (${COLUMNS.map((c) => `p.${c.name}`).join(", ")}) IS DISTINCT FROM (${COLUMNS.map((c) => c.merge).join(", ")})
  RETURNING p.id
),
-- Foreign keys are checked at the end of the statement, when the papers inserted above exist.
src AS (
  INSERT INTO paper_source (paper_id, source, external_id)
  SELECT x.id, x.source, x.external_id FROM x
  ON CONFLICT (paper_id, source) DO UPDATE SET external_id = EXCLUDED.external_id, last_seen_at = now()
)
SELECT (SELECT count(*) FROM ins)::int AS inserted, (SELECT count(*) FROM upd)::int AS updated`;

// Serialises batches of concurrent ingests, so a paper two runs insert at once is merged, not lost.
const INGEST_LOCK = 727_274_002;

function toRow(record: PaperRecord, sourceOnly: boolean) {
  return {
    id: record.id,
    source_only: sourceOnly,
    source: record.source,
    external_id: record.externalId,
    title: record.title,
    abstract: record.abstract,
    authors: record.authors,
    categories: record.categories && record.categories.length > 0 ? record.categories : null,
    published_at: record.publishedAt,
    source_updated_at: record.sourceUpdatedAt,
    listed_at: record.listedAt,
    listed_rank: record.listedRank,
    comment: record.comment,
    journal_ref: record.journalRef,
    doi: record.doi,
    license: record.license,
    github_repo: record.githubRepo,
    github_stars: record.githubStars,
    project_page: record.projectPage,
    keywords: record.keywords && record.keywords.length > 0 ? record.keywords : null,
    source_upvotes: record.sourceUpvotes,
  };
}

// Titles are compared as lower(title), in SQL only (JavaScript and Postgres lower-case non-ASCII
// letters differently); paper_title_lower_idx serves the equality.
const LOCAL_MATCHES_SQL = `
SELECT t.i::int AS i, COALESCE(
  (SELECT b.id FROM unnest($2::text[], $3::text[]) AS b(id, title) WHERE lower(b.title) = lower(t.title) LIMIT 1),
  (SELECT p.id FROM paper p WHERE lower(p.title) = lower(t.title) AND p.id NOT LIKE 'local-%' ORDER BY p.id LIMIT 1)
) AS id
FROM unnest($1::text[]) WITH ORDINALITY AS t(title, i)`;

// An arXiv paper arriving after a saved-page copy of it absorbs that copy: its sources move over
// and the copy is deleted (its search document goes with it, through the outbox).
const ABSORB_LOCAL_SQL = `
WITH arrived AS (SELECT id, lower(title) AS k FROM unnest($1::text[], $2::text[]) AS b(id, title)),
pairs AS (
  SELECT DISTINCT ON (p.id) p.id AS local_id, arrived.id AS paper_id
  FROM paper p JOIN arrived ON lower(p.title) = arrived.k
  WHERE p.id LIKE 'local-%' ORDER BY p.id, arrived.id
),
moved AS (
  INSERT INTO paper_source (paper_id, source, external_id, first_seen_at, last_seen_at)
  SELECT pairs.paper_id, s.source, s.external_id, s.first_seen_at, s.last_seen_at
  FROM pairs JOIN paper_source s ON s.paper_id = pairs.local_id
  ON CONFLICT (paper_id, source) DO NOTHING
)
DELETE FROM paper WHERE id IN (SELECT local_id FROM pairs)`;

/**
 * Papers from sources without ids ("local-…") join the paper with the same title, whether it is
 * already stored or arrives in the same batch, so a paper saved from a search page and ingested
 * from arXiv stays one paper. Returns the records that only add a source to a paper in the batch.
 */
async function resolveLocalIds(client: pg.PoolClient, records: PaperRecord[]): Promise<Set<PaperRecord>> {
  const local = records.filter((record) => record.id.startsWith("local-"));
  const sourceOnly = new Set<PaperRecord>();
  if (local.length === 0) return sourceOnly;
  const known = records.filter((record) => !record.id.startsWith("local-"));
  const { rows } = await client.query<{ i: number; id: string | null }>(LOCAL_MATCHES_SQL, [
    local.map((record) => record.title),
    known.map((record) => record.id),
    known.map((record) => record.title),
  ]);
  const inBatch = new Set(known.map((record) => record.id));
  for (const row of rows) {
    const record = local[row.i - 1];
    if (!record || !row.id) continue;
    record.id = row.id;
    // The arXiv record in this batch is the better source for the paper's fields.
    if (inBatch.has(row.id)) sourceOnly.add(record);
  }
  return sourceOnly;
}

/** Writes one batch (ids must be unique within it) in one transaction. */
export async function upsertPapers(pool: pg.Pool, records: PaperRecord[]): Promise<UpsertCounts> {
  if (records.length === 0) return { inserted: 0, updated: 0, unchanged: 0 };
  const client = await pool.connect();
  try {
    // Ingest is idempotent and re-runnable, so a crash losing the last batches' commits costs a
    // re-run, not data; not waiting for each batch's WAL flush roughly doubles the throughput.
    await client.query("BEGIN; SET LOCAL synchronous_commit = off");
    await client.query("SELECT pg_advisory_xact_lock($1)", [INGEST_LOCK]);
    const sourceOnly = await resolveLocalIds(client, records);
    const rows = JSON.stringify(records.map((record) => toRow(record, sourceOnly.has(record))));
    const result = await client.query<{ inserted: number; updated: number }>(UPSERT_SQL, [rows]);
    const arrived = records.filter((record) => !record.id.startsWith("local-"));
    if (arrived.length > 0) await client.query(ABSORB_LOCAL_SQL, [arrived.map((record) => record.id), arrived.map((record) => record.title)]);
    await client.query("COMMIT");
    const { inserted, updated } = result.rows[0] ?? { inserted: 0, updated: 0 };
    return { inserted, updated, unchanged: records.length - inserted - updated };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * The operations an ingest runs, by name: IngestWriter calls them through this object, so the
 * ingest benchmark can time each one by its name (it replaces the entries).
 */
export const ingestStore = { startRun, upsertPapers, finishRun };
