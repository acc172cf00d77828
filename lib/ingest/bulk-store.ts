// The bulk path's statements, named: a session's staging table (createStage, copyIntoStage, dropStage)
// and the one transaction that merges it into paper and paper_source (mergeStage), with the same
// merge rules as the batched path (lib/ingest/merge.ts).
import type pg from "pg";
import { from as copyFrom, type CopyStreamQuery } from "pg-copy-streams";
import { absorbLocalSql, INGEST_LOCK, mergeSql, STAGED_FIELDS, type UpsertCounts } from "./merge";

/** The columns a COPY line carries, in order, after `seq`. */
export const STAGE_FIELDS = STAGED_FIELDS.map((field) => field.name);

// Temporary: private to the session (concurrent ingests each have their own), never WAL-logged.
const CREATE_STAGE_SQL = `CREATE TEMP TABLE ingest_stage (seq bigint NOT NULL, ${STAGED_FIELDS.map((f) => `${f.name} ${f.sqlType}`).join(", ")})`;

export async function createStage(client: pg.PoolClient): Promise<void> {
  await client.query(CREATE_STAGE_SQL);
}

/** A writable stream of COPY text lines (lib/ingest/copy-text.ts) into the session's staging table. */
export function copyIntoStage(client: pg.PoolClient): CopyStreamQuery {
  return client.query(copyFrom(`COPY ingest_stage (seq, ${STAGE_FIELDS.join(", ")}) FROM STDIN`));
}

export async function dropStage(client: pg.PoolClient): Promise<void> {
  await client.query("DROP TABLE IF EXISTS ingest_stage, ingest_stage_later");
}

// Papers without ids ("local-…") join the paper with the same title, as the batched path does: the
// first such arXiv record of the run (then the record only adds its source), else the stored paper
// (then it merges into it). Run before any index is dropped: the stored lookup uses paper_title_lower_idx.
const RESOLVE_LOCAL_SQL = `
WITH local AS (SELECT seq, lower(title) AS k FROM ingest_stage WHERE id LIKE 'local-%'),
in_run AS (
  SELECT DISTINCT ON (local.seq) local.seq, b.id
  FROM local JOIN ingest_stage b ON lower(b.title) = local.k
  WHERE b.id NOT LIKE 'local-%' ORDER BY local.seq, b.seq
),
resolved AS (
  SELECT local.seq, in_run.id AS in_run,
    (SELECT p.id FROM paper p WHERE lower(p.title) = local.k AND p.id NOT LIKE 'local-%' ORDER BY p.id LIMIT 1) AS stored
  FROM local LEFT JOIN in_run ON in_run.seq = local.seq
)
UPDATE ingest_stage s SET id = COALESCE(r.in_run, r.stored), source_only = r.in_run IS NOT NULL
FROM resolved r WHERE s.seq = r.seq AND COALESCE(r.in_run, r.stored) IS NOT NULL`;

// One statement merges each paper once, so a paper staged twice is merged in rounds: the first copy
// of every id, then the second, ... in the order the records came, as the batched path does. A record
// that only adds its source goes after the record that writes the paper.
const HAS_DUPLICATES_SQL = `SELECT EXISTS (SELECT 1 FROM ingest_stage GROUP BY id HAVING count(*) > 1) AS found`;
const SPLIT_LATER_SQL = `
CREATE TEMP TABLE ingest_stage_later AS
  SELECT * FROM ingest_stage WHERE seq IN (
    SELECT seq FROM (SELECT seq, row_number() OVER (PARTITION BY id ORDER BY source_only, seq) AS n FROM ingest_stage) numbered WHERE n > 1);
DELETE FROM ingest_stage WHERE seq IN (SELECT seq FROM ingest_stage_later)`;
const NEXT_ROUND_SQL = `
TRUNCATE ingest_stage;
INSERT INTO ingest_stage SELECT * FROM ingest_stage_later;
DROP TABLE ingest_stage_later`;

// Staged rows are read straight from the table by each part of the statement (a shared CTE would
// copy every row, abstracts included, into a temporary store first).
const MERGE_STAGE_SQL = mergeSql("ingest_stage x");
const ABSORB_STAGED_SQL = absorbLocalSql("ingest_stage b");
const HAS_LOCAL_PAPERS_SQL = `SELECT EXISTS (SELECT 1 FROM paper WHERE id LIKE 'local-%') AS found`;
const NEW_PAPERS_SQL = `SELECT count(DISTINCT x.id)::float8 AS n FROM ingest_stage x WHERE NOT EXISTS (SELECT 1 FROM paper p WHERE p.id = x.id)`;

