// GET /api/me/digest: a digest subscription, its preferences and its private feed's address (feedUrl).
// PUT /api/me/digest {"subscribed"?, "categories"?, "keywords"?, "authors"?, "searches"?, "cadence"?, …}:
// changes the fields given (the others keep their value) and, with "subscribed", starts or ends the
// subscription (confirmed at once: the address was verified). Applies from the next digest.
// Whose: the signed-in person's (session cookie), or, with `Authorization: Bearer m.…` (the token of
// a digest mail's "change your digest" link), that subscriber's. Neither: 401 sign_in_required.
// PUT from this site's pages only.
import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { clientIp } from "@/lib/api/client-ip";
import { ApiError, checkSameOrigin, handle, readJsonBody } from "@/lib/api/respond";
import { applyPatch, preferencesPatchSchema } from "@/lib/subscriptions/preferences";
import { digestState } from "@/lib/subscriptions/feed";
import { digestOwner } from "@/lib/subscriptions/owner";
import { saveOwnSubscription, subscriptionOf, type OwnSubscription } from "@/lib/subscriptions/subscribe";

export const dynamic = "force-dynamic";

const bodySchema = preferencesPatchSchema.extend({ subscribed: z.boolean().optional() });

/**
 * `feedUrl`: the private feed of the digest while subscribed (its secret made on first ask), else
 * null; and null for a mail link's token, which can be forwarded with the mail: it opens the
 * preferences, not the feed (a secret that never expires).
 */
async function answer(email: string | null, subscription: OwnSubscription | null, byLink: boolean): Promise<NextResponse> {
  if (!subscription && email === null) throw new ApiError(404, "not_found", "This subscription no longer exists.");
  return NextResponse.json(await digestState(subscription, email, !byLink), { headers: { "Cache-Control": "private, no-store" } });
}

export async function GET(request: NextRequest) {
  return handle(async () => {
    const who = await digestOwner(request);
    return answer(who.email, await subscriptionOf(who.owner), !("personId" in who.owner));
  });
}

export async function PUT(request: NextRequest) {
  return handle(async () => {
    checkSameOrigin(request, "Your digest can be changed from this site's pages only.");
    const who = await digestOwner(request);
    const { subscribed, ...patch } = await readJsonBody(request, bodySchema, {
      maxBytes: 64_000,
      example: '{"categories": ["cs.RO"], "keywords": ["diffusion policy"], "cadence": "weekly", "weeklyDay": 1}',
    });
    const current = await subscriptionOf(who.owner);
    if (!current && !("personId" in who.owner)) throw new ApiError(404, "not_found", "This subscription no longer exists.");
    // A mail link can pause, change and end a subscription, not start one again: that takes signing in.
    if (subscribed === true && !("personId" in who.owner) && current?.status !== "confirmed") {
      throw new ApiError(401, "sign_in_required", "Sign in to subscribe again.");
    }
    const saved = await saveOwnSubscription(who.owner, (preferences) => applyPatch(preferences, patch), subscribed, clientIp(request.headers));
    return answer(who.email, saved, !("personId" in who.owner));
  });
}
