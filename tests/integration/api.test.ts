// The public API's HTTP contract against real Postgres: ETag and 304 on trending and paper
// answers, CORS on every GET answer (errors too) and on preflights, and the per-IP limit.
import { NextRequest } from "next/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GET as paperApi, OPTIONS as paperPreflight } from "@/app/api/papers/[...id]/route";
import { GET as papersApi } from "@/app/api/papers/route";
import { GET as feedXml } from "@/app/feed.xml/route";
import { resetLimiters } from "@/lib/rate-limit";
import { createAppDatabase, type TestDatabase } from "./test-db";
import { fromClient } from "./client";

let database: TestDatabase;
let ipCounter = 1;

beforeAll(async () => {
  database = await createAppDatabase(["hf-daily-papers"]);
});

afterAll(async () => {
  await database.drop();
});

beforeEach(() => {
  resetLimiters();
});

function get(url: string, headers: Record<string, string> = {}): NextRequest {
  return new NextRequest(new URL(url, "http://localhost:3000"), { headers: { ...fromClient(`192.0.2.${ipCounter++}`), ...headers } });
}

const paper = (id: string, headers: Record<string, string> = {}) => paperApi(get(`/api/papers/${id}`, headers), { params: Promise.resolve({ id: id.split("/") }) });

describe("ETag and 304", () => {
  it("a trending page answers If-None-Match with 304 while it is unchanged, and a new ETag after a vote", async () => {
    const first = await papersApi(get("/api/papers?period=day&date=2026-06-16&limit=5"));
    expect(first.status).toBe(200);
    const etag = first.headers.get("etag");
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
    expect(first.headers.get("cache-control")).toBe("public, max-age=60, stale-while-revalidate=300");
    const body = await first.json();

    const again = await papersApi(get("/api/papers?period=day&date=2026-06-16&limit=5", { "if-none-match": etag! }));
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    expect(again.headers.get("etag")).toBe(etag);
    // Weak comparison and lists, as caches send them.
    expect((await papersApi(get("/api/papers?period=day&date=2026-06-16&limit=5", { "if-none-match": `"x", W/${etag}` }))).status).toBe(304);

    await database.pool.query(`UPDATE paper SET local_upvotes = local_upvotes + 1 WHERE id = $1`, [body.items[1].id]);
    const changed = await papersApi(get("/api/papers?period=day&date=2026-06-16&limit=5", { "if-none-match": etag! }));
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).not.toBe(etag);
  });

  it("a paper answers 304 for its ETag, and a different paper does not share it", async () => {
    const { rows } = await database.pool.query<{ id: string }>(`SELECT id FROM paper ORDER BY id LIMIT 2`);
    const first = await paper(rows[0]!.id);
    const etag = first.headers.get("etag")!;
    expect((await paper(rows[0]!.id, { "if-none-match": etag })).status).toBe(304);
    const other = await paper(rows[1]!.id, { "if-none-match": etag });
    expect(other.status).toBe(200);
    expect(other.headers.get("etag")).not.toBe(etag);
  });
});

describe("CORS", () => {
  it("allows any origin to read GET answers and errors, and exposes ETag and Retry-After", async () => {
    const ok = await papersApi(get("/api/papers", { origin: "https://reader.example" }));
    const bad = await papersApi(get("/api/papers?period=year", { origin: "https://reader.example" }));
    const missing = await paper("2599.99999");
    for (const response of [ok, bad, missing]) {
      expect(response.headers.get("access-control-allow-origin")).toBe("*");
      expect(response.headers.get("access-control-expose-headers")).toBe("ETag, Retry-After");
    }
    expect([ok.status, bad.status, missing.status]).toEqual([200, 400, 404]);
    expect((await feedXml(get("/feed.xml"))).headers.get("access-control-allow-origin")).toBe("*");
  });

  it("answers the preflight of a conditional GET", async () => {
    const response = paperPreflight();
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-methods")).toBe("GET, HEAD, OPTIONS");
    expect(response.headers.get("access-control-allow-headers")).toContain("If-None-Match");
  });
});

describe("per-IP limit", () => {
  it("answers 429 with Retry-After past API_LIMIT_IP requests a minute from one IP, and not for another IP", async () => {
    // API_LIMIT_IP is 40 in the integration tests' environment.
    const ip = fromClient("203.0.113.7");
    const statuses: number[] = [];
    for (let n = 0; n < 41; n++) statuses.push((await papersApi(get("/api/papers?limit=1", ip))).status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(40);
    const limited = await papersApi(get("/api/papers?limit=1", ip));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(Number(limited.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    expect(limited.headers.get("access-control-allow-origin")).toBe("*");
    expect(await limited.json()).toMatchObject({ error: { code: "rate_limited" } });
    expect((await papersApi(get("/api/papers?limit=1", fromClient("203.0.113.8")))).status).toBe(200);
  });
});
