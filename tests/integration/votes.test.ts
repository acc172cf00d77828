// Votes through POST /api/votes against real Postgres: they belong to signed-in people (one per
// person per paper, toggling), a signed-out or forged request gets 401 whatever headers it sends,
// anonymous voting is an operator setting whose cookie only pages give out, limits (an unknown
// client address refuses), unknown papers, and trending reacting to votes.
import { NextRequest } from "next/server";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GET as myVotes, POST as vote } from "@/app/api/votes/route";
import { createSession, revokeAllSessions, SESSION_COOKIE } from "@/lib/auth/sessions";
import { env, reloadEnv } from "@/lib/env";
import { tokenSecret } from "@/lib/mail/secret";
import { listTrending } from "@/lib/papers/trending";
import { resetLimiters } from "@/lib/rate-limit";
import { newVisitorSetCookie } from "@/lib/votes/visitor";
import { createAppDatabase, type TestDatabase } from "./test-db";
import { lazyBody, streamed } from "../lazy-body";
import { fromClient, signedInAs } from "./client";

const DAY = "2026-06-16";
let database: TestDatabase;

beforeAll(async () => {
  database = await createAppDatabase(["hf-daily-papers"]);
});

afterAll(async () => {
  await database.drop();
});

beforeEach(async () => {
  await database.pool.query(`TRUNCATE vote, rate_limit, session, person CASCADE`);
  await database.pool.query(`UPDATE paper SET local_upvotes = 0 WHERE local_upvotes <> 0`);
  resetLimiters();
});

type Voter = { cookie: string | null; ip: string | null; personId?: bigint };

let nextIp = 1;
let nextPerson = 1;

/** A browser with no cookie, from its own IP unless told otherwise. */
function visitor(ip = `198.51.100.${nextIp++}`): Voter {
  return { cookie: null, ip };
}

/** A browser signed in as a fresh person (as confirming a mailed link leaves it). */
async function person(ip = `198.51.100.${nextIp++}`): Promise<Voter> {
  return { ...(await signedInAs(`reader${nextPerson++}@example.org`)), ip };
}

async function cast(who: Voter, body: unknown, headers: Record<string, string> = {}) {
  const request = new NextRequest(new URL("/api/votes", "http://localhost:3000"), {
    method: "POST",
    body: typeof body === "string" ? body : JSON.stringify(body),
    headers: { "content-type": "application/json", ...(who.ip ? fromClient(who.ip) : {}), ...(who.cookie ? { cookie: who.cookie } : {}), ...headers },
  });
  const response = await vote(request);
  return { status: response.status, body: await response.json(), response };
}

async function votesOf(id: string): Promise<{ local: number; total: number }> {
  const { rows } = await database.pool.query(`SELECT local_upvotes AS local, source_upvotes + local_upvotes AS total FROM paper WHERE id = $1`, [id]);
  return rows[0];
}

