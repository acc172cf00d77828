// Every statement the harvest runs in Postgres, named: each live source's saved position and last
// outcome (harvest_state), the Hugging Face days fetched (harvest_day), and the per-host request
// gate shared by every process (fetch_gate and its advisory locks).
import type pg from "pg";

/** The live sources a harvest reads. */
export type LiveSource = "arxiv-oai" | "hf-daily";

/** The saved position of a source and scope (the `from` date of the next OAI-PMH harvest), or null. */
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

export type HarvestStateRow = {
  source: LiveSource;
  scope: string;
  position: string | null;
  lastAttemptAt: Date | null;
  lastSuccessAt: Date | null;
  lastError: string | null;
  lastRecords: number | null;
};

/** Every source and scope that was ever harvested. */
export async function harvestStateRows(pool: pg.Pool): Promise<HarvestStateRow[]> {
  const { rows } = await pool.query<HarvestStateRow>(
    `SELECT source, scope, position, last_attempt_at AS "lastAttemptAt", last_success_at AS "lastSuccessAt",
       last_error AS "lastError", last_records AS "lastRecords"
     FROM harvest_state`,
  );
  return rows;
}

/** The Hugging Face days (YYYY-MM-DD) fetched on or after `since`. */
export async function fetchedHfDays(pool: pg.Pool, since: string): Promise<string[]> {
  const { rows } = await pool.query<{ day: string }>(`SELECT day::text AS day FROM harvest_day WHERE source = 'hf-daily' AND day >= $1::date`, [since]);
  return rows.map((row) => row.day);
}

/** Records a Hugging Face day as fetched now, with the papers it listed. */
export async function recordHfDay(pool: pg.Pool, day: string, papers: number): Promise<void> {
  await pool.query(
    `INSERT INTO harvest_day (source, day, papers) VALUES ('hf-daily', $1::date, $2)
     ON CONFLICT (source, day) DO UPDATE SET fetched_at = now(), papers = excluded.papers`,
    [day, papers],
  );
}

/** The class of the gate's advisory locks (the second key is a hash of the host). */
const GATE_LOCK_CLASS = 0x7470_6667; // "tpfg"

// The gate's lock is a session lock: take and free it on one checked-out client.

/** Takes the lock of the gate for `key` if no process holds it. */
export async function tryLockGate(client: pg.PoolClient, key: string): Promise<boolean> {
  const { rows } = await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok`, [GATE_LOCK_CLASS, key]);
  return rows[0]?.ok ?? false;
}

export async function unlockGate(client: pg.PoolClient, key: string): Promise<void> {
  await client.query(`SELECT pg_advisory_unlock($1, hashtext($2))`, [GATE_LOCK_CLASS, key]);
}

/** How many milliseconds, on Postgres's clock, until the gate for `key` opens (0 when open; a new gate is open). */
export async function gateWaitMs(client: pg.PoolClient, key: string): Promise<number> {
  const { rows } = await client.query<{ wait: number }>(
    `INSERT INTO fetch_gate (host) VALUES ($1) ON CONFLICT (host) DO UPDATE SET host = excluded.host
     RETURNING greatest(0, extract(epoch FROM next_at - clock_timestamp()) * 1000)::float8 AS wait`,
    [key],
  );
  return rows[0]?.wait ?? 0;
}

/** Keeps the gate for `key` closed at least `ms` from now (never shortens a longer hold). */
export async function closeGate(client: pg.PoolClient, key: string, ms: number): Promise<void> {
  await client.query(`UPDATE fetch_gate SET next_at = greatest(next_at, clock_timestamp() + make_interval(secs => $2::float8 / 1000)) WHERE host = $1`, [key, ms]);
}
