// Votes through POST /api/votes against real Postgres: one per visitor, toggling, the signed cookie,
// limits, unknown papers, and trending reacting to votes.
import { NextRequest } from "next/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { POST as vote } from "@/app/api/votes/route";
import { listTrending } from "@/lib/papers/trending";
import { resetLimiters } from "@/lib/rate-limit";
import { VISITOR_COOKIE } from "@/lib/votes/visitor";
import { createAppDatabase, type TestDatabase } from "./test-db";

const DAY = "2026-06-16";
let database: TestDatabase;

beforeAll(async () => {
  database = await createAppDatabase(["hf-daily-papers"]);
});

afterAll(async () => {
  await database.drop();
});

beforeEach(async () => {
  await database.pool.query(`TRUNCATE vote, rate_limit`);
  await database.pool.query(`UPDATE paper SET local_upvotes = 0 WHERE local_upvotes <> 0`);
  resetLimiters();
});

type Visitor = { cookie: string | null; ip: string };

let nextIp = 1;
/** A browser: keeps the cookie the site sets, from its own IP unless told otherwise. */
function visitor(ip = `198.51.100.${nextIp++}`): Visitor {
  return { cookie: null, ip };
}

async function cast(who: Visitor, body: unknown, headers: Record<string, string> = {}) {
  const request = new NextRequest(new URL("/api/votes", "http://localhost:3000"), {
    method: "POST",
    body: typeof body === "string" ? body : JSON.stringify(body),
    headers: { "content-type": "application/json", "x-forwarded-for": who.ip, ...(who.cookie ? { cookie: who.cookie } : {}), ...headers },
  });
  const response = await vote(request);
  const set = response.cookies.get(VISITOR_COOKIE);
  if (set) who.cookie = `${VISITOR_COOKIE}=${set.value}`;
  return { status: response.status, body: await response.json(), response };
}

async function votesOf(id: string): Promise<{ local: number; total: number }> {
  const { rows } = await database.pool.query(`SELECT local_upvotes AS local, source_upvotes + local_upvotes AS total FROM paper WHERE id = $1`, [id]);
  return rows[0];
}

async function somePaper(): Promise<{ id: string; votes: number }> {
  const page = await listTrending({ period: "day", date: DAY, limit: 5 });
  return page.items[2]!;
}

