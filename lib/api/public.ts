// What every public GET endpoint shares: CORS for any origin (read-only data), a per-IP limit (429
// with Retry-After), and for cacheable answers an ETag that turns a repeat request into a 304.
// The limit is kept in the web process's memory, not in Postgres: it guards reads, costs nothing on
// the hot search path, and `npm start` runs one web process (with N of them, an IP gets N times it).
import { createHash } from "node:crypto";
import { NextResponse, type NextRequest } from "next/server";
import { clientIp } from "@/lib/api/client-ip";
import { handle, limitedResponse } from "@/lib/api/respond";
import { env } from "@/lib/env";
import { matchesEtag } from "@/lib/http/etag";
import { consumeLimits } from "@/lib/rate-limit";

const CORS_HEADERS: Record<string, string> = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Expose-Headers": "ETag, Retry-After",
};

export function etagOf(body: string): string {
  return `"${createHash("sha256").update(body).digest("base64url").slice(0, 32)}"`;
}

/** A body with its ETag and Cache-Control; 304 without the body when the client has it already. */
export function cachedResponse(request: Request, body: string, contentType: string, cacheControl: string): NextResponse {
  const headers = { ETag: etagOf(body), "Cache-Control": cacheControl };
  if (matchesEtag(request.headers.get("if-none-match"), headers.ETag)) return new NextResponse(null, { status: 304, headers });
  return new NextResponse(body, { headers: { ...headers, "Content-Type": contentType } });
}

export function cachedJson(request: Request, value: unknown, cacheControl: string): NextResponse {
  return cachedResponse(request, JSON.stringify(value), "application/json", cacheControl);
}

/** Runs a public GET handler: limited per IP, errors as JSON, CORS on every answer (errors included). */
export async function publicGet(request: NextRequest, run: () => Promise<NextResponse>): Promise<NextResponse> {
  const response = await handle(async () => {
    const limit = await consumeLimits([
      { name: "api-ip", limit: { points: env.API_LIMIT_IP, duration: 60, store: "memory" }, key: clientIp(request.headers) },
    ]);
    if (!limit.ok) return limitedResponse(limit, `Too many requests; try again in ${limit.retryAfterSeconds} s.`);
    return run();
  });
  for (const [name, value] of Object.entries(CORS_HEADERS)) response.headers.set(name, value);
  return response;
}

/** The CORS preflight a browser sends before a GET with If-None-Match from another origin. */
export function preflight(): NextResponse {
  return new NextResponse(null, {
    status: 204,
    headers: {
      ...CORS_HEADERS,
      "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
      "Access-Control-Allow-Headers": "If-None-Match, If-Modified-Since",
      "Access-Control-Max-Age": "86400",
    },
  });
}
