// Spaces requests to one host across every process that shares the database: arXiv asks for at most
// one request every 3 seconds, on one connection, for all of a service's machines. A session advisory
// lock per host makes requests one at a time; `fetch_gate.next_at` says when the next may start. A
// process that dies mid-request releases the lock with its connection.
import type pg from "pg";

/** The class of the gate's advisory locks (the second key is a hash of the host). */
const GATE_LOCK_CLASS = 0x7470_6667; // "tpfg"

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export type GateTurn<T> = {
  value: T;
  /** Keep the gate closed at least this long after the request (a server's Retry-After). */
  holdMs?: number;
};

/**
 * Runs `request` when the gate for `key` is open: at least `minIntervalMs` after every earlier
 * request through it has finished (or longer, if one asked to hold the gate). Counting from the end
 * keeps the spacing however long the server takes to answer. The wait is measured on Postgres's
 * clock, so machines with skewed clocks agree.
 */
export async function throughGate<T>(pool: pg.Pool, key: string, minIntervalMs: number, request: () => Promise<GateTurn<T>>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(`SELECT pg_advisory_lock($1, hashtext($2))`, [GATE_LOCK_CLASS, key]);
    try {
      const { rows } = await client.query<{ wait: number }>(
        `INSERT INTO fetch_gate (host) VALUES ($1) ON CONFLICT (host) DO UPDATE SET host = excluded.host
         RETURNING greatest(0, extract(epoch FROM next_at - clock_timestamp()) * 1000)::float8 AS wait`,
        [key],
      );
      const wait = rows[0]?.wait ?? 0;
      if (wait > 0) await sleep(wait);
      let holdMs = 0;
      try {
        const turn = await request();
        holdMs = turn.holdMs ?? 0;
        return turn.value;
      } finally {
        const closedFor = Math.max(minIntervalMs, holdMs);
        await client.query(`UPDATE fetch_gate SET next_at = clock_timestamp() + make_interval(secs => $2::float8 / 1000) WHERE host = $1`, [
          key,
          closedFor,
        ]);
      }
    } finally {
      await client.query(`SELECT pg_advisory_unlock($1, hashtext($2))`, [GATE_LOCK_CLASS, key]);
    }
  } finally {
    client.release();
  }
}
