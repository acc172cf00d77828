import { parseFeed } from "@rowanmanning/feed-parser";
import { XMLValidator } from "fast-xml-parser";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { env } from "@/lib/env";
import type { Period } from "@/lib/papers/period";
import { listTrending } from "@/lib/papers/trending";
import type { TrendingItem } from "@/lib/papers/types";
import { GET as getRss } from "@/app/feed.xml/route";
import { GET as getJsonFeed } from "@/app/feed.json/route";
import { createAppDatabase, type TestDatabase } from "./test-db";
import { fromSomeClient } from "./client";

const SIZE = env.TRENDING_PAGE_SIZE;
// Markup, an ampersand, a CDATA end and control characters (Postgres text cannot hold NUL, so no \u0000).
const HOSTILE_TITLE = "<script>alert(1)</script> Attention & Memory ]]>\u0007";
const HOSTILE_ABSTRACT = 'We show <b>x</b> & <script>alert("a")</script> ]]> here.\u0001\u000B\u001F Done.';
let database: TestDatabase;
let dayRanking: TrendingItem[];

beforeAll(async () => {
  database = await createAppDatabase(["hf-daily-papers", "arxiv-kaggle"]);
  // Hugging Face's daily papers carry no arXiv categories: give some of the day's papers one, including
  // papers ranked after the first page, so the category feed has to look past it.
  dayRanking = (await listTrending({ period: "day", limit: 100 })).items;
  const picked = dayRanking.filter((_, index) => index % 3 === 1 || index >= SIZE).map((item) => item.id);
  await database.pool.query(`UPDATE paper SET categories = '{cs.LG,cs.AI}' WHERE id = ANY($1)`, [picked]);
  await database.pool.query(`UPDATE paper SET categories = '{cs.CV}' WHERE listed_at = '2026-06-16' AND NOT id = ANY($1)`, [picked]);
  await database.pool.query(`UPDATE paper SET title = $2, abstract = $3 WHERE id = $1`, [dayRanking[0]!.id, HOSTILE_TITLE, HOSTILE_ABSTRACT]);
});

afterAll(async () => {
  await database.drop();
});

// Requests arrive under a foreign Host: links must still come from APP_URL.
function request(url: string, headers: Record<string, string> = {}): NextRequest {
  return new NextRequest(new URL(url, "http://evil.example"), { headers: { host: "evil.example", ...fromSomeClient(), ...headers } });
}

async function rss(query = "", headers: Record<string, string> = {}) {
  const response = await getRss(request(`/feed.xml${query}`, headers));
  const body = await response.text();
  return { response, body, feed: response.status === 200 ? parseFeed(body) : null };
}

async function expected(period: Period, category?: string): Promise<TrendingItem[]> {
  const { items } = await listTrending({ period, limit: 1000 });
  return items.filter((item) => !category || item.categories.includes(category)).slice(0, SIZE);
}

const guid = (id: string) => `oai:arXiv.org:${id}`;

