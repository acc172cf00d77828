import { describe, expect, it } from "vitest";
import { buildFeed, entryDate, entryId, feedPath, feedTitle } from "@/lib/feeds/feed";
import { paper, SITE, source } from "./fixtures";

describe("buildFeed", () => {
  it("builds absolute links from the site URL, never from the paper's own url", () => {
    const feed = buildFeed(source({ papers: [paper(), paper({ id: "hep-th/9901001" })] }), SITE);
    expect(feed.entries.map((entry) => entry.url)).toEqual([`${SITE}/papers/2606.14777`, `${SITE}/papers/hep-th/9901001`]);
    expect(feed.homeUrl).toBe(`${SITE}/`);
    expect(feed.rssUrl).toBe(`${SITE}/feed.xml`);
    expect(feed.jsonUrl).toBe(`${SITE}/feed.json`);
  });

  it("names the period and category in the title and the feed URLs", () => {
    const feed = buildFeed(source({ period: "week", category: "cs.LG", from: "2026-06-10" }), SITE);
    expect(feed.title).toBe("Trending papers of the week in cs.LG · Trending Papers");
    expect(feed.description).toContain("June 10 – 16, 2026");
    expect(feed.homeUrl).toBe(`${SITE}/?period=week`);
    expect(feed.rssUrl).toBe(`${SITE}/feed.xml?period=week&category=cs.LG`);
    expect(feedTitle("month", null)).toBe("Trending papers of the month · Trending Papers");
    expect(feedPath("feed.json", "day", "hep-th")).toBe("/feed.json?category=hep-th");
  });

  it("keeps the order of the papers it is given", () => {
    const ids = ["2606.00003", "2606.00001", "2606.00002"];
    const feed = buildFeed(source({ papers: ids.map((id) => paper({ id })) }), SITE);
    expect(feed.entries.map((entry) => entry.id)).toEqual(ids.map((id) => `oai:arXiv.org:${id}`));
  });

  it("cleans titles to one line and drops characters XML cannot carry from every text", () => {
    const [entry] = buildFeed(
      source({ papers: [paper({ title: "  Two\n  lines\u0000 ", abstract: "keep\nbreaks\u0002", authors: ["A\u0007da", "  "], categories: ["cs.LG\u0000"] })] }),
      SITE,
    ).entries;
    expect(entry).toMatchObject({ title: "Two lines", text: "keep\nbreaks", authors: ["Ada"], tags: ["cs.LG"] });
  });

  it("has no entries and no date for an empty database", () => {
    const feed = buildFeed(source({ date: null, from: null, papers: [] }), SITE);
    expect(feed.entries).toEqual([]);
    expect(feed.updated).toBeNull();
    expect(feed.description).toMatch(/no papers yet/);
  });
});

describe("entryId", () => {
  it("is arXiv's OAI identifier for arXiv ids and a URN of the local id otherwise", () => {
    expect(entryId("2606.14777")).toBe("oai:arXiv.org:2606.14777");
    expect(entryId("hep-th/9901001")).toBe("oai:arXiv.org:hep-th/9901001");
    expect(entryId("local-00000000000000aa")).toBe("urn:trending-papers:local-00000000000000aa");
  });
});

describe("dates", () => {
  it("an entry is dated by its listing day at midnight UTC, else by its first version", () => {
    expect(entryDate({ listedAt: "2026-06-16", publishedAt: "2026-06-12T17:59:59.000Z" })?.toISOString()).toBe("2026-06-16T00:00:00.000Z");
    expect(entryDate({ listedAt: null, publishedAt: "2026-06-12T17:59:59.000Z" })?.toISOString()).toBe("2026-06-12T17:59:59.000Z");
    expect(entryDate({ listedAt: null, publishedAt: null })).toBeNull();
  });

  it("the feed is updated as of its newest entry, so the same list gives the same feed", () => {
    const papers = [paper({ listedAt: "2026-06-10" }), paper({ id: "2606.00001", listedAt: "2026-06-16" }), paper({ id: "2606.00002", listedAt: null, publishedAt: null })];
    const feed = buildFeed(source({ period: "week", from: "2026-06-10", papers }), SITE);
    expect(feed.updated?.toISOString()).toBe("2026-06-16T00:00:00.000Z");
    expect(buildFeed(source({ papers: [paper({ listedAt: null, publishedAt: null })] }), SITE).updated?.toISOString()).toBe("2026-06-16T00:00:00.000Z");
  });
});
