// Every statement of an ingest, named: the run log (startRun, finishRun), the batched write of papers
// (upsertPapers: a batch of records -> one statement that inserts new papers and merges known ones),
// and the bulk path's staging table and merge (lib/ingest/bulk-store.ts).
import type pg from "pg";
import { createStage, dropStage, mergeStage } from "./bulk-store";
import { absorbLocalSql, INGEST_LOCK, mergeSql, STAGED_FIELDS, toStagedRow, type UpsertCounts } from "./merge";
import type { PaperRecord } from "./paper";

export type { UpsertCounts };

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

// json (not jsonb): the batch is read once, so skipping jsonb's binary conversion is faster.
const UPSERT_SQL = mergeSql("x", `x AS (SELECT * FROM json_to_recordset($1::json) AS x(${STAGED_FIELDS.map((f) => `${f.name} ${f.sqlType}`).join(", ")}))`);

// Titles are compared as lower(title), in SQL only (JavaScript and Postgres lower-case non-ASCII
// letters differently); paper_title_lower_idx serves the equality.
const LOCAL_MATCHES_SQL = `
SELECT t.i::int AS i, COALESCE(
  (SELECT b.id FROM unnest($2::text[], $3::text[]) AS b(id, title) WHERE lower(b.title) = lower(t.title) LIMIT 1),
  (SELECT p.id FROM paper p WHERE lower(p.title) = lower(t.title) AND p.id NOT LIKE 'local-%' ORDER BY p.id LIMIT 1)
) AS id
FROM unnest($1::text[]) WITH ORDINALITY AS t(title, i)`;

const ABSORB_LOCAL_SQL = absorbLocalSql("unnest($1::text[], $2::text[]) AS b(id, title)");

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
    const rows = JSON.stringify(records.map((record) => toStagedRow(record, sourceOnly.has(record))));
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
export const ingestStore = { startRun, upsertPapers, createStage, mergeStage, dropStage, finishRun };
