// The database readings /metrics shows, read at scrape time: each statement is bounded (an index
// probe, a capped count, a handful of rows), all run in one read-only transaction under a statement
// timeout, and the caller stops waiting at that timeout too, so a slow database never hangs a scrape.
import type pg from "pg";

/** The outbox is counted up to this many rows (a reindex or a bulk ingest queues every paper). */
const OUTBOX_COUNT_CAP = 100_000;

export type DatabaseReadings = {
  outboxDepth: number;
  /** The latest frozen digest's date and its deliveries by status (pending, sending, sent, failed, skipped). */
  digest: { date: string; deliveries: Record<string, number> } | null;
  harvests: { source: string; scope: string; lastSuccessAt: Date | null }[];
};

class ReadingTimeoutError extends Error {
  constructor(ms: number) {
    super(`the database did not answer within ${ms} ms`);
    this.name = "ReadingTimeoutError";
  }
}

async function readAll(client: pg.PoolClient, timeoutMs: number): Promise<DatabaseReadings> {
  await client.query("BEGIN READ ONLY");
  try {
    await client.query(`SELECT set_config('statement_timeout', $1, true)`, [`${timeoutMs}ms`]);
    const outbox = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM (SELECT 1 FROM search_outbox LIMIT $1) capped`, [OUTBOX_COUNT_CAP]);
    // The latest digest by its primary key, then its rows by delivery_queue_idx (digest_date, status).
    const digest = await client.query<{ date: string | null; status: string | null; n: number }>(
      `SELECT latest.date::text AS date, counts.status, coalesce(counts.n, 0)::int AS n
       FROM (SELECT max(date) AS date FROM digest) latest
       LEFT JOIN LATERAL (SELECT status, count(*) AS n FROM delivery WHERE digest_date = latest.date GROUP BY status) counts ON true`,
    );
    const harvests = await client.query<{ source: string; scope: string; lastSuccessAt: Date | null }>(
      `SELECT source, scope, last_success_at AS "lastSuccessAt" FROM harvest_state ORDER BY source, scope LIMIT 100`,
    );
    await client.query("COMMIT");
    const date = digest.rows[0]?.date ?? null;
    const deliveries = Object.fromEntries(digest.rows.filter((row) => row.status !== null).map((row) => [row.status!, row.n]));
    return { outboxDepth: outbox.rows[0]?.n ?? 0, digest: date ? { date, deliveries } : null, harvests: harvests.rows };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}

/** The readings, or a rejection once `timeoutMs` has passed (the connection goes back to the pool when its statement ends). */
export function readDatabaseGauges(pool: pg.Pool, timeoutMs: number): Promise<DatabaseReadings> {
  const reading = (async () => {
    const client = await pool.connect();
    try {
      return await readAll(client, timeoutMs);
    } finally {
      client.release();
    }
  })();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ReadingTimeoutError(timeoutMs)), timeoutMs);
  });
  reading.catch(() => undefined);
  return Promise.race([reading, timeout]).finally(() => clearTimeout(timer));
}
