// GET /feed/<secret>.xml: RSS 2.0 of one subscriber's digest (lib/subscriptions/feed.ts). The secret is
// the only credential, so every answer is private, kept out of search engines and Referers; an
// unknown, forged or reset secret, or one whose subscriber is not subscribed, is a 404.
import type { NextRequest, NextResponse } from "next/server";
import { clientIp } from "@/lib/api/client-ip";
import { cachedResponse } from "@/lib/api/public";
import { ApiError, handle, limitedResponse } from "@/lib/api/respond";
import { env } from "@/lib/env";
import { buildRss, RSS_CONTENT_TYPE } from "@/lib/feeds/rss";
import { consumeLimits } from "@/lib/rate-limit";
import { loadPrivateFeed } from "@/lib/subscriptions/feed";

export const dynamic = "force-dynamic";

/** A reader may keep it five minutes; no shared cache may keep it at all. */
const PRIVATE_FEED_CACHE_CONTROL = "private, max-age=300";
/** "f." + a 19-digit id + "." + 32 characters + ".xml", with room to spare. */
const MAX_FILE_LENGTH = 80;

function secretOf(file: string): string | null {
  return file.length <= MAX_FILE_LENGTH && file.endsWith(".xml") ? file.slice(0, -".xml".length) : null;
}

export async function GET(request: NextRequest, context: { params: Promise<{ secret: string }> }) {
  const response: NextResponse = await handle(async () => {
    // The same per-IP budget as the public API: each request reads Postgres.
    const limit = await consumeLimits([{ name: "api-ip", limit: { points: env.API_LIMIT_IP, duration: 60, store: "memory" }, key: clientIp(request.headers) }]);
    if (!limit.ok) return limitedResponse(limit, `Too many requests; try again in ${limit.retryAfterSeconds} s.`);
    const secret = secretOf((await context.params).secret);
    const feed = secret ? await loadPrivateFeed(secret) : null;
    if (!feed) throw new ApiError(404, "not_found", "No such feed. Its address may have been reset: find the current one on Your digest.");
    return cachedResponse(request, buildRss(feed), RSS_CONTENT_TYPE, PRIVATE_FEED_CACHE_CONTROL);
  });
  response.headers.set("X-Robots-Tag", "noindex");
  response.headers.set("Referrer-Policy", "no-referrer");
  return response;
}