async function voteRows(): Promise<number> {
  const { rows } = await database.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM vote`);
  return rows[0]!.n;
}

async function somePaper(): Promise<{ id: string; votes: number }> {
  const page = await listTrending({ period: "day", date: DAY, limit: 5 });
  return page.items[2]!;
}

describe("who may vote", () => {
  it("a cookie-less loop with rotating X-Forwarded-For adds no vote: 401 every time, no cookie given", async () => {
    const paper = await somePaper();
    const statuses = new Set<number>();
    for (let index = 0; index < 30; index++) {
      const result = await cast(visitor(), { paperId: paper.id }, { "x-forwarded-for": `203.0.113.${index}`, "x-real-ip": `203.0.113.${index}` });
      statuses.add(result.status);
      expect(result.response.headers.get("set-cookie")).toBeNull();
    }
    expect([...statuses]).toEqual([401]);
    expect(await votesOf(paper.id)).toEqual({ local: 0, total: paper.votes });
    expect(await voteRows()).toBe(0);
  });

  it("a signed-in person's vote counts once, however often it is sent", async () => {
    const paper = await somePaper();
    const alice = await person();
    expect(await cast(alice, { paperId: paper.id })).toMatchObject({ status: 200, body: { paperId: paper.id, votes: paper.votes + 1, voted: true } });
    expect(await cast(alice, { paperId: paper.id, voted: true })).toMatchObject({ status: 200, body: { votes: paper.votes + 1 } });
    // From another browser of the same person: still one vote.
    const second = await createSession(alice.personId!);
    expect((await cast({ cookie: `${SESSION_COOKIE}=${second.token}`, ip: "198.51.100.250" }, { paperId: paper.id })).body.votes).toBe(paper.votes + 1);
    expect(await votesOf(paper.id)).toEqual({ local: 1, total: paper.votes + 1 });
    const bob = await person();
    expect((await cast(bob, { paperId: paper.id })).body.votes).toBe(paper.votes + 2);
  });

  it("a counted vote gives the browser a few seconds of fresh pages, and no identity", async () => {
    const paper = await somePaper();
    const result = await cast(await person(), { paperId: paper.id });
    expect(result.status).toBe(200);
    const cookie = result.response.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^tp_fresh=1; /);
    expect(cookie).toMatch(/Max-Age=5/);
    expect(cookie).toMatch(/HttpOnly/);
  });

  it("a forged, edited or revoked session is signed out: 401", async () => {
    const paper = await somePaper();
    const alice = await person();
    const token = alice.cookie!.split("=")[1]!;
    const edited = `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`;
    expect((await cast({ cookie: `${SESSION_COOKIE}=${edited}`, ip: alice.ip }, { paperId: paper.id })).status).toBe(401);
    expect((await cast({ cookie: `${SESSION_COOKIE}=${"x".repeat(43)}`, ip: alice.ip }, { paperId: paper.id })).status).toBe(401);
    await revokeAllSessions(alice.personId!);
    expect(await cast(alice, { paperId: paper.id })).toMatchObject({ status: 401, body: { error: { code: "sign_in_required" } } });
    expect(await voteRows()).toBe(0);
  });

  it("toggles: removing a vote takes it back once, and only the person's own", async () => {
    const paper = await somePaper();
    const alice = await person();
    const bob = await person();
    await cast(alice, { paperId: paper.id });
    await cast(bob, { paperId: paper.id });
    expect((await cast(alice, { paperId: paper.id, voted: false })).body).toMatchObject({ votes: paper.votes + 1, voted: false });
    expect((await cast(alice, { paperId: paper.id, voted: false })).body).toMatchObject({ votes: paper.votes + 1, voted: false });
    expect((await cast(await person(), { paperId: paper.id, voted: false })).body.votes).toBe(paper.votes + 1);
    expect(await votesOf(paper.id)).toEqual({ local: 1, total: paper.votes + 1 });
  });

  it("an unknown client address is refused (429), not let through", async () => {
    const paper = await somePaper();
    const alice = await person();
    const result = await cast({ ...alice, ip: null }, { paperId: paper.id });
    expect(result).toMatchObject({ status: 429, body: { error: { code: "rate_limited" } } });
    expect(await voteRows()).toBe(0);
  });

  it("anonymous votes cast before sign-in existed keep counting", async () => {
    const paper = await somePaper();
    await database.pool.query(`INSERT INTO vote (paper_id, visitor_id) VALUES ($1, 'OldVisitorId0123456789')`, [paper.id]);
    await database.pool.query(`UPDATE paper SET local_upvotes = local_upvotes + 1 WHERE id = $1`, [paper.id]);
    expect((await cast(await person(), { paperId: paper.id })).body.votes).toBe(paper.votes + 2);
  });
});

describe("with anonymous voting on (VOTES_ANONYMOUS)", () => {
  beforeEach(() => {
    process.env.VOTES_ANONYMOUS = "true";
    reloadEnv();
  });
  afterEach(() => {
    delete process.env.VOTES_ANONYMOUS;
    reloadEnv();
  });

  /** A visitor cookie as a page hands it out. */
  function pageCookie(): string {
    return newVisitorSetCookie(tokenSecret(), env.APP_URL).split(";")[0]!;
  }

  it("a cookie-less loop still gets 401 and never a cookie from the vote's answer", async () => {
    const paper = await somePaper();
    for (let index = 0; index < 10; index++) {
      const result = await cast(visitor(), { paperId: paper.id }, { "x-forwarded-for": `203.0.113.${index}` });
      expect(result.status).toBe(401);
      expect(result.response.headers.get("set-cookie")).toBeNull();
    }
    expect(await voteRows()).toBe(0);
  });

  it("a visitor cookie from a page votes once per paper; a forged one is refused", async () => {
    const paper = await somePaper();
    const browser = { cookie: pageCookie(), ip: "198.51.100.77" };
    expect((await cast(browser, { paperId: paper.id })).body).toMatchObject({ votes: paper.votes + 1, voted: true });
    expect((await cast(browser, { paperId: paper.id })).body).toMatchObject({ votes: paper.votes + 1 });
    const [name, value] = browser.cookie.split("=");
    const [id, signature] = value!.split(".");
    const forged = `${name}=${id!.slice(0, -1)}${id!.endsWith("A") ? "B" : "A"}.${signature}`;
    expect((await cast({ cookie: forged, ip: browser.ip }, { paperId: paper.id })).status).toBe(401);
    expect(await votesOf(paper.id)).toEqual({ local: 1, total: paper.votes + 1 });
  });

  it("fresh page cookies from one address hit the per-IP limit", async () => {
    const { rows } = await database.pool.query<{ id: string }>(`SELECT id FROM paper ORDER BY id LIMIT 51`);
    const statuses: number[] = [];
    // VOTE_LIMIT_IP is 50 in the integration tests' environment.
    for (const row of rows) statuses.push((await cast({ cookie: pageCookie(), ip: "203.0.113.99" }, { paperId: row.id })).status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(50);
    expect(statuses.at(-1)).toBe(429);
  });
});

describe("POST /api/votes", () => {
  it("answers 404 for a paper that does not exist and 400/415/403 for bad requests, never a 500", async () => {
    const someone = await person();
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

  it("answers 413 to a 400 MB body, at once by its Content-Length and after 2 KB without one", async () => {
    const url = "http://localhost:3000/api/votes";
    const json = { "content-type": "application/json" };
    const announced = lazyBody();
    expect((await vote(new NextRequest(url, streamed(announced.stream, { ...json, "content-length": String(400 * 1024 * 1024) })))).status).toBe(413);
    expect(announced.state).toEqual({ pulled: 0, cancelled: true });
    const chunked = lazyBody();
    const response = await vote(new NextRequest(url, streamed(chunked.stream, json)));
    expect(response.status).toBe(413);
    expect((await response.json()).error.code).toBe("invalid_request");
    expect(chunked.state.pulled).toBeLessThanOrEqual(2_000 + 64 * 1024);
    expect(chunked.state.cancelled).toBe(true);
  });

  it("limits votes per person and per IP with 429 and Retry-After", async () => {
    const { rows } = await database.pool.query<{ id: string }>(`SELECT id FROM paper ORDER BY id LIMIT 60`);
    // VOTE_LIMIT_VISITOR is 20 in the integration tests' environment, VOTE_LIMIT_IP 50.
    const alice = await person();
    const statuses: number[] = [];
    for (const row of rows.slice(0, 21)) statuses.push((await cast(alice, { paperId: row.id })).status);
    expect(statuses.slice(0, 20).every((status) => status === 200)).toBe(true);
    const limited = await cast(alice, { paperId: rows[21]!.id });
    expect(limited.status).toBe(429);
    expect(Number(limited.response.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(limited.body.error.code).toBe("rate_limited");

    // Many people behind one address hit the per-IP limit.
    const sharedIp = "203.0.113.9";
    const perIp: number[] = [];
    for (const row of rows.slice(0, 51)) perIp.push((await cast(await person(sharedIp), { paperId: row.id })).status);
    expect(perIp.filter((status) => status === 200)).toHaveLength(50);
    expect(perIp.at(-1)).toBe(429);
  });
});

describe("votes and trending", () => {
  it("a paper overtakes the one above it once enough people vote for it", async () => {
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
    for (let count = 0; count < needed; count++) expect((await cast(await person(), { paperId: target.id })).status).toBe(200);
    const after = await listTrending({ period: "day", date: DAY, limit: 30 });
    const rank = (id: string) => after.items.find((item) => item.id === id)!.rank;
    expect(rank(target.id)).toBeLessThan(rank(above.id));
  });

  it("queues the voted paper for the search index in the same transaction", async () => {
    const paper = await somePaper();
    await database.pool.query(`TRUNCATE search_outbox`);
    await cast(await person(), { paperId: paper.id });
    const { rows } = await database.pool.query(`SELECT paper_id FROM search_outbox`);
    expect(rows.map((row) => row.paper_id)).toContain(paper.id);
  });
});

describe("GET /api/votes: this browser's own votes, for the shared pages", () => {
  async function ask(who: Voter, ids: string) {
    const request = new NextRequest(new URL(`/api/votes?ids=${ids}`, "http://localhost:3000"), {
      headers: { ...(who.ip ? fromClient(who.ip) : {}), ...(who.cookie ? { cookie: who.cookie } : {}) },
    });
    const response = await myVotes(request);
    return { status: response.status, body: await response.json(), cacheControl: response.headers.get("cache-control") };
  }

  it("answers each voter about their own votes only, never for a shared cache", async () => {
    const paper = await somePaper();
    const alice = await person();
    await cast(alice, { paperId: paper.id });
    expect(await ask(alice, `${paper.id},not-a-paper`)).toEqual({ status: 200, body: { voted: [paper.id], canVote: true }, cacheControl: "private, no-store" });
    expect((await ask(await person(), paper.id)).body).toEqual({ voted: [], canVote: true });
    expect((await ask(visitor(), paper.id)).body).toEqual({ voted: [], canVote: false });
  });

  it("bounds the list it is asked about, and refuses an unknown client", async () => {
    const many = Array.from({ length: 101 }, (_, i) => `2606.${String(10000 + i)}`).join(",");
    expect(await ask(visitor(), many)).toMatchObject({ status: 400, body: { error: { code: "invalid_request" } } });
    expect(await ask(visitor(), "x".repeat(30_000))).toMatchObject({ status: 400 });
    expect((await ask({ cookie: null, ip: null }, "2606.10000")).status).toBe(429);
  });
});
