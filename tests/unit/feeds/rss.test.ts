import { parseFeed } from "@rowanmanning/feed-parser";
import { XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { buildFeed } from "@/lib/feeds/feed";
import { buildRss, toRfc822 } from "@/lib/feeds/rss";
import { HOSTILE_ABSTRACT, HOSTILE_TITLE, paper, SITE, source } from "./fixtures";

// Everything XML 1.0 forbids, plus DEL and C1 (allowed but discouraged, and dropped by cleanText).
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]/;

function hostileRss(): string {
  return buildRss(buildFeed(source({ papers: [paper({ title: HOSTILE_TITLE, abstract: HOSTILE_ABSTRACT, authors: ["O'Brien & <Sons>"] })] }), SITE));
}

describe("buildRss escaping", () => {
  it("is well-formed XML without any forbidden character", () => {
    const xml = hostileRss();
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).not.toMatch(FORBIDDEN);
  });

  it("carries no markup from a paper: no tag, no CDATA, no CDATA end", () => {
    const xml = hostileRss();
    expect(xml).not.toContain("<script");
    expect(xml).not.toContain("<b>");
    expect(xml).not.toContain("<![CDATA[");
    expect(xml).not.toContain("]]>");
  });

  it("escapes the abstract twice, as HTML text inside XML, so readers show the characters themselves", () => {
    const xml = hostileRss();
    expect(xml).toContain("&amp;lt;script&amp;gt;alert(&amp;quot;a&amp;quot;)&amp;lt;/script&amp;gt;");
    expect(xml).toContain("<title>&lt;script&gt;alert(&apos;t&apos;)&lt;/script&gt; Fast &amp; Slow ]]&gt; Thinking</title>");
  });

  it("a feed parser reads back the same text, without the control characters", () => {
    const [item] = parseFeed(hostileRss()).items;
    expect(item?.title).toBe("<script>alert('t')</script> Fast & Slow ]]> Thinking");
    expect(item?.description).toBe('We show <b>bold</b> & <script>alert("a")</script>; ]]> ends CDATA.\nSecond line: x<y.');
    expect(item?.authors.map((author) => author.name)).toEqual(["O'Brien & <Sons>"]);
  });
});

describe("buildRss fields", () => {
  it("has the channel's title, links, self link, build date and ttl", () => {
    const xml = buildRss(buildFeed(source({ period: "week", category: "cs.LG", from: "2026-06-10" }), SITE));
    const feed = parseFeed(xml);
    expect(feed.meta.type).toBe("rss");
    expect(feed.title).toBe("Trending papers of the week in cs.LG · Trending Papers");
    expect(feed.url).toBe(`${SITE}/?period=week`);
    expect(feed.self).toBe(`${SITE}/feed.xml?period=week&category=cs.LG`);
    expect(xml).toContain('<atom:link href="https://papers.example.org/feed.xml?period=week&amp;category=cs.LG" rel="self" type="application/rss+xml"/>');
    expect(xml).toContain("<lastBuildDate>Tue, 16 Jun 2026 00:00:00 GMT</lastBuildDate>");
    expect(xml).toContain("<ttl>60</ttl>");
  });

  it("gives each item a link, a guid that is not a permalink, a date, creators and categories", () => {
    const xml = buildRss(buildFeed(source(), SITE));
    expect(xml).toContain('<guid isPermaLink="false">oai:arXiv.org:2606.14777</guid>');
    expect(xml).toContain("<pubDate>Tue, 16 Jun 2026 00:00:00 GMT</pubDate>");
    const [item] = parseFeed(xml).items;
    expect(item).toMatchObject({ id: "oai:arXiv.org:2606.14777", url: `${SITE}/papers/2606.14777` });
    expect(item?.published?.toISOString()).toBe("2026-06-16T00:00:00.000Z");
    expect(item?.authors.map((author) => author.name)).toEqual(["Ada Lovelace", "Alan Turing"]);
    expect(item?.categories.map((category) => category.term)).toEqual(["cs.LG", "cs.CL"]);
  });

  it("leaves out dates it does not have", () => {
    const xml = buildRss(buildFeed(source({ date: null, from: null, papers: [paper({ listedAt: null, publishedAt: null })] }), SITE));
    expect(xml).not.toContain("<pubDate>");
    expect(xml).not.toContain("<lastBuildDate>");
    expect(XMLValidator.validate(xml)).toBe(true);
  });
});

describe("toRfc822", () => {
  it("writes RFC 822 dates in GMT with the weekday", () => {
    expect(toRfc822(new Date("2026-06-16T00:00:00Z"))).toBe("Tue, 16 Jun 2026 00:00:00 GMT");
    expect(toRfc822(new Date("2026-01-01T23:05:09.999Z"))).toBe("Thu, 01 Jan 2026 23:05:09 GMT");
  });
});
