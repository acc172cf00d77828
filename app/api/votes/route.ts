// POST /api/votes {"paperId", "voted"}: casts (voted: true, the default) or removes the signed-in
// person's vote on a paper and answers with the paper's votes. Signed out: 401 sign_in_required
// (the button then asks for an address). With VOTES_ANONYMOUS, a visitor cookie that a page set
// counts as a voter; this answer never sets one, so a loop without cookies gets 401, not votes.
// A counted vote's answer sets only a 5-second freshness cookie (lib/cache/fresh.ts), no identity.
// JSON only (so a cross-site form cannot vote), same-origin only when the browser says where the
// request comes from; limits per voter and per IP (429 + Retry-After); an unknown IP is refused.
// GET /api/votes?ids=a,b: which of these papers this browser's voter has upvoted, and whether it
// can vote without signing in (per person: the shared, cached pages ask for it from the browser).
import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { clientIp } from "@/lib/api/client-ip";
import { ApiError, checkSameOrigin, handle, jsonError, limitedResponse, readJsonBody } from "@/lib/api/respond";
import { env } from "@/lib/env";
import { paperIdFromSegments } from "@/lib/papers/identity";
import { consumeLimits } from "@/lib/rate-limit";
import { FRESH_COOKIE, FRESH_SECONDS } from "@/lib/cache/fresh";
import { currentVotes, voterFromCookies } from "@/lib/votes/current";
import { setVote } from "@/lib/votes/votes";

export const dynamic = "force-dynamic";

const bodySchema = z.object({
  paperId: z.string().min(1, "is required").max(200, "is too long"),
  voted: z.boolean().default(true),
});

/** As many ids as the longest trending page shows. */
const MAX_IDS = 100;

/** Every page view asks once; a client asking more than this a minute is not a reader. */
const READS_PER_MINUTE = 600;

export async function GET(request: NextRequest) {
  return handle(async () => {
    const limit = await consumeLimits([{ name: "votes-read-ip", limit: { points: READS_PER_MINUTE, duration: 60, store: "memory" }, key: clientIp(request.headers) }]);
    if (!limit.ok) return limitedResponse(limit, `Too many requests; try again in ${limit.retryAfterSeconds} s.`);
    const raw = request.nextUrl.searchParams.get("ids") ?? "";
    if (raw.length > MAX_IDS * 210) throw new ApiError(400, "invalid_request", `ids is too long: at most ${MAX_IDS} paper ids.`);
    const given = raw.split(",").filter(Boolean);
    if (given.length > MAX_IDS) throw new ApiError(400, "invalid_request", `ids names ${given.length} papers; at most ${MAX_IDS}.`);
    // An id that names no paper was not voted for: it is answered as such, not refused.
    const ids = given.flatMap((id) => paperIdFromSegments([id]) ?? []);
    const votes = await currentVotes((name) => request.cookies.get(name)?.value, ids);
    return NextResponse.json(votes, { headers: { "Cache-Control": "private, no-store" } });
  });
}

export async function POST(request: NextRequest) {
  return handle(async () => {
    checkSameOrigin(request, "Votes are accepted from this site's pages only.");
    const body = await readJsonBody(request, bodySchema, { maxBytes: 2_000, example: '{"paperId": "…", "voted": true}' });
    const paperId = paperIdFromSegments([body.paperId]);
    if (!paperId) return jsonError(404, "not_found", `No paper with id ${JSON.stringify(body.paperId)}.`);
    const voter = await voterFromCookies((name) => request.cookies.get(name)?.value);
    if (!voter) return jsonError(401, "sign_in_required", "Sign in to vote: we mail you a link, no password needed.");
    const limits = await consumeLimits([
      { name: "vote-ip", limit: { points: env.VOTE_LIMIT_IP, duration: 3600 }, key: clientIp(request.headers) },
      { name: "vote-voter", limit: { points: env.VOTE_LIMIT_VISITOR, duration: 3600 }, key: "personId" in voter ? `person:${voter.personId}` : `visitor:${voter.visitorId}` },
    ]);
    if (!limits.ok) return limitedResponse(limits, `Too many votes; try again in ${limits.retryAfterSeconds} s.`);
    const result = await setVote(paperId, voter, body.voted);
    if (result.status === "not-found") return jsonError(404, "not_found", `No paper with id ${paperId}.`);
    const response = NextResponse.json({ paperId: result.paperId, votes: result.votes, voted: result.voted }, { headers: { "Cache-Control": "no-store" } });
    // The voter's next pages are rendered afresh for a few seconds (lib/cache/fresh.ts).
    response.cookies.set(FRESH_COOKIE, "1", { maxAge: FRESH_SECONDS, path: "/", httpOnly: true, sameSite: "lax", secure: env.APP_URL.startsWith("https:") });
    return response;
  });
}
