// GET /feed.json: JSON Feed 1.1 of the trending papers, the same items as /feed.xml.
import type { NextRequest } from "next/server";
import { preflight, publicGet } from "@/lib/api/public";
import { env } from "@/lib/env";
import { buildFeed } from "@/lib/feeds/feed";
import { buildJsonFeed, JSON_FEED_CONTENT_TYPE } from "@/lib/feeds/json-feed";
import { loadFeedSource } from "@/lib/feeds/load";
import { parseFeedQuery } from "@/lib/feeds/query";
import { feedResponse } from "@/lib/feeds/respond";

export const dynamic = "force-dynamic";

export async function GET(request: NextRequest) {
  return publicGet(request, async () => {
    const source = await loadFeedSource(parseFeedQuery(request.nextUrl.searchParams));
    return feedResponse(request, buildJsonFeed(buildFeed(source, env.APP_URL)), JSON_FEED_CONTENT_TYPE);
  });
}

export const OPTIONS = preflight;
