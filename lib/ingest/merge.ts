// The merge rules of staged records into `paper` and `paper_source`, as SQL: the one source of the
// statements that both write paths run (batched: records as JSON; bulk: a COPY-filled staging table).
import type { PaperRecord } from "./paper";

/** What a write of papers reports: new papers, changed ones, and ones it left as they were. */
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

/** The staged record's fields, in order, with their Postgres types: JSON keys and staging-table columns alike. */
export const STAGED_FIELDS: { name: string; sqlType: string }[] = [
  { name: "id", sqlType: "text" },
  { name: "source", sqlType: "text" },
  { name: "external_id", sqlType: "text" },
  { name: "source_only", sqlType: "boolean" },
  ...COLUMNS.map(({ name, sqlType }) => ({ name, sqlType })),
];

export type StagedRow = Record<string, string | number | boolean | string[] | null>;

/**
 * A record as staged: null means "this source does not know" (the merge keeps what is stored).
 * `sourceOnly` records only add their source to a paper that another record of the batch writes.
 */
export function toStagedRow(record: PaperRecord, sourceOnly: boolean): StagedRow {
  return {
    id: record.id,
    source: record.source,
    external_id: record.externalId,
    source_only: sourceOnly,
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

const names = COLUMNS.map((c) => c.name).join(", ");
const merged = COLUMNS.map((c) => c.merge).join(", ");

/**
 * Inserts new papers, merges known ones and records each record's source, from `staged` (a FROM
 * item whose rows are named `x`, ids unique), in one statement returning `inserted` and `updated`.
 * The UPDATE runs on the statement's snapshot, so it never sees rows the INSERT just added; it skips
 * rows whose merged values equal the stored ones, which is what makes a re-run report them unchanged.
 * `prelude` is a WITH item the statement starts with (the batched path parses its JSON once there).
 */
export function mergeSql(staged: string, prelude?: string): string {
  return `
WITH ${prelude ? `${prelude},` : ""}
ins AS (
  INSERT INTO paper (id, ${names})
  SELECT x.id, ${COLUMNS.map((c) => c.insert ?? `x.${c.name}`).join(", ")} FROM ${staged} WHERE NOT x.source_only
  ON CONFLICT (id) DO NOTHING
  RETURNING id
),
upd AS (
  UPDATE paper p SET ${COLUMNS.map((c) => `${c.name} = ${c.merge}`).join(", ")}, updated_at = now()
  FROM ${staged}
  WHERE p.id = x.id AND NOT x.source_only
    AND (${COLUMNS.map((c) => `p.${c.name}`).join(", ")}) IS DISTINCT FROM (${merged})
  RETURNING p.id
),
-- Foreign keys are checked at the end of the statement, when the papers inserted above exist.
src AS (
  INSERT INTO paper_source (paper_id, source, external_id)
  SELECT x.id, x.source, x.external_id FROM ${staged}
  ON CONFLICT (paper_id, source) DO UPDATE SET external_id = EXCLUDED.external_id, last_seen_at = now()
)
SELECT (SELECT count(*) FROM ins)::int AS inserted, (SELECT count(*) FROM upd)::int AS updated`;
}

/**
 * An arXiv paper arriving after a saved-page copy of it absorbs that copy: its sources move over and
 * the copy is deleted (its search document goes with it, through the outbox). `arrived` is a FROM
 * item of the arriving papers' `id` and `title`, named `b`.
 */
export function absorbLocalSql(arrived: string): string {
  return `
WITH arrived AS (SELECT b.id, lower(b.title) AS k FROM ${arrived} WHERE b.id NOT LIKE 'local-%'),
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
}

// Serialises the writes of concurrent ingests, so a paper two runs insert at once is merged, not lost.
export const INGEST_LOCK = 727_274_002;
