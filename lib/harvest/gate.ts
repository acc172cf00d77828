// Spaces requests to one host across every process that shares the database: arXiv asks for at most
// one request every 3 seconds, on one connection, for all of a service's machines. A session advisory
// lock per host makes requests one at a time; `fetch_gate.next_at` says when the next may start. The
// gate is closed before a request goes out, so a process that dies mid-request (its lock freed with
// its connection) still leaves the next one waiting.
import type pg from "pg";
import { closeGate, gateWaitMs, tryLockGate, unlockGate } from "./store";

/** How often a waiting process tries the lock again. */
const LOCK_POLL_MS = 100;

export class GateClosedError extends Error {
  constructor(
    readonly key: string,
    readonly waitMs: number,
  ) {
    super(`requests to ${key} are held for another ${Math.round(waitMs / 1000)} s (a server's Retry-After)`);
    this.name = "GateClosedError";
  }
}

/** Waits, or rejects with the signal's reason when it is aborted first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export type GateTurn<T> = {
  value: T;
  /** Keep the gate closed at least this long after the request (a server's Retry-After). */
  holdMs?: number;
};

export type GateOptions = {
  minIntervalMs: number;
  /** Fail with GateClosedError instead of waiting longer than this for the gate to open. */
  maxWaitMs?: number;
  signal?: AbortSignal;
};

/**
 * Runs `request` when the gate for `key` is open: at least `minIntervalMs` after every earlier
 * request through it has finished (or longer, if one asked to hold the gate). Counting from the end
 * keeps the spacing however long the server takes to answer. The wait is measured on Postgres's
 * clock, so machines with skewed clocks agree.
 */
export async function throughGate<T>(pool: pg.Pool, key: string, options: GateOptions, request: () => Promise<GateTurn<T>>): Promise<T> {
  const client = await pool.connect();
  // A checked-out client has no error listener: without one, a dropped session would crash the process.
  let broken: Error | undefined;
  const onError = (error: Error) => {
    broken = error;
  };
  client.on("error", onError);
  try {
    while (!(await tryLockGate(client, key))) {
      await sleep(LOCK_POLL_MS, options.signal);
    }
    try {
      const wait = await gateWaitMs(client, key);
      if (options.maxWaitMs !== undefined && wait > options.maxWaitMs) throw new GateClosedError(key, wait);
      if (wait > 0) await sleep(wait, options.signal);
      // Closed before the request: if this process dies mid-request, the next still waits.
      await closeGate(client, key, options.minIntervalMs);
      let holdMs = 0;
      try {
        const turn = await request();
        holdMs = turn.holdMs ?? 0;
        return turn.value;
      } finally {
        await closeGate(client, key, Math.max(options.minIntervalMs, holdMs));
      }
    } finally {
      await unlockGate(client, key);
    }
  } catch (error) {
    broken ??= error as Error;
    throw error;
  } finally {
    client.off("error", onError);
    // A client that failed is destroyed, never handed back to the pool holding the lock.
    client.release(broken);
  }
}