describe("GET /feed.xml", () => {
  it("lists the home page's first page of the latest day, in listTrending's order", async () => {
    const { response, body, feed } = await rss();
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/rss+xml; charset=utf-8");
    expect(XMLValidator.validate(body)).toBe(true);
    const home = await listTrending({ period: "day", limit: SIZE });
    expect(home.total).toBeGreaterThan(SIZE); // the fixture day has more papers than one page
    expect(feed!.items).toHaveLength(SIZE);
    expect(feed!.items.map((item) => item.id)).toEqual(home.items.map((item) => guid(item.id)));
    expect(feed!.items.map((item) => item.title)).toEqual(home.items.map((item) => item.title.replace(/[\u0000-\u001F]/g, "").replace(/\s+/g, " ").trim()));
    for (const [index, item] of feed!.items.entries()) {
      const paper = home.items[index]!;
      expect(item.url).toBe(`${env.APP_URL}/papers/${paper.id}`);
      expect(item.published?.toISOString()).toBe(`${paper.listedAt}T00:00:00.000Z`);
      expect(item.authors.map((author) => author.name)).toEqual(paper.authors);
      expect(item.categories.map((category) => category.term)).toEqual(paper.categories);
    }
    expect(body).not.toContain("evil.example");
    expect(feed!.self).toBe(`${env.APP_URL}/feed.xml`);
    expect(feed!.title).toBe("Trending papers of the day · Trending Papers");
    expect(body).toContain(`<lastBuildDate>${new Date(`${home.date}T00:00:00Z`).toUTCString()}</lastBuildDate>`);
    expect(body).toMatch(/<ttl>\d+<\/ttl>/);
  });

  it("escapes a hostile title and abstract and drops their control characters", async () => {
    const { body, feed } = await rss();
    const first = feed!.items[0]!;
    expect(first.id).toBe(guid(dayRanking[0]!.id));
    expect(first.title).toBe("<script>alert(1)</script> Attention & Memory ]]>");
    expect(first.description).toBe('We show <b>x</b> & <script>alert("a")</script> ]]> here. Done.');
    expect(body).not.toMatch(/<script|<b>|]]>|<!\[CDATA\[|[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
    expect(body).toContain("&amp;lt;script&amp;gt;alert(&amp;quot;a&amp;quot;)");
  });

  it("gives the same guids, body and ETag on every request", async () => {
    const one = await rss();
    const two = await rss();
    expect(two.feed!.items.map((item) => item.id)).toEqual(one.feed!.items.map((item) => item.id));
    expect(new Set(one.feed!.items.map((item) => item.id)).size).toBe(SIZE);
    expect(two.body).toBe(one.body);
    expect(two.response.headers.get("etag")).toBe(one.response.headers.get("etag"));
  });

  it.each(["week", "month"] as const)("?period=%s lists that window in listTrending's order", async (period) => {
    const { feed } = await rss(`?period=${period}`);
    const papers = await expected(period);
    expect(papers.some((paper) => paper.listedAt !== "2026-06-16")).toBe(true); // older days are in the window
    expect(feed!.items.map((item) => item.id)).toEqual(papers.map((paper) => guid(paper.id)));
    expect(feed!.title).toBe(`Trending papers of the ${period} · Trending Papers`);
    expect(feed!.self).toBe(`${env.APP_URL}/feed.xml?period=${period}`);
    expect(feed!.items.map((item) => item.published?.toISOString())).toEqual(papers.map((paper) => `${paper.listedAt}T00:00:00.000Z`));
  });

  it("?category= keeps that category's papers in ranking order, looking past the first page", async () => {
    const { feed } = await rss("?category=cs.LG");
    const papers = await expected("day", "cs.LG");
    const firstPage = new Set(dayRanking.slice(0, SIZE).map((item) => item.id));
    expect(papers.some((paper) => !firstPage.has(paper.id))).toBe(true);
    expect(feed!.items.map((item) => item.id)).toEqual(papers.map((paper) => guid(paper.id)));
    for (const item of feed!.items) expect(item.categories.map((category) => category.term)).toContain("cs.LG");
    expect(feed!.title).toBe("Trending papers of the day in cs.LG · Trending Papers");

    const week = await rss("?period=week&category=cs.CV");
    expect(week.feed!.items.map((item) => item.id)).toEqual((await expected("week", "cs.CV")).map((paper) => guid(paper.id)));
    expect(week.feed!.items.length).toBeGreaterThan(0);
    expect(week.feed!.self).toBe(`${env.APP_URL}/feed.xml?period=week&category=cs.CV`);

    const none = await rss("?category=q-bio.NC");
    expect(none.response.status).toBe(200);
    expect(none.feed!.items).toEqual([]);
  });

  it("answers If-None-Match with a 304, and a changed ranking with a new ETag", async () => {
    const { response } = await rss();
    const etag = response.headers.get("etag")!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(response.headers.get("cache-control")).toBe("public, max-age=300");
    for (const header of [etag, `W/${etag}`, `"other", ${etag}`, "*"]) {
      const again = await rss("", { "if-none-match": header });
      expect(again.response.status).toBe(304);
      expect(again.body).toBe("");
      expect(again.response.headers.get("etag")).toBe(etag);
    }
    expect((await rss("", { "if-none-match": '"other"' })).response.status).toBe(200);

    const last = dayRanking[SIZE - 1]!;
    await database.pool.query(`UPDATE paper SET local_upvotes = local_upvotes + 10000 WHERE id = $1`, [last.id]);
    try {
      const changed = await rss("", { "if-none-match": etag });
      expect(changed.response.status).toBe(200);
      expect(changed.response.headers.get("etag")).not.toBe(etag);
      expect(changed.feed!.items[0]!.id).toBe(guid(last.id));
    } finally {
      await database.pool.query(`UPDATE paper SET local_upvotes = local_upvotes - 10000 WHERE id = $1`, [last.id]);
    }
  });

  it.each([
    ["?period=year", "period"],
    ["?category=<script>", "category"],
    ["?category=cs.LG&category=cs.CV", "category"],
    [`?category=${"a".repeat(60)}`, "category"],
  ])("GET /feed.xml%s is a 400 naming %s", async (query, parameter) => {
    const { response, body } = await rss(query);
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const error = JSON.parse(body).error;
    expect(error.code).toBe("invalid_request");
    expect(error.message).toContain(parameter);
    expect(body).not.toMatch(/at .*\.ts/);
  });
});

const jsonFeedSchema = z.object({
  version: z.literal("https://jsonfeed.org/version/1.1"),
  title: z.string().min(1),
  home_page_url: z.url(),
  feed_url: z.url(),
  items: z.array(
    z
      .object({
        id: z.string().min(1),
        url: z.url(),
        title: z.string(),
        content_text: z.string().optional(),
        content_html: z.string().optional(),
        date_published: z.iso.datetime({ offset: true }).optional(),
        authors: z.array(z.object({ name: z.string().min(1) })).min(1).optional(),
        tags: z.array(z.string()).optional(),
      })
      .refine((item) => item.content_text !== undefined || item.content_html !== undefined, "content_text or content_html"),
  ),
});

describe("GET /feed.json", () => {
  it("is a valid JSON Feed 1.1 with the same items as the RSS", async () => {
    const response = await getJsonFeed(request("/feed.json?period=week"));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/feed+json");
    expect(response.headers.get("etag")).toMatch(/^".+"$/);
    const body = jsonFeedSchema.parse(await response.json());
    const papers = await expected("week");
    const { feed } = await rss("?period=week");
    expect(body.items.map((item) => item.id)).toEqual(feed!.items.map((item) => item.id));
    expect(body.items.map((item) => item.url)).toEqual(papers.map((paper) => `${env.APP_URL}/papers/${paper.id}`));
    expect(body.feed_url).toBe(`${env.APP_URL}/feed.json?period=week`);
    const hostile = body.items.find((item) => item.id === guid(dayRanking[0]!.id))!;
    expect(hostile.content_text).toBe('We show <b>x</b> & <script>alert("a")</script> ]]> here. Done.');
    for (const [index, item] of body.items.entries()) {
      expect(item.date_published).toBe(`${papers[index]!.listedAt}T00:00:00.000Z`);
      expect(item.authors?.map((author) => author.name) ?? []).toEqual(papers[index]!.authors);
      expect(item.tags ?? []).toEqual(papers[index]!.categories);
    }
  });

  it("answers If-None-Match with a 304 and bad parameters with a 400", async () => {
    const first = await getJsonFeed(request("/feed.json"));
    const etag = first.headers.get("etag")!;
    const again = await getJsonFeed(request("/feed.json", { "if-none-match": etag }));
    expect(again.status).toBe(304);
    const bad = await getJsonFeed(request("/feed.json?period=decade"));
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toContain("period");
  });
});
