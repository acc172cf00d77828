// POST /api/me/digest/feed: a new address for the private feed of the digest; the old one stops
// working at once. Answers {"feedUrl"}. Whose: as /api/me/digest (a session, or a digest mail's
// token in Authorization is refused: sign in); from this site's pages only; a 409 while not subscribed (no feed then).
import { NextResponse, type NextRequest } from "next/server";
import { ApiError, checkSameOrigin, handle } from "@/lib/api/respond";
import { resetPrivateFeed } from "@/lib/subscriptions/feed";
import { digestOwner } from "@/lib/subscriptions/owner";
import { subscriptionOf } from "@/lib/subscriptions/subscribe";

export const dynamic = "force-dynamic";

export async function POST(request: NextRequest) {
  return handle(async () => {
    checkSameOrigin(request, "Your feed's address can be reset from this site's pages only.");
    const who = await digestOwner(request);
    // A mail link's token can be forwarded with the mail: it never reaches the feed.
    if (!("personId" in who.owner)) throw new ApiError(401, "sign_in_required", "Sign in to reset your feed's address.");
    const subscription = await subscriptionOf(who.owner);
    if (subscription?.status !== "confirmed") throw new ApiError(409, "invalid_request", "Subscribe to the digest to get a private feed.");
    const feedUrl = await resetPrivateFeed(subscription.id);
    return NextResponse.json({ feedUrl }, { headers: { "Cache-Control": "private, no-store" } });
  });
}
