// Feed responses: cacheable for a few minutes, with an ETag of the body that answers If-None-Match with a 304.
import { createHash } from "node:crypto";
import { NextResponse } from "next/server";

export const FEED_CACHE_CONTROL = "public, max-age=300";

export function etagOf(body: string): string {
  return `"${createHash("sha256").update(body).digest("base64url").slice(0, 32)}"`;
}

/** If-None-Match compares weakly (RFC 9110, 13.1.2): a W/ prefix is ignored and * matches any body. */
export function matchesEtag(header: string | null, etag: string): boolean {
  if (!header) return false;
  return header
    .split(",")
    .map((tag) => tag.trim().replace(/^W\//, ""))
    .some((tag) => tag === "*" || tag === etag);
}

export function feedResponse(request: Request, body: string, contentType: string): NextResponse {
  const headers = { ETag: etagOf(body), "Cache-Control": FEED_CACHE_CONTROL };
  if (matchesEtag(request.headers.get("if-none-match"), headers.ETag)) return new NextResponse(null, { status: 304, headers });
  return new NextResponse(body, { headers: { ...headers, "Content-Type": contentType } });
}
