import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRENDING_SQL } from "@/lib/papers/queries";
import { listTrending, decodeCursor } from "@/lib/papers/trending";
import { scoreTrending } from "@/lib/papers/score";
import { daysBetween } from "@/lib/time";
import { GET as getPapers } from "@/app/api/papers/route";
import { GET as getPaperById } from "@/app/api/papers/[...id]/route";
import { GET as getHealth } from "@/app/api/health/route";
import { createAppDatabase, type TestDatabase } from "./test-db";
import { fromSomeClient } from "./client";

let database: TestDatabase;

beforeAll(async () => {
  database = await createAppDatabase(["hf-daily-papers", "arxiv-kaggle"]);
});

afterAll(async () => {
  await database.drop();
});

function api(url: string): NextRequest {
  return new NextRequest(new URL(url, "http://localhost"), { headers: fromSomeClient() });
}

describe("listTrending", () => {
  it("defaults to the latest day with papers and ranks by the documented score", async () => {
    const page = await listTrending({ period: "day", limit: 100 });
    expect(page.date).toBe("2026-06-16");
    expect(page.items.length).toBe(page.total);
    for (const item of page.items) {
      expect(item.listedAt).toBe("2026-06-16");
      expect(item.score).toBeCloseTo(scoreTrending({ votes: item.votes, githubStars: item.githubStars, ageDays: 0, period: "day" }), 6);
    }
    const scores = page.items.map((item) => item.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(page.items[0]!.id).toBe("2606.14777");
  });

  it("a week window decays older papers the same way the pure function does", async () => {
    const page = await listTrending({ period: "week", date: "2026-06-16", limit: 100 });
    expect(page.from).toBe("2026-06-10");
    const days = new Set(page.items.map((item) => item.listedAt));
    expect(days).toEqual(new Set(["2026-06-10", "2026-06-16"]));
    for (const item of page.items) {
      const expected = scoreTrending({ votes: item.votes, githubStars: item.githubStars, ageDays: daysBetween(item.listedAt!, "2026-06-16"), period: "week" });
      expect(item.score).toBeCloseTo(expected, 6);
    }
    const older = page.items.find((item) => item.listedAt === "2026-06-10")!;
    expect(older.scoreReason).toMatch(/6 days before the window's end/);
  });

  it("navigates to neighbouring days that have papers and pages with a cursor", async () => {
    const day = await listTrending({ period: "day", date: "2026-06-16", limit: 5 });
    expect(day.previousDate).toBe("2026-06-10");
    expect(day.nextDate).toBeNull();
    expect(day.nextCursor).not.toBeNull();
    const next = await listTrending({ period: "day", date: "2026-06-16", limit: 5, cursor: day.nextCursor! });
    expect(decodeCursor(day.nextCursor!)).toBe(5);
    expect(next.items[0]!.rank).toBe(6);
    expect(next.items.map((item) => item.id)).not.toContain(day.items[0]!.id);
  });

  it("papers with dates stamped at ingest do not move the default day, but can be reached", async () => {
    await database.pool.query(
      `INSERT INTO paper (id, title, listed_at, listed_rank) VALUES ('local-00000000000000aa', 'A saved page paper', '2026-11-27', 0)`,
    );
    const page = await listTrending({ period: "day", limit: 5 });
    expect(page.date).toBe("2026-06-16");
    expect(page.nextDate).toBe("2026-11-27");
    await database.pool.query(`DELETE FROM paper WHERE id = 'local-00000000000000aa'`);
  });

  it("an empty window is an empty list, not an error", async () => {
    const page = await listTrending({ period: "day", date: "2020-01-01", limit: 10 });
    expect(page.items).toEqual([]);
    expect(page.nextDate).toBe("2026-05-01"); // the first HF fixture day
    expect(page.previousDate).toMatch(/^2007-/); // the Kaggle sample's papers
  });

  it("the day query uses the listing-date index", async () => {
    const client = await database.pool.connect();
    try {
      await client.query("ANALYZE paper");
      // A tiny table is cheaper to scan; ask the planner what it can use at scale.
      await client.query("SET enable_seqscan = off");
      const { rows } = await client.query(`EXPLAIN ${TRENDING_SQL}`, ["2026-06-16", "2026-06-16", 1, 31, 0, null]);
      expect(rows.map((row) => row["QUERY PLAN"]).join("\n")).toMatch(/Index Scan on paper_listed_at_idx|Index Scan using paper_listed_at_idx/);
    } finally {
      await client.query("RESET enable_seqscan");
      client.release();
    }
  });
});

describe("a topic's window (listTrending with a category)", () => {
  // Made-up papers in categories the fixtures do not use, on days the fixtures have none: the site's
  // days are 2026-05-01, 05-21, 06-10 and 06-16, astro-ph.EP's are 05-04 and 06-03. One eess.SY
  // paper is tagged with its alias cs.SY only, as older arXiv listings are.
  beforeAll(async () => {
    await database.pool.query(
      `INSERT INTO paper (id, title, listed_at, listed_rank, categories, source_upvotes) VALUES
         ('2605.90001', 'Exoplanets in May', '2026-05-04', 1, '{astro-ph.EP}', 3),
         ('2606.90001', 'Exoplanets in June', '2026-06-03', 1, '{astro-ph.EP,astro-ph.SR}', 1),
         ('2606.90002', 'More exoplanets in June', '2026-06-03', 1, '{gr-qc,astro-ph.EP}', 5),
         ('2605.90002', 'Control under its alias', '2026-05-04', 1, '{cs.SY}', 2),
         ('2605.90003', 'Control under arXiv''s id', '2026-05-04', 1, '{eess.SY,cs.LG}', 1)`,
    );
  });

  afterAll(async () => {
    await database.pool.query(`DELETE FROM paper WHERE id LIKE '260_.9000_'`);
  });

  it("ends at the category's latest day, not the site's", async () => {
    const topic = await listTrending({ period: "day", category: "astro-ph.EP", limit: 10 });
    expect(topic).toMatchObject({ date: "2026-06-03", from: "2026-06-03", total: 2 });
    expect(topic.items.map((item) => item.id)).toEqual(["2606.90002", "2606.90001"]);
    const week = await listTrending({ period: "week", category: "astro-ph.EP", limit: 10 });
    expect(week).toMatchObject({ date: "2026-06-03", from: "2026-05-28", total: 2 });
    // The home page keeps the site's latest day.
    expect((await listTrending({ period: "day", limit: 1 })).date).toBe("2026-06-16");
  });

  it("steps to the category's days, over days that only other categories have", async () => {
    const june = await listTrending({ period: "day", category: "astro-ph.EP", date: "2026-06-03", limit: 10 });
    expect(june).toMatchObject({ previousDate: "2026-05-04", nextDate: null });
    const may = await listTrending({ period: "day", category: "astro-ph.EP", date: "2026-05-04", limit: 10 });
    expect(may).toMatchObject({ previousDate: null, nextDate: "2026-06-03", total: 1 });
    // A day between its days, chosen by hand, steps to them too.
    expect(await listTrending({ period: "day", category: "astro-ph.EP", date: "2026-05-21", limit: 10 })).toMatchObject({ total: 0, previousDate: "2026-05-04", nextDate: "2026-06-03" });
    // Wider windows jump back to the category's previous day when it is further than a step.
    expect(await listTrending({ period: "week", category: "astro-ph.EP", date: "2026-06-03", limit: 10 })).toMatchObject({ previousDate: "2026-05-04", nextDate: null });
    // The site's steps from the same days, for comparison.
    expect(await listTrending({ period: "day", date: "2026-06-03", limit: 1 })).toMatchObject({ previousDate: "2026-05-21", nextDate: "2026-06-10" });
    expect(await listTrending({ period: "week", date: "2026-06-03", limit: 1 })).toMatchObject({ previousDate: "2026-05-21", nextDate: "2026-06-10" });
  });

  it("counts a paper tagged with an alias of the category (cs.SY for eess.SY), asked by either name", async () => {
    for (const category of ["eess.SY", "cs.SY"]) {
      const page = await listTrending({ period: "day", category, limit: 10 });
      expect(page, category).toMatchObject({ date: "2026-05-04", total: 2, previousDate: null, nextDate: null });
      expect(page.items.map((item) => item.id), category).toEqual(["2605.90002", "2605.90003"]);
    }
    // Past the first page, the total is counted the same way.
    expect(await listTrending({ period: "day", category: "eess.SY", limit: 1, cursor: "bzox" })).toMatchObject({ total: 2, items: [{ id: "2605.90003", rank: 2 }] });
    expect(await listTrending({ period: "day", category: "eess.SY", limit: 10, cursor: "bzo1" })).toMatchObject({ total: 2, items: [] });
  });

  it("a category without papers has no window, like an empty site", async () => {
    expect(await listTrending({ period: "day", category: "q-bio.NC", limit: 10 })).toMatchObject({ date: null, items: [], total: 0, previousDate: null, nextDate: null });
  });
});

describe("JSON API", () => {
  it("GET /api/papers returns the trending page with stable camelCase fields", async () => {
    const response = await getPapers(api("/api/papers?period=week&date=2026-06-16&limit=2"));
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.items).toHaveLength(2);
    expect(Object.keys(body.items[0]).sort()).toEqual(
      ["abstract", "arxivUrl", "authors", "categories", "githubRepo", "githubStars", "id", "listedAt", "projectPage", "publishedAt", "rank", "score", "scoreReason", "title", "url", "votes"].sort(),
    );
    expect(body.items[0].url).toBe("http://localhost:3000/papers/2606.14777");
    expect(body.nextCursor).toEqual(expect.any(String));
  });

  it.each([
    ["period=year", "period"],
    ["date=2026-02-30", "date"],
    ["limit=10000", "limit"],
    ["limit=abc", "limit"],
    ["cursor=nonsense", "cursor"],
  ])("GET /api/papers?%s is a 400 naming %s", async (query, parameter) => {
    const response = await getPapers(api(`/api/papers?${query}`));
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error.code).toBe("invalid_request");
    expect(body.error.message).toContain(parameter);
  });

  it("GET /api/papers/<id> finds new-style, versioned and old-style ids, and 404s unknown ones", async () => {
    const paper = await getPaperById(api("/api/papers/2606.14777v2"), { params: Promise.resolve({ id: ["2606.14777v2"] }) });
    expect(paper.status).toBe(200);
    expect((await paper.json()).sources.map((source: { source: string }) => source.source)).toEqual(["hf-daily"]);

    await database.pool.query(`INSERT INTO paper (id, title) VALUES ('hep-th/9901001', 'An old paper')`);
    const old = await getPaperById(api("/api/papers/hep-th/9901001"), { params: Promise.resolve({ id: ["hep-th", "9901001"] }) });
    expect(old.status).toBe(200);
    expect((await old.json()).arxivUrl).toBe("https://arxiv.org/abs/hep-th/9901001");

    const missing = await getPaperById(api("/api/papers/2601.00001"), { params: Promise.resolve({ id: ["2601.00001"] }) });
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe("not_found");

    const bad = await getPaperById(api("/api/papers/%zz"), { params: Promise.resolve({ id: ["%zz", "x"] }) });
    expect(bad.status).toBe(400);
  });

  it("GET /api/health reports the database, and search as degraded when no engine is configured", async () => {
    const response = await getHealth();
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: "degraded",
      database: { ok: true, latestListedAt: "2026-06-16" },
      search: { engine: "none", ok: false, degraded: true },
    });
  });
});
