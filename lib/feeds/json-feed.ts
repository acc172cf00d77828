// JSON Feed 1.1 (https://jsonfeed.org/version/1.1) for a feed (pure): the same entries as the RSS.
import type { Feed, FeedEntry } from "./feed";

export const JSON_FEED_CONTENT_TYPE = "application/feed+json";

export type JsonFeedItem = {
  id: string;
  url: string;
  title: string;
  content_text: string;
  date_published?: string;
  authors?: { name: string }[];
  tags?: string[];
};

export type JsonFeed = {
  version: "https://jsonfeed.org/version/1.1";
  title: string;
  home_page_url: string;
  feed_url: string;
  description: string;
  language: string;
  items: JsonFeedItem[];
};

// Optional members are left out rather than empty: the spec asks for at least one author when present.
function toItem(entry: FeedEntry): JsonFeedItem {
  return {
    id: entry.id,
    url: entry.url,
    title: entry.title,
    content_text: entry.text,
    ...(entry.date && { date_published: entry.date.toISOString() }),
    ...(entry.authors.length > 0 && { authors: entry.authors.map((name) => ({ name })) }),
    ...(entry.tags.length > 0 && { tags: entry.tags }),
  };
}

export function toJsonFeed(feed: Feed): JsonFeed {
  return {
    version: "https://jsonfeed.org/version/1.1",
    title: feed.title,
    home_page_url: feed.homeUrl,
    feed_url: feed.jsonUrl,
    description: feed.description,
    language: "en",
    items: feed.entries.map(toItem),
  };
}

export function buildJsonFeed(feed: Feed): string {
  return `${JSON.stringify(toJsonFeed(feed), null, 2)}\n`;
}
