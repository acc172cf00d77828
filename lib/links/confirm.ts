// The POST behind a mailed link's button (subscription confirmation or sign-in): the link's own
// URL, so the page's plain HTML form works without JavaScript and `curl -X POST "<link>"` works
// too. A GET of the link changes nothing (it leads to the page with the button). Confirming signs
// the person in (a session row and an httpOnly cookie) and casts the vote that waited for it. Above
// auth, subscriptions and votes: it ties the three together for one request.
import { NextResponse, type NextRequest } from "next/server";
import { clientAddressOf } from "@/lib/api/client-ip";
import { ApiError, checkSameOrigin, handle, readBodyCapped } from "@/lib/api/respond";
import { env } from "@/lib/env";
import { confirmSubscription } from "@/lib/subscriptions/subscribe";
import { createSession, SESSION_COOKIE, sessionCookieOptions } from "@/lib/auth/sessions";
import { confirmSignIn } from "@/lib/auth/sign-in";
import { setVote } from "@/lib/votes/votes";

export type LinkKind = "subscribe" | "signin";

const MAX_TOKEN_CHARS = 200;

/** The page with the button for a link (relative: a redirect never echoes the request's Host). */
export function linkPagePath(token: string | null): string {
  return token ? `/confirm?${new URLSearchParams({ token })}` : "/confirm";
}

/** GET of a link: the page with the button. */
export function linkGet(request: NextRequest): NextResponse {
  const token = request.nextUrl.searchParams.get("token");
  return new NextResponse(null, { status: 303, headers: { Location: linkPagePath(token), "Cache-Control": "no-store" } });
}

/**
 * A login CSRF guard: a form on another site (or in a sandboxed frame, whose Origin is "null") must
 * not sign a browser in as the link's owner. A browser says where a POST comes from; curl says nothing.
 */
function checkSameSite(request: NextRequest): void {
  const message = "Open the link from your mail and press the button on this site's page.";
  const site = request.headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") throw new ApiError(403, "invalid_request", message);
  checkSameOrigin(request, message);
}

function seeOther(location: string): NextResponse {
  return new NextResponse(null, { status: 303, headers: { Location: location, "Cache-Control": "no-store" } });
}

/** POST of a link: confirm it, sign in, and go where the link leads (or back to its page, which says what went wrong). */
export async function linkPost(request: NextRequest, kind: LinkKind): Promise<NextResponse> {
  return handle(async () => {
    checkSameSite(request);
    // The form sends nothing we need; what a client sends anyway is read with a cap.
    await readBodyCapped(request, 4_096);
    const token = request.nextUrl.searchParams.get("token");
    if (!token || token.length > MAX_TOKEN_CHARS) return seeOther(linkPagePath(null));
    const ip = clientAddressOf(request.headers);
    let personId: bigint;
    let destination: string;
    if (kind === "subscribe") {
      const result = await confirmSubscription(token, ip);
      if (result.status !== "confirmed") return seeOther(linkPagePath(token));
      personId = result.personId;
      destination = "/subscribe/confirmed";
    } else {
      const result = await confirmSignIn(token);
      if (result.status !== "signed-in") return seeOther(linkPagePath(token));
      personId = result.personId;
      // The vote asked for before signing in: cast now that it belongs to someone.
      if (result.votePaperId) await setVote(result.votePaperId, { personId }, true);
      destination = result.nextPath ?? "/account";
    }
    const session = await createSession(personId, { ip, userAgent: request.headers.get("user-agent") ?? undefined });
    const response = seeOther(destination);
    response.cookies.set(SESSION_COOKIE, session.token, sessionCookieOptions(env.APP_URL, session.expiresAt));
    return response;
  });
}