// The secondary indexes of paper: every index but those backing a constraint (the primary key, which
// the merge's ON CONFLICT needs).
const SECONDARY_INDEXES_SQL = `
SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition
FROM pg_index i
WHERE i.indrelid = 'paper'::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
ORDER BY 1`;
const PAPER_ROWS_SQL = `SELECT GREATEST(reltuples, 0)::float8 AS n FROM pg_class WHERE oid = 'paper'::regclass`;

export type IndexPlan = "keep" | "rebuild";

export type MergeOptions = {
  /** Records in the stage (counted while copying them). */
  staged: number;
  /** How many of them are papers without ids ("local-…"). */
  local: number;
  /** How paper's secondary indexes take the load; by default chosen from the sizes (chooseIndexPlan). */
  indexes?: IndexPlan;
  /** Told how long each phase of the merge took, in ms (for the benchmark). */
  onPhase?: (phase: string, ms: number) => void;
};

/**
 * Rebuilding paper's secondary indexes costs time in proportion to the whole table, keeping them in
 * proportion to the rows inserted; rebuilding also holds every reader of paper off until commit.
 * So they are rebuilt only for a load of many new papers that at least doubles the table.
 */
export function chooseIndexPlan(newPapers: number, paperRows: number): IndexPlan {
  return newPapers >= 100_000 && newPapers >= paperRows ? "rebuild" : "keep";
}

async function planIndexes(client: pg.PoolClient, staged: number): Promise<IndexPlan> {
  const { rows: stored } = await client.query<{ n: number }>(PAPER_ROWS_SQL);
  const paperRows = stored[0]?.n ?? 0;
  // Counting the new papers costs a probe per staged record: only worth it when the answer can be "rebuild".
  if (chooseIndexPlan(staged, paperRows) === "keep") return "keep";
  const { rows: fresh } = await client.query<{ n: number }>(NEW_PAPERS_SQL);
  return chooseIndexPlan(fresh[0]?.n ?? 0, paperRows);
}

/**
 * Merges everything staged into paper and paper_source in one transaction, under the ingest lock;
 * the paper triggers queue every inserted and changed paper for search as for any other write.
 * Leaves the stage empty for the next COPY.
 */
export async function mergeStage(client: pg.PoolClient, options: MergeOptions): Promise<UpsertCounts> {
  let last = performance.now();
  const phase = (name: string) => {
    const now = performance.now();
    options.onPhase?.(name, now - last);
    last = now;
  };
  await client.query("ANALYZE ingest_stage");
  phase("analyze stage");
  let inserted = 0;
  let updated = 0;
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock($1)", [INGEST_LOCK]);
    phase("wait for the ingest lock");
    // Hash joins and index builds get room for a whole load.
    await client.query(`SET LOCAL work_mem = '64MB'; SET LOCAL maintenance_work_mem = '256MB'`);
    if (options.local > 0) await client.query(RESOLVE_LOCAL_SQL);
    phase("join saved-page papers by title");
    const plan = options.indexes ?? (await planIndexes(client, options.staged));
    const { rows: indexes } = plan === "rebuild" ? await client.query<{ name: string; definition: string }>(SECONDARY_INDEXES_SQL) : { rows: [] };
    for (const index of indexes) await client.query(`DROP INDEX ${index.name}`);
    phase(`plan: ${plan} indexes`);
    for (;;) {
      const { rows: duplicates } = await client.query<{ found: boolean }>(HAS_DUPLICATES_SQL);
      const more = duplicates[0]?.found ?? false;
      if (more) await client.query(SPLIT_LATER_SQL);
      phase("find papers staged twice");
      const { rows } = await client.query<{ inserted: number; updated: number }>(MERGE_STAGE_SQL);
      inserted += rows[0]?.inserted ?? 0;
      updated += rows[0]?.updated ?? 0;
      phase("merge into paper and paper_source");
      const { rows: local } = await client.query<{ found: boolean }>(HAS_LOCAL_PAPERS_SQL);
      if (local[0]?.found) await client.query(ABSORB_STAGED_SQL);
      phase("absorb saved-page papers");
      if (!more) break;
      await client.query(NEXT_ROUND_SQL);
    }
    for (const index of indexes) {
      await client.query(index.definition);
      phase(`build ${index.name}`);
    }
    await client.query("COMMIT");
    phase("commit");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
  await client.query("TRUNCATE ingest_stage");
  // The planner's statistics of a table that just grew by a large part are stale until autovacuum.
  if (inserted >= 10_000) await client.query("ANALYZE paper");
  phase("analyze paper");
  return { inserted, updated, unchanged: options.staged - inserted - updated };
}
