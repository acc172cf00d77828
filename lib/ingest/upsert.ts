// The one bulk write of papers: a batch of records -> one statement that inserts new papers and merges known ones.
import type pg from "pg";
import { titleKey, type PaperRecord } from "./paper";

export type UpsertCounts = { inserted: number; updated: number; unchanged: number };

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
  { name: "listed_rank", sqlType: "smallint", merge: "GREATEST(x.listed_rank, p.listed_rank)" },
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
const STAGED = `json_to_recordset($1::json) AS x(id text, source text, external_id text, ${COLUMNS.map((c) => `${c.name} ${c.sqlType}`).join(", ")})`;

// Inserts and merges in one statement. The UPDATE runs on the statement's snapshot, so it never
// sees rows the INSERT just added; it skips rows whose merged values equal the stored ones, which
// is what makes a re-run report them as unchanged.
const UPSERT_SQL = `
WITH x AS (SELECT * FROM ${STAGED}),
ins AS (
  INSERT INTO paper (id, ${COLUMNS.map((c) => c.name).join(", ")})
  SELECT x.id, ${COLUMNS.map((c) => c.insert ?? `x.${c.name}`).join(", ")} FROM x
  ON CONFLICT (id) DO NOTHING
  RETURNING id
),
upd AS (
  UPDATE paper p SET ${COLUMNS.map((c) => `${c.name} = ${c.merge}`).join(", ")}, updated_at = now()
  FROM x
  WHERE p.id = x.id
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

function toRow(record: PaperRecord) {
  return {
    id: record.id,
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

/**
 * Papers from sources without ids ("local-…") join an existing paper with the same title, so a
 * paper saved from a search page and later ingested from arXiv stays one paper.
 */
async function resolveLocalIds(client: pg.PoolClient, records: PaperRecord[]): Promise<void> {
  const local = records.filter((record) => record.id.startsWith("local-"));
  if (local.length === 0) return;
  const { rows } = await client.query<{ id: string; key: string }>(
    `SELECT id, lower(regexp_replace(title, '\\s+', ' ', 'g')) AS key FROM paper
     WHERE id NOT LIKE 'local-%' AND lower(regexp_replace(title, '\\s+', ' ', 'g')) = ANY($1::text[])`,
    [local.map((record) => titleKey(record.title))],
  );
  const byKey = new Map(rows.map((row) => [row.key, row.id]));
  for (const record of local) record.id = byKey.get(titleKey(record.title)) ?? record.id;
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
    await resolveLocalIds(client, records);
    const rows = JSON.stringify(records.map(toRow));
    const result = await client.query<{ inserted: number; updated: number }>(UPSERT_SQL, [rows]);
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
