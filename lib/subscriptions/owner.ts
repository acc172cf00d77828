// Whose digest a request to /api/me/digest… is about: the signed-in person's (session cookie), or,
// with `Authorization: Bearer m.…` (a digest mail's "change your digest" link), that subscriber's.
import type { NextRequest } from "next/server";
import { ApiError } from "@/lib/api/respond";
import { findSession, SESSION_COOKIE } from "@/lib/auth/sessions";
import { tokenSecret } from "@/lib/mail/secret";
import { readManageToken } from "@/lib/mail/tokens";
import type { SubscriptionOwner } from "./subscribe";

/** The session wins; a link's token is read only without one. A bad or expired token is a 401, never a fallback. */
export async function digestOwner(request: NextRequest): Promise<{ owner: SubscriptionOwner; email: string | null }> {
  const person = await findSession(request.cookies.get(SESSION_COOKIE)?.value);
  if (person) return { owner: person, email: person.email };
  const bearer = /^Bearer (\S{1,200})$/.exec(request.headers.get("authorization") ?? "")?.[1];
  if (bearer) {
    const check = readManageToken(tokenSecret(), bearer);
    if (check.ok) return { owner: { subscriberId: check.value.subscriberId }, email: null };
    throw new ApiError(401, "sign_in_required", check.reason === "expired" ? "This link has expired: sign in to change your digest." : "This link is not valid: sign in to change your digest.");
  }
  throw new ApiError(401, "sign_in_required", "Sign in to see and change your digest.");
}
