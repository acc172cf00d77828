// POST /api/votes {"paperId", "voted"}: casts (voted: true, the default) or removes this visitor's
// vote on a paper and answers with the paper's votes. The visitor is a signed httpOnly cookie, set
// on the first vote. JSON only (so a cross-site form cannot vote), same-origin only when the
// browser says where the request comes from; limits per visitor and per IP (429 + Retry-After).
import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { clientIp } from "@/lib/api/client-ip";
import { ApiError, handle, jsonError, readJsonBody } from "@/lib/api/respond";
import { env } from "@/lib/env";
import { paperIdFromSegments } from "@/lib/papers/paper-id";
import { tokenSecret } from "@/lib/mail/secret";
import { consumeLimits } from "@/lib/rate-limit";
import { newVisitorId, readVisitorCookie, VISITOR_COOKIE, visitorCookieOptions, visitorCookieValue } from "@/lib/votes/visitor";
import { setVote } from "@/lib/votes/votes";

export const dynamic = "force-dynamic";

const bodySchema = z.object({
  paperId: z.string().min(1, "is required").max(200, "is too long"),
  voted: z.boolean().default(true),
});

/** A browser sends Origin on POST; one from another site is refused (the cookie is SameSite=Lax too). */
function checkOrigin(request: NextRequest): void {
  const origin = request.headers.get("origin");
  if (origin && origin !== new URL(env.APP_URL).origin && origin !== request.nextUrl.origin) {
    throw new ApiError(403, "invalid_request", "Votes are accepted from this site's pages only.");
  }
}

export async function POST(request: NextRequest) {
  return handle(async () => {
    checkOrigin(request);
    const body = await readJsonBody(request, bodySchema, { maxChars: 2_000, example: '{"paperId": "…", "voted": true}' });
    const paperId = paperIdFromSegments([body.paperId]);
    if (!paperId) return jsonError(404, "not_found", `No paper with id ${JSON.stringify(body.paperId)}.`);
    const secret = tokenSecret();
    const known = readVisitorCookie(secret, request.cookies.get(VISITOR_COOKIE)?.value);
    const visitor = known ?? newVisitorId();
    const limits = await consumeLimits([
      { name: "vote-ip", limit: { points: env.VOTE_LIMIT_IP, duration: 3600 }, key: clientIp(request.headers) },
      { name: "vote-visitor", limit: { points: env.VOTE_LIMIT_VISITOR, duration: 3600 }, key: visitor },
    ]);
    if (!limits.ok) {
      const response = jsonError(429, "rate_limited", `Too many votes; try again in ${limits.retryAfterSeconds} s.`);
      response.headers.set("Retry-After", String(limits.retryAfterSeconds));
      return response;
    }
    const result = await setVote(paperId, visitor, body.voted);
    if (result.status === "not-found") return jsonError(404, "not_found", `No paper with id ${paperId}.`);
    const response = NextResponse.json({ paperId: result.paperId, votes: result.votes, voted: result.voted }, { headers: { "Cache-Control": "no-store" } });
    if (!known) response.cookies.set(VISITOR_COOKIE, visitorCookieValue(secret, visitor), visitorCookieOptions(env.APP_URL));
    return response;
  });
}
