// GET /api/me/digest: the signed-in person's digest subscription and preferences.
// PUT /api/me/digest {"subscribed"?, "categories"?, "keywords"?, "authors"?, "searches"?, "cadence"?, …}:
// changes the fields given (the others keep their value) and, with "subscribed", starts or ends the
// subscription (confirmed at once: signing in verified the address). Applies from the next digest.
// Session cookie only (401 sign_in_required without one); PUT from this site's pages only.
import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { clientIp } from "@/lib/api/client-ip";
import { ApiError, checkSameOrigin, handle, readJsonBody } from "@/lib/api/respond";
import { findSession, SESSION_COOKIE, type SessionPerson } from "@/lib/auth/sessions";
import { applyPatch, DEFAULT_PREFERENCES, preferencesPatchSchema } from "@/lib/subscriptions/preferences";
import { saveOwnSubscription, subscriptionOf, type OwnSubscription } from "@/lib/subscriptions/subscribe";

export const dynamic = "force-dynamic";

const bodySchema = preferencesPatchSchema.extend({ subscribed: z.boolean().optional() });

async function signedIn(request: NextRequest): Promise<SessionPerson> {
  const person = await findSession(request.cookies.get(SESSION_COOKIE)?.value);
  if (!person) throw new ApiError(401, "sign_in_required", "Sign in to see and change your digest.");
  return person;
}

function answer(person: SessionPerson, subscription: OwnSubscription | null): NextResponse {
  return NextResponse.json(
    {
      email: person.email,
      status: subscription?.status ?? "none",
      preferences: subscription?.preferences ?? DEFAULT_PREFERENCES,
    },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

export async function GET(request: NextRequest) {
  return handle(async () => {
    const person = await signedIn(request);
    return answer(person, await subscriptionOf(person));
  });
}

export async function PUT(request: NextRequest) {
  return handle(async () => {
    checkSameOrigin(request, "Your digest can be changed from this site's pages only.");
    const person = await signedIn(request);
    const { subscribed, ...patch } = await readJsonBody(request, bodySchema, {
      maxBytes: 64_000,
      example: '{"categories": ["cs.RO"], "keywords": ["diffusion policy"], "cadence": "weekly", "weeklyDay": 1}',
    });
    const current = await subscriptionOf(person);
    const preferences = applyPatch(current?.preferences ?? DEFAULT_PREFERENCES, patch);
    return answer(person, await saveOwnSubscription(person, preferences, subscribed, clientIp(request.headers)));
  });
}
