import { describe, expect, it } from "vitest";
import { buildFeed } from "@/lib/feeds/feed";
import { buildJsonFeed } from "@/lib/feeds/json-feed";
import { HOSTILE_ABSTRACT, HOSTILE_TITLE, paper, SITE, source } from "./fixtures";

describe("buildJsonFeed", () => {
  it("has the version 1.1 top level and one item per paper with the spec's field names", () => {
    const body = JSON.parse(buildJsonFeed(buildFeed(source({ period: "month", from: "2026-05-18" }), SITE)));
    expect(body).toMatchObject({
      version: "https://jsonfeed.org/version/1.1",
      title: "Trending papers of the month · Trending Papers",
      home_page_url: `${SITE}/?period=month`,
      feed_url: `${SITE}/feed.json?period=month`,
    });
    expect(body.items).toEqual([
      {
        id: "oai:arXiv.org:2606.14777",
        url: `${SITE}/papers/2606.14777`,
        title: "A plain title",
        content_text: "A plain abstract.",
        date_published: "2026-06-16T00:00:00.000Z",
        authors: [{ name: "Ada Lovelace" }, { name: "Alan Turing" }],
        tags: ["cs.LG", "cs.CL"],
      },
    ]);
  });

  it("keeps markup as plain text and drops control characters", () => {
    const body = JSON.parse(buildJsonFeed(buildFeed(source({ papers: [paper({ title: HOSTILE_TITLE, abstract: HOSTILE_ABSTRACT })] }), SITE)));
    expect(body.items[0].title).toBe("<script>alert('t')</script> Fast & Slow ]]> Thinking");
    expect(body.items[0].content_text).toBe('We show <b>bold</b> & <script>alert("a")</script>; ]]> ends CDATA.\nSecond line: x<y.');
    expect(body.items[0]).not.toHaveProperty("content_html");
  });

  it("leaves out optional members it has nothing for", () => {
    const body = JSON.parse(buildJsonFeed(buildFeed(source({ papers: [paper({ authors: [], categories: [], listedAt: null, publishedAt: null })] }), SITE)));
    expect(Object.keys(body.items[0]).sort()).toEqual(["content_text", "id", "title", "url"]);
  });
});
