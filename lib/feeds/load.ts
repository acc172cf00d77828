// Loads what a feed lists: the first page of the home page's ranking, optionally of one category.
import { env } from "@/lib/env";
import { listTrending } from "@/lib/papers/trending";
import type { FeedSource } from "./feed";
import type { FeedQuery } from "./query";

/** As many papers as the home page's first page shows (TRENDING_PAGE_SIZE), in its order. */
export async function loadFeedSource(query: FeedQuery, size = env.TRENDING_PAGE_SIZE): Promise<FeedSource> {
  const page = await listTrending({ period: query.period, limit: size, category: query.category ?? undefined });
  return { period: query.period, category: query.category, date: page.date, from: page.from, papers: page.items };
}
