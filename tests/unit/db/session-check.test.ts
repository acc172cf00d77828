// The pooler check's logic against simulated poolers: a backend per connection passes; a
// transaction-mode pooler (LIFO like PgBouncer, or one backend) and a statement-mode one are refused.
import { describe, expect, it } from "vitest";
import { ConfigError } from "@/lib/env";
import { assertSessionConnection, POOLER_MESSAGE, TransactionPoolerError, type ProbeClient, type ProbeSource } from "@/lib/db/session-check";

type Backend = { pid: number; settings: Map<string, string> };

/** Answers the statements the check sends, on a backend, as Postgres would. */
function run(backend: Backend, sql: string, values: unknown[] = []) {
  const set = /set_config\('([^']+)', (\$1|'')/.exec(sql);
  if (set?.[1]) backend.settings.set(set[1], set[2] === "$1" ? String(values[0]) : "");
  const read = /current_setting\('([^']+)'/.exec(sql);
  return { rows: [{ pid: backend.pid, ...(read?.[1] ? { token: backend.settings.get(read[1]) ?? null } : {}) }] };
}

/** Session mode (or Postgres itself): each connection has its own backend for its lifetime. */
function sessionPool(): ProbeSource {
  let next = 100;
  return {
    async connect() {
      const backend: Backend = { pid: next++, settings: new Map() };
      return { query: async (sql, values) => run(backend, sql, values), release: () => undefined };
    },
  };
}

/**
 * Transaction mode: each statement outside a transaction borrows an idle backend (the last freed
 * first, as PgBouncer does) and gives it back; BEGIN keeps one until COMMIT; with every backend busy
 * a statement waits.
 */
function transactionPool(size: number, mode: "transaction" | "statement" = "transaction"): ProbeSource {
  const backends: Backend[] = [];
  const idle: Backend[] = [];
  const waiting: ((backend: Backend) => void)[] = [];
  const acquire = async (): Promise<Backend> => {
    const free = idle.pop();
    if (free) return free;
    if (backends.length < size) {
      const made: Backend = { pid: 200 + backends.length, settings: new Map() };
      backends.push(made);
      return made;
    }
    return new Promise((resolve) => waiting.push(resolve));
  };
  const giveBack = (backend: Backend) => {
    const waiter = waiting.shift();
    if (waiter) waiter(backend);
    else idle.push(backend);
  };
  return {
    async connect(): Promise<ProbeClient> {
      let pinned: Backend | undefined;
      return {
        async query(sql, values) {
          if (sql === "BEGIN" && mode === "statement") throw new Error("transaction blocks not allowed in statement pooling mode");
          const backend = pinned ?? (await acquire());
          const result = run(backend, sql, values);
          if (sql === "BEGIN") pinned = backend;
          else if (sql === "COMMIT") pinned = undefined;
          if (!pinned) giveBack(backend);
          return result;
        },
        release: () => undefined,
      };
    },
  };
}

describe("assertSessionConnection", () => {
  it("passes when each connection keeps its own backend", async () => {
    await expect(assertSessionConnection(sessionPool())).resolves.toBeUndefined();
  });

  it("refuses a transaction-mode pooler that hands the freed backend to the next connection", async () => {
    const error = await assertSessionConnection(transactionPool(20)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TransactionPoolerError);
    // A configuration error: the CLIs' failureCode exits with 2 for it, and the units do not restart on 2.
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as TransactionPoolerError).message).toContain(POOLER_MESSAGE);
    expect((error as TransactionPoolerError).problems).toEqual([{ variable: "DATABASE_URL", message: expect.stringMatching(/^points at a transaction-mode pooler/) }]);
    expect((error as TransactionPoolerError).evidence).toEqual([
      "two connections were served by the same backend, pid 200",
      "one connection's statements ran on backends 200 and 201",
      "a session setting was gone at the next statement",
    ]);
  });

  it("refuses a pooler with a single backend without waiting forever", async () => {
    const error = await assertSessionConnection(transactionPool(1), { waitMs: 20 }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ evidence: ["two connections were served by the same backend, pid 200"] });
  });

  it("refuses a statement-mode pooler, which rejects transactions", async () => {
    await expect(assertSessionConnection(transactionPool(5, "statement"))).rejects.toThrow(TransactionPoolerError);
  });

  it("refuses a connection whose every statement reports another backend", async () => {
    let pid = 300;
    const shifting: ProbeSource = {
      async connect() {
        return { query: async (sql, values) => run({ pid: pid++, settings: new Map() }, sql, values), release: () => undefined };
      },
    };
    await expect(assertSessionConnection(shifting)).rejects.toThrow(/backends 300 and 303/);
  });

  it("passes other errors through unchanged and releases both connections", async () => {
    const released: boolean[] = [];
    const failing: ProbeSource = {
      async connect() {
        return {
          query: async (sql) => {
            if (sql === "BEGIN") throw new Error("connection reset");
            return run({ pid: 1, settings: new Map() }, sql);
          },
          release: (destroy) => void released.push(destroy === true),
        };
      },
    };
    await expect(assertSessionConnection(failing)).rejects.toThrow(/^connection reset$/);
    expect(released).toEqual([true, true]);
  });
});
