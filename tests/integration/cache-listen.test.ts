// The web server's ear for changes, against real Postgres: an announcement reaches the page cache,
// a lost LISTEN connection turns the cache off until it listens again, and every web process (here,
// two listeners) hears one announcement.
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { listenForChanges, type Invalidatable, type Listener } from "@/lib/cache/listen";
import { announceChange, CACHE_CHANNEL } from "@/lib/cache/notify";
import { PageCache } from "@/lib/http/page-cache";
import { createDatabase, type TestDatabase } from "./test-db";

let database: TestDatabase;
const listeners: Listener[] = [];

beforeAll(async () => {
  database = await createDatabase({ migrated: false });
});

afterEach(async () => {
  await Promise.all(listeners.splice(0).map((listener) => listener.stop()));
});

afterAll(async () => {
  await database.drop();
});

/** What the listener did to the cache, in order. */
class RecordingCache implements Invalidatable {
  readonly events: string[] = [];
  readonly invalidated: string[][] = [];
  enabled = false;

  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    this.events.push(enabled ? "enabled" : "disabled");
  }

  invalidate(tags: Iterable<string>): void {
    this.invalidated.push([...tags]);
    this.events.push("invalidate");
  }

  clear(): void {
    this.events.push("clear");
  }
}

/** The listener's own connection is told apart from the test's pool by its application_name. */
function listen(cache: Invalidatable, name: string, log?: (message: string) => void): Listener {
  const url = new URL(database.url);
  url.searchParams.set("application_name", name);
  const listener = listenForChanges({ url: url.toString(), cache, heartbeatMs: 1_000, log });
  listeners.push(listener);
  return listener;
}

async function connectionsOf(name: string): Promise<number> {
  const { rows } = await database.pool.query<{ count: number }>("SELECT count(*)::int AS count FROM pg_stat_activity WHERE application_name = $1", [name]);
  return rows[0]?.count ?? 0;
}

async function terminate(name: string, via: Pick<pg.Pool, "query"> = database.pool): Promise<number> {
  const { rowCount } = await via.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1", [name]);
  return rowCount ?? 0;
}

const POLL = { timeout: 5_000, interval: 25 };

describe("listening for cache announcements", () => {
  it("enables the cache once listening, and hands announced tags to it", async () => {
    const cache = new RecordingCache();
    await listen(cache, "listener-announce").ready;
    expect(cache.events).toEqual(["enabled"]);

    await announceChange(["trending", "paper:2401.00001"], database.pool);
    await vi.waitFor(() => expect(cache.invalidated).toEqual([["trending", "paper:2401.00001"]]), POLL);
  });

  it("empties the cache for an announcement it cannot read", async () => {
    const cache = new RecordingCache();
    await listen(cache, "listener-junk").ready;
    await database.pool.query("SELECT pg_notify($1, $2)", [CACHE_CHANNEL, "not json"]);
    await vi.waitFor(() => expect(cache.events).toEqual(["enabled", "clear"]), POLL);
    expect(cache.invalidated).toEqual([]);
  });

  it("turns the cache off when its connection is lost, on again once it listens again, and hears what comes after", async () => {
    const cache = new PageCache({ maxBytes: 1024 * 1024, policy: () => null });
    const invalidate = vi.spyOn(cache, "invalidate");
    const setEnabled = vi.spyOn(cache, "setEnabled");
    await listen(cache, "listener-lost").ready;
    expect(cache.isEnabled).toBe(true);

    expect(await terminate("listener-lost")).toBe(1);
    await vi.waitFor(() => expect(setEnabled).toHaveBeenCalledWith(false), POLL);
    await vi.waitFor(() => expect(cache.isEnabled).toBe(true), POLL);
    expect(setEnabled.mock.calls).toEqual([[true], [false], [true]]);

    await announceChange(["paper:2401.00002"], database.pool);
    await vi.waitFor(() => expect(invalidate).toHaveBeenCalledWith(["paper:2401.00002"]), POLL);
  });

  it("stays off while the database refuses it, and comes back when it is reachable again", async () => {
    const cache = new RecordingCache();
    const losses: string[] = [];
    await listen(cache, "listener-refused", (message) => losses.push(message)).ready;
    // From the cluster's admin connection: the test's own pool may need a new connection meanwhile.
    const admin = new pg.Client({ connectionString: inject("postgresAdminUrl") });
    await admin.connect();
    const name = new URL(database.url).pathname.slice(1);
    await admin.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS false`);
    try {
      await terminate("listener-refused", admin);
      // The connection lost, then at least one reconnection refused: the cache stays off meanwhile.
      await vi.waitFor(() => expect(losses.length).toBeGreaterThanOrEqual(2), POLL);
      expect(cache.enabled).toBe(false);
      expect(cache.events.filter((event) => event === "enabled")).toHaveLength(1);
    } finally {
      await admin.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS true`);
      await admin.end();
    }
    await vi.waitFor(() => expect(cache.enabled).toBe(true), { timeout: 10_000, interval: 50 });
    await announceChange(["digests"], database.pool);
    await vi.waitFor(() => expect(cache.invalidated).toEqual([["digests"]]), POLL);
  });

  it("reaches every web process: two listeners both hear one announcement, a stopped one no more and closes its connection", async () => {
    const first = new PageCache({ maxBytes: 1024 * 1024, policy: () => null });
    const second = new PageCache({ maxBytes: 1024 * 1024, policy: () => null });
    const firstHeard = vi.spyOn(first, "invalidate");
    const secondHeard = vi.spyOn(second, "invalidate");
    const firstListener = listen(first, "listener-first");
    await Promise.all([firstListener.ready, listen(second, "listener-second").ready]);

    await announceChange(["trending"], database.pool);
    await vi.waitFor(() => {
      expect(firstHeard).toHaveBeenCalledWith(["trending"]);
      expect(secondHeard).toHaveBeenCalledWith(["trending"]);
    }, POLL);

    expect(await connectionsOf("listener-first")).toBe(1);
    await firstListener.stop();
    expect(first.isEnabled).toBe(false);
    await vi.waitFor(async () => expect(await connectionsOf("listener-first")).toBe(0), POLL);
    await announceChange(["papers"], database.pool);
    await vi.waitFor(() => expect(secondHeard).toHaveBeenCalledWith(["papers"]), POLL);
    expect(firstHeard).toHaveBeenCalledTimes(1);
  });
});
