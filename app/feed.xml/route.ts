// GET /feed.xml: RSS 2.0 of the trending papers (?period=day|week|month, ?category=cs.LG).
import type { NextRequest } from "next/server";
import { preflight, publicGet } from "@/lib/api/public";
import { env } from "@/lib/env";
import { buildFeed } from "@/lib/feeds/feed";
import { loadFeedSource } from "@/lib/feeds/load";
import { parseFeedQuery } from "@/lib/feeds/query";
import { feedResponse } from "@/lib/feeds/respond";
import { buildRss, RSS_CONTENT_TYPE } from "@/lib/feeds/rss";

export const dynamic = "force-dynamic";

export async function GET(request: NextRequest) {
  return publicGet(request, async () => {
    const source = await loadFeedSource(parseFeedQuery(request.nextUrl.searchParams));
    return feedResponse(request, buildRss(buildFeed(source, env.APP_URL)), RSS_CONTENT_TYPE);
  });
}

export const OPTIONS = preflight;