describe("POST /api/votes", () => {
  it("counts one vote per visitor, however often it is sent, and sets a signed httpOnly cookie", async () => {
    const paper = await somePaper();
    const alice = visitor();
    const first = await cast(alice, { paperId: paper.id });
    expect(first).toMatchObject({ status: 200, body: { paperId: paper.id, votes: paper.votes + 1, voted: true } });
    const cookie = first.response.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(new RegExp(`^${VISITOR_COOKIE}=[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{32};`));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=lax/i);
    expect(cookie).toMatch(/Max-Age=31536000/i);

    const again = await cast(alice, { paperId: paper.id, voted: true });
    expect(again.body).toMatchObject({ votes: paper.votes + 1, voted: true });
    // A known visitor is not given a new cookie.
    expect(again.response.headers.get("set-cookie")).toBeNull();
    expect(await votesOf(paper.id)).toEqual({ local: 1, total: paper.votes + 1 });

    const bob = visitor();
    expect((await cast(bob, { paperId: paper.id })).body.votes).toBe(paper.votes + 2);
  });

  it("toggles: removing a vote takes it back once, and only the visitor's own", async () => {
    const paper = await somePaper();
    const alice = visitor();
    const bob = visitor();
    await cast(alice, { paperId: paper.id });
    await cast(bob, { paperId: paper.id });
    expect((await cast(alice, { paperId: paper.id, voted: false })).body).toMatchObject({ votes: paper.votes + 1, voted: false });
    expect((await cast(alice, { paperId: paper.id, voted: false })).body).toMatchObject({ votes: paper.votes + 1, voted: false });
    // A visitor who never voted removes nothing.
    expect((await cast(visitor(), { paperId: paper.id, voted: false })).body.votes).toBe(paper.votes + 1);
    expect(await votesOf(paper.id)).toEqual({ local: 1, total: paper.votes + 1 });
  });

  it("does not trust a forged or edited cookie: it counts as a new visitor", async () => {
    const paper = await somePaper();
    const alice = visitor();
    await cast(alice, { paperId: paper.id });
    const [name, value] = alice.cookie!.split("=");
    const [id, signature] = value!.split(".");
    const forged = { cookie: `${name}=${id!.slice(0, -1)}${id!.endsWith("A") ? "B" : "A"}.${signature}`, ip: alice.ip };
    const result = await cast(forged, { paperId: paper.id, voted: false });
    // Not Alice: her vote stays, and a fresh visitor cookie is issued.
    expect(result.body.votes).toBe(paper.votes + 1);
    expect(forged.cookie).not.toContain(id!.slice(0, -1) + (id!.endsWith("A") ? "B" : "A"));
  });

  it("answers 404 for a paper that does not exist and 400/415/403 for bad requests, never a 500", async () => {
    const someone = visitor();
    expect(await cast(someone, { paperId: "2599.99999" })).toMatchObject({ status: 404, body: { error: { code: "not_found" } } });
    expect(await cast(someone, { paperId: "not an id" })).toMatchObject({ status: 404 });
    expect(await cast(someone, { paperId: 5 })).toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/^paperId:/) } } });
    expect(await cast(someone, { paperId: "2606.14777", voted: "yes" })).toMatchObject({ status: 400 });
    expect(await cast(someone, "{not json")).toMatchObject({ status: 400 });
    expect(await cast(someone, { paperId: "x".repeat(5_000) })).toMatchObject({ status: 413 });
    expect(await cast(someone, { paperId: "2606.14777" }, { "content-type": "application/x-www-form-urlencoded" })).toMatchObject({ status: 415 });
    expect(await cast(someone, { paperId: "2606.14777" }, { origin: "https://evil.example" })).toMatchObject({ status: 403 });
    const { rows } = await database.pool.query(`SELECT count(*)::int AS n FROM vote`);
    expect(rows[0].n).toBe(0);
  });

  it("limits votes per visitor and per IP with 429 and Retry-After", async () => {
    const { rows } = await database.pool.query<{ id: string }>(`SELECT id FROM paper ORDER BY id LIMIT 60`);
    // VOTE_LIMIT_VISITOR is 20 in the integration tests' environment, VOTE_LIMIT_IP 50.
    const alice = visitor();
    const statuses: number[] = [];
    for (const row of rows.slice(0, 21)) statuses.push((await cast(alice, { paperId: row.id })).status);
    expect(statuses.slice(0, 20).every((status) => status === 200)).toBe(true);
    const limited = await cast(alice, { paperId: rows[21]!.id });
    expect(limited.status).toBe(429);
    expect(Number(limited.response.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(limited.body.error.code).toBe("rate_limited");

    // Many fresh visitors from one address hit the per-IP limit.
    const sharedIp = "203.0.113.9";
    const perIp: number[] = [];
    for (const row of rows.slice(0, 51)) perIp.push((await cast(visitor(sharedIp), { paperId: row.id })).status);
    expect(perIp.filter((status) => status === 200)).toHaveLength(50);
    expect(perIp.at(-1)).toBe(429);
  });
});

describe("votes and trending", () => {
  it("a paper overtakes the one above it once enough visitors vote for it", async () => {
    const page = await listTrending({ period: "day", date: DAY, limit: 30 });
    // The adjacent pair with the smallest score gap, so a handful of votes is enough.
    let below = 1;
    for (let index = 1; index < page.items.length; index++) {
      if (page.items[index - 1]!.score - page.items[index]!.score < page.items[below - 1]!.score - page.items[below]!.score) below = index;
    }
    const above = page.items[below - 1]!;
    const target = page.items[below]!;
    const needed = Math.floor(above.score - target.score) + 1;
    expect(needed).toBeLessThan(40);
    for (let count = 0; count < needed; count++) expect((await cast(visitor(), { paperId: target.id })).status).toBe(200);
    const after = await listTrending({ period: "day", date: DAY, limit: 30 });
    const rank = (id: string) => after.items.find((item) => item.id === id)!.rank;
    expect(rank(target.id)).toBeLessThan(rank(above.id));
  });

  it("queues the voted paper for the search index in the same transaction", async () => {
    const paper = await somePaper();
    await database.pool.query(`TRUNCATE search_outbox`);
    await cast(visitor(), { paperId: paper.id });
    const { rows } = await database.pool.query(`SELECT paper_id FROM search_outbox`);
    expect(rows.map((row) => row.paper_id)).toContain(paper.id);
  });
});
