// Feed responses: cacheable for a few minutes, with an ETag of the body that answers If-None-Match with a 304.
import type { NextResponse } from "next/server";
import { cachedResponse } from "@/lib/api/public";

export const FEED_CACHE_CONTROL = "public, max-age=300";

export function feedResponse(request: Request, body: string, contentType: string): NextResponse {
  return cachedResponse(request, body, contentType, FEED_CACHE_CONTROL);
}
