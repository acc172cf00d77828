// What a feed of trending papers says, whatever its format: titles, links, stable ids and dates (pure).
import { isArxivId } from "@/lib/papers/identity";
import { formatWindow } from "@/lib/papers/format";
import type { Period } from "@/lib/papers/period";
import { paperPath } from "@/lib/papers/identity";
import { trendingHref } from "@/lib/papers/trending-url";
import type { PaperSummary } from "@/lib/papers/types";
import { parseDay } from "@/lib/time";
import { cleanText, oneLine } from "./xml";

/** The papers a feed lists and the window they come from (date and from are null when there are no papers). */
export type FeedSource = {
  period: Period;
  category: string | null;
  date: string | null;
  from: string | null;
  papers: PaperSummary[];
};

export type FeedEntry = {
  /** Stable across requests, deployments and APP_URL changes: readers deduplicate on it. */
  id: string;
  url: string;
  title: string;
  /** The abstract as plain text. */
  text: string;
  date: Date | null;
  authors: string[];
  tags: string[];
};

export type Feed = {
  title: string;
  description: string;
  homeUrl: string;
  rssUrl: string;
  jsonUrl: string;
  /** The newest entry's date: derived from the data, so an unchanged list gives an unchanged body (and ETag). */
  updated: Date | null;
  entries: FeedEntry[];
};

const PERIOD_NOUN: Record<Period, string> = { day: "day", week: "week", month: "month" };

/** "/feed.xml", "/feed.json?period=week&category=cs.LG": defaults are left out, so each feed has one URL. */
export function feedPath(file: "feed.xml" | "feed.json", period: Period, category: string | null): string {
  const query = new URLSearchParams();
  if (period !== "day") query.set("period", period);
  if (category) query.set("category", category);
  const search = query.toString();
  return search ? `/${file}?${search}` : `/${file}`;
}

export function feedTitle(period: Period, category: string | null): string {
  return `Trending papers of the ${PERIOD_NOUN[period]}${category ? ` in ${category}` : ""} · Trending Papers`;
}

/** arXiv's own OAI identifier (the form arXiv's feeds use, without a version); local papers get a URN of their local id. */
export function entryId(paperId: string): string {
  return isArxivId(paperId) ? `oai:arXiv.org:${paperId}` : `urn:trending-papers:${paperId}`;
}

/** The listing day (the day the paper appeared in trending), else the first version's date. */
export function entryDate(paper: Pick<PaperSummary, "listedAt" | "publishedAt">): Date | null {
  if (paper.listedAt) return parseDay(paper.listedAt);
  return paper.publishedAt ? new Date(paper.publishedAt) : null;
}

function toEntry(paper: PaperSummary, siteUrl: string): FeedEntry {
  return {
    id: entryId(paper.id),
    url: new URL(paperPath(paper.id), siteUrl).toString(),
    title: oneLine(paper.title),
    text: cleanText(paper.abstract).trim(),
    date: entryDate(paper),
    authors: paper.authors.map(oneLine).filter(Boolean),
    tags: paper.categories.map(oneLine).filter(Boolean),
  };
}

function describeSource(source: FeedSource): string {
  const scope = source.category ? ` in ${source.category}` : "";
  if (!source.date || !source.from) return `The trending papers of the ${PERIOD_NOUN[source.period]}${scope}. There are no papers yet.`;
  return `The trending papers of the ${PERIOD_NOUN[source.period]}${scope}, ${formatWindow(source.from, source.date)}, ranked as on the home page.`;
}

/** Links are absolute, built from siteUrl (APP_URL), never from the request's Host header. */
export function buildFeed(source: FeedSource, siteUrl: string): Feed {
  const entries = source.papers.map((paper) => toEntry(paper, siteUrl));
  const times = entries.flatMap((entry) => (entry.date ? [entry.date.getTime()] : []));
  return {
    title: feedTitle(source.period, source.category),
    description: describeSource(source),
    homeUrl: new URL(trendingHref({ period: source.period }), siteUrl).toString(),
    rssUrl: new URL(feedPath("feed.xml", source.period, source.category), siteUrl).toString(),
    jsonUrl: new URL(feedPath("feed.json", source.period, source.category), siteUrl).toString(),
    updated: times.length ? new Date(Math.max(...times)) : source.date ? parseDay(source.date) : null,
    entries,
  };
}

/** The day's feeds as `metadata.alternates.types`: <link rel="alternate"> in pages' head, resolved against metadataBase. */
export const FEED_ALTERNATES = {
  "application/rss+xml": [{ url: feedPath("feed.xml", "day", null), title: "Trending papers of the day (RSS)" }],
  "application/feed+json": [{ url: feedPath("feed.json", "day", null), title: "Trending papers of the day (JSON Feed)" }],
};
