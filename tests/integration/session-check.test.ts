// The pooler check against real Postgres: a direct connection, by URL or by pool, keeps its session
// and passes, and leaves nothing behind (no connection open, the probe's setting cleared).
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertSessionConnection } from "@/lib/db/session-check";
import { createDatabase, type TestDatabase } from "./test-db";

let database: TestDatabase;

beforeAll(async () => {
  database = await createDatabase({ migrated: false });
});

afterAll(async () => {
  await database.drop();
});

async function probeConnections(): Promise<number> {
  const { rows } = await database.pool.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM pg_stat_activity WHERE application_name = 'trending-papers-session-check'`,
  );
  return rows[0]!.count;
}

describe("assertSessionConnection on Postgres itself", () => {
  it("passes for a URL and closes its connections", async () => {
    await expect(assertSessionConnection(database.url)).resolves.toBeUndefined();
    expect(await probeConnections()).toBe(0);
  });

  it("passes for a pool and clears its setting on the pool's connection", async () => {
    const pool = new pg.Pool({ connectionString: database.url, max: 2 });
    try {
      await expect(assertSessionConnection(pool)).resolves.toBeUndefined();
      const clients = await Promise.all([pool.connect(), pool.connect()]);
      const settings = await Promise.all(clients.map((client) => client.query(`SELECT current_setting('trending_papers.session_check', true) AS value`)));
      clients.forEach((client) => client.release());
      expect(settings.map((result) => result.rows[0]?.value ?? "")).toEqual(["", ""]);
    } finally {
      await pool.end();
    }
  });
});
