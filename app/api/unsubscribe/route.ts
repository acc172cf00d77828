// RFC 8058 one-click unsubscribe: POST /api/unsubscribe?token=… authorised by the token alone (mail
// providers send no cookies and no matching Origin), 200 without a redirect, idempotent. A GET (a
// person following the List-Unsubscribe link) changes nothing and leads to the page with a button.
import { NextResponse, type NextRequest } from "next/server";
import { ApiError, handle, jsonError, readBodyCapped } from "@/lib/api/respond";
import { unsubscribe } from "@/lib/subscriptions/subscribe";

export const dynamic = "force-dynamic";

// The one-click body is a short form ("List-Unsubscribe=One-Click"), multipart from some providers.
const MAX_BODY_BYTES = 8_192;

const INVALID = "This unsubscribe link is damaged or was not issued by this site. Use the link from your latest digest.";

export async function POST(request: NextRequest) {
  return handle(async () => {
    const token = request.nextUrl.searchParams.get("token");
    // The body carries nothing we need; it is read (up to the cap) so an oversized one is refused,
    // and a client that drops it half-way still gets its unsubscribe.
    await readBodyCapped(request, MAX_BODY_BYTES).catch((error: unknown) => {
      if (error instanceof ApiError) throw error;
    });
    if (!token) return jsonError(400, "invalid_request", "token: required");
    const result = await unsubscribe(token);
    if (result.status === "invalid") return jsonError(400, "invalid_request", INVALID);
    return NextResponse.json({ status: "unsubscribed" }, { status: 200, headers: { "Cache-Control": "no-store" } });
  });
}

export async function GET(request: NextRequest) {
  const token = request.nextUrl.searchParams.get("token");
  // A relative Location: redirects never echo the request's Host.
  const location = token ? `/unsubscribe?${new URLSearchParams({ token })}` : "/unsubscribe";
  return new NextResponse(null, { status: 303, headers: { Location: location, "Cache-Control": "no-store" } });
}
