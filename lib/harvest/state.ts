// Where each live source stands, in Postgres: the saved position (changed only by a good harvest),
// the last attempt and success, and the last error, for the next run and for /api/health.
import type pg from "pg";
import { env } from "@/lib/env";

export type LiveSource = "arxiv-oai" | "hf-daily";

export type HarvestStatus = {
  source: LiveSource;
  scope: string;
  position: string | null;
  lastAttemptAt: string | null;
  lastSuccessAt: string | null;
  lastError: string | null;
  lastRecords: number | null;
  /** No good harvest within HARVEST_LATE_HOURS (or never). */
  late: boolean;
};

export async function readPosition(pool: pg.Pool, source: LiveSource, scope: string): Promise<string | null> {
  const { rows } = await pool.query<{ position: string | null }>(`SELECT position FROM harvest_state WHERE source = $1 AND scope = $2`, [source, scope]);
  return rows[0]?.position ?? null;
}

export async function markAttempt(pool: pg.Pool, source: LiveSource, scope: string): Promise<void> {
  await pool.query(
    `INSERT INTO harvest_state (source, scope, last_attempt_at) VALUES ($1, $2, now())
     ON CONFLICT (source, scope) DO UPDATE SET last_attempt_at = now()`,
    [source, scope],
  );
}

/** A good harvest: the new position (null keeps the old one), the records it stored, no error. */
export async function markSuccess(pool: pg.Pool, source: LiveSource, scope: string, position: string | null, records: number): Promise<void> {
  await pool.query(
    // Never backwards: of two harvests of one set that overlapped, the later list wins.
    `UPDATE harvest_state SET position = CASE WHEN position IS NULL OR $3 > position THEN coalesce($3, position) ELSE position END,
       last_success_at = now(), last_error = NULL, last_records = $4
     WHERE source = $1 AND scope = $2`,
    [source, scope, position, records],
  );
}

/** A failed harvest: the error is kept, the position is not touched. */
export async function markFailure(pool: pg.Pool, source: LiveSource, scope: string, error: string): Promise<void> {
  await pool.query(`UPDATE harvest_state SET last_error = $3 WHERE source = $1 AND scope = $2`, [source, scope, error.slice(0, 2_000)]);
}

/** The configured sources' state (one row per OAI set), with never-run sources listed as late. */
export async function harvestStatus(pool: pg.Pool, now = new Date()): Promise<HarvestStatus[]> {
  const configured = env.INGEST_SOURCES.flatMap((source): { source: LiveSource; scope: string }[] =>
    source === "arxiv-oai" ? (env.ARXIV_SETS.length ? env.ARXIV_SETS : [""]).map((scope) => ({ source, scope })) : [{ source, scope: "" }],
  );
  if (configured.length === 0) return [];
  const { rows } = await pool.query<{ source: LiveSource; scope: string; position: string | null; last_attempt_at: Date | null; last_success_at: Date | null; last_error: string | null; last_records: number | null }>(
    `SELECT source, scope, position, last_attempt_at, last_success_at, last_error, last_records FROM harvest_state`,
  );
  const lateBefore = now.getTime() - env.HARVEST_LATE_HOURS * 3_600_000;
  return configured.map(({ source, scope }) => {
    const row = rows.find((candidate) => candidate.source === source && candidate.scope === scope);
    return {
      source,
      scope,
      position: row?.position ?? null,
      lastAttemptAt: row?.last_attempt_at?.toISOString() ?? null,
      lastSuccessAt: row?.last_success_at?.toISOString() ?? null,
      lastError: row?.last_error ?? null,
      lastRecords: row?.last_records ?? null,
      late: !row?.last_success_at || row.last_success_at.getTime() < lateBefore,
    };
  });
}
