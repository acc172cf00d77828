// RSS 2.0 for a feed (pure): escaped text only, never CDATA or raw HTML from a paper.
import type { Feed, FeedEntry } from "./feed";
import { escapeXml, textToHtml } from "./xml";

export const RSS_CONTENT_TYPE = "application/rss+xml; charset=utf-8";

/** Minutes a reader may keep the feed before asking again; the list changes once a day, votes all day. */
export const RSS_TTL_MINUTES = 60;

/** RFC 822 (with a four-digit year, as RSS 2.0 readers expect): "Tue, 16 Jun 2026 00:00:00 GMT". */
export function toRfc822(date: Date): string {
  return date.toUTCString();
}

function element(name: string, text: string): string {
  return `<${name}>${escapeXml(text)}</${name}>`;
}

function item(entry: FeedEntry): string {
  const lines = [
    element("title", entry.title),
    element("link", entry.url),
    `<guid isPermaLink="false">${escapeXml(entry.id)}</guid>`,
    ...(entry.date ? [element("pubDate", toRfc822(entry.date))] : []),
    // RSS's own <author> must be an email address; Dublin Core's creator takes a name, one per author.
    ...entry.authors.map((author) => element("dc:creator", author)),
    ...entry.tags.map((tag) => element("category", tag)),
    element("description", textToHtml(entry.text)),
  ];
  return `<item>\n${lines.map((line) => `  ${line}`).join("\n")}\n</item>`;
}

export function buildRss(feed: Feed): string {
  const channel = [
    element("title", feed.title),
    element("link", feed.homeUrl),
    element("description", feed.description),
    element("language", "en"),
    `<atom:link href="${escapeXml(feed.rssUrl)}" rel="self" type="application/rss+xml"/>`,
    ...(feed.updated ? [element("lastBuildDate", toRfc822(feed.updated))] : []),
    element("ttl", String(RSS_TTL_MINUTES)),
    element("docs", "https://www.rssboard.org/rss-specification"),
    ...feed.entries.map(item),
  ];
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">`,
    `<channel>`,
    ...channel,
    `</channel>`,
    `</rss>`,
    "",
  ].join("\n");
}
