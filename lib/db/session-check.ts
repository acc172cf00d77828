// Refuses a database that does not give each connection a session of its own (a transaction- or
// statement-mode pooler such as PgBouncer): the worker's advisory locks and LISTEN live in a session.
import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { ConfigError } from "@/lib/env";

export const POOLER_MESSAGE =
  "DATABASE_URL points at a transaction-mode pooler (PgBouncer?); the worker needs session-level connections for advisory locks and LISTEN: point it at Postgres directly or at a session-mode pool";

/** A configuration error (the CLIs exit with 2, which the systemd units do not restart on). */
export class TransactionPoolerError extends ConfigError {
  constructor(readonly evidence: string[]) {
    super([{ variable: "DATABASE_URL", message: POOLER_MESSAGE.replace(/^DATABASE_URL /, "") }]);
    this.message = `${POOLER_MESSAGE} (${evidence.join("; ")})`;
    this.name = "TransactionPoolerError";
  }
}

type Rows = { rows: Record<string, unknown>[] };
/** One checked-out connection: what the check needs of a pg.PoolClient. */
export type ProbeClient = { query(sql: string, values?: unknown[]): Promise<Rows>; release(destroy?: boolean): void };
/** Where connections come from: a pg.Pool fits. */
export type ProbeSource = { connect(): Promise<ProbeClient> };

// A custom setting set for the session (is_local false): on a real session it is still there at
// the next statement; a pooler may run that statement on another backend, where it is not.
const SETTING = "trending_papers.session_check";
const PID = "SELECT pg_backend_pid() AS pid";
const PID_AND_TOKEN = `SELECT pg_backend_pid() AS pid, current_setting('${SETTING}', true) AS token`;

function pidOf(result: Rows): number {
  return Number(result.rows[0]?.pid);
}

/**
 * Throws TransactionPoolerError when consecutive statements of one connection do not share a
 * session. Two connections are opened: the second holds a transaction while the first runs its
 * next statement, so a pooler cannot hand the first one its old backend back (PgBouncer reuses the
 * last freed backend first, which is the first connection's: the two then report the same pid).
 * A pool passed in needs two free connections.
 */
export async function assertSessionConnection(target: string | ProbeSource, options: { waitMs?: number } = {}): Promise<void> {
  const own = typeof target === "string" ? clientsOf(target) : undefined;
  const source = own ?? (target as ProbeSource);
  const waitMs = options.waitMs ?? 500;
  const evidence: string[] = [];
  const first = await source.connect();
  let second: ProbeClient | undefined;
  let failed = false;
  try {
    const token = randomBytes(8).toString("hex");
    const before = pidOf(await first.query(`SELECT pg_backend_pid() AS pid, set_config('${SETTING}', $1, false)`, [token]));
    second = await source.connect();
    await second.query("BEGIN");
    const other = pidOf(await second.query(PID));
    if (other === before) evidence.push(`two connections were served by the same backend, pid ${before}`);
    // With a pool of one backend this statement waits for the other's transaction: end it after a while.
    const pending = first.query(PID_AND_TOKEN);
    pending.catch(() => undefined); // awaited below; this only keeps a failure while COMMIT runs from going unhandled
    const early = await Promise.race([pending, sleep(waitMs, undefined, { ref: false })]);
    await second.query("COMMIT");
    const after = early ?? (await pending);
    if (pidOf(after) !== before) evidence.push(`one connection's statements ran on backends ${before} and ${pidOf(after)}`);
    if (after.rows[0]?.token !== token) evidence.push("a session setting was gone at the next statement");
    await first.query(`SELECT set_config('${SETTING}', '', false)`);
  } catch (error) {
    failed = true;
    // PgBouncer in statement mode refuses transactions outright.
    if (/pooling mode/i.test((error as Error).message)) throw new TransactionPoolerError([(error as Error).message]);
    throw error;
  } finally {
    first.release(failed);
    second?.release(failed);
    await own?.end();
  }
  if (evidence.length > 0) throw new TransactionPoolerError(evidence);
}

/** Plain connections for a URL, closed by end(). */
function clientsOf(url: string): ProbeSource & { end(): Promise<void> } {
  const opened: pg.Client[] = [];
  return {
    async connect() {
      const client = new pg.Client({ connectionString: url, application_name: "trending-papers-session-check" });
      opened.push(client);
      await client.connect();
      return { query: (sql, values) => client.query(sql, values), release: () => undefined };
    },
    async end() {
      await Promise.all(opened.map((client) => client.end().catch(() => undefined)));
    },
  };
}
