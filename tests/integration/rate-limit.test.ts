// Request limits against real Postgres: a limit that cannot find its key refuses, and expired rows
// are deleted while live ones stay.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { consumeLimits, deleteExpiredLimits, resetLimiters, type Limit } from "@/lib/rate-limit";
import { createAppDatabase, type TestDatabase } from "./test-db";

let database: TestDatabase;

beforeAll(async () => {
  database = await createAppDatabase();
});

afterAll(async () => {
  await database.drop();
});

beforeEach(async () => {
  await database.pool.query(`TRUNCATE rate_limit`);
  resetLimiters();
});

async function rows(): Promise<{ key: string; points: number }[]> {
  return (await database.pool.query(`SELECT key, points FROM rate_limit ORDER BY key`)).rows;
}

describe("consumeLimits", () => {
  const perIp: Limit = { points: 5, duration: 3600 };
  const perVisitor: Limit = { points: 5, duration: 3600 };

  it.each([undefined, ""])("refuses when a limit's key is unknown (%j), taking no point from any limit", async (key) => {
    const check = await consumeLimits([
      { name: "test-visitor", limit: perVisitor, key: "visitor-1" },
      { name: "test-ip", limit: perIp, key },
    ]);
    expect(check).toEqual({ ok: false, reason: "unknown-key", limit: "test-ip", retryAfterSeconds: 3600 });
    expect(await rows()).toEqual([]);
  });

  it("refuses an unknown key in a limit kept in memory too", async () => {
    const check = await consumeLimits([{ name: "test-memory", limit: { points: 1_000, duration: 60, store: "memory" }, key: undefined }]);
    expect(check).toMatchObject({ ok: false, reason: "unknown-key", limit: "test-memory", retryAfterSeconds: 60 });
  });

  it("takes a point from each known key and names the exhausted limit", async () => {
    const checks = [
      { name: "test-ip", limit: { points: 2, duration: 3600 }, key: "192.0.2.1" },
      { name: "test-visitor", limit: perVisitor, key: "visitor-1" },
    ];
    expect(await consumeLimits(checks)).toEqual({ ok: true });
    expect(await consumeLimits(checks)).toEqual({ ok: true });
    const over = await consumeLimits(checks);
    expect(over).toMatchObject({ ok: false, reason: "exhausted", limit: "test-ip" });
    expect(!over.ok && over.retryAfterSeconds).toBeGreaterThan(3_500);
    expect(await rows()).toEqual([
      { key: "test-ip:192.0.2.1", points: 3 },
      { key: "test-visitor:visitor-1", points: 2 },
    ]);
  });
});

describe("deleteExpiredLimits", () => {
  it("deletes the rows whose window has passed and keeps live ones and those without an expiry", async () => {
    const now = Date.now();
    await database.pool.query(
      `INSERT INTO rate_limit (key, points, expire) VALUES
         ('gone:a', 3, $1), ('gone:b', 1, $2), ('live:a', 2, $3), ('live:b', 1, $4), ('forever:a', 7, NULL)`,
      [now - 86_400_000, now - 1, now + 1_000, now + 3_600_000],
    );
    // A limit in use right now stays, with its count.
    expect(await consumeLimits([{ name: "live", limit: { points: 5, duration: 3600 }, key: "c" }])).toEqual({ ok: true });
    expect(await deleteExpiredLimits(now)).toBe(2);
    expect(await rows()).toEqual([
      { key: "forever:a", points: 7 },
      { key: "live:a", points: 2 },
      { key: "live:b", points: 1 },
      { key: "live:c", points: 1 },
    ]);
    expect(await deleteExpiredLimits(now)).toBe(0);
    // With the clock past their windows, the rest go too (but not the one without an expiry).
    expect(await deleteExpiredLimits(now + 2 * 3_600_000)).toBe(3);
    expect(await rows()).toEqual([{ key: "forever:a", points: 7 }]);
  });
});
