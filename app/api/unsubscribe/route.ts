// RFC 8058 one-click unsubscribe: POST /api/unsubscribe?token=… authorised by the token alone (mail
// providers send no cookies and no matching Origin), 200 without a redirect, idempotent. A GET (a
// person following the List-Unsubscribe link) changes nothing and leads to the page with a button.
import { NextResponse, type NextRequest } from "next/server";
import { handle, jsonError } from "@/lib/api/respond";
import { unsubscribe } from "@/lib/subscriptions/subscribe";

export const dynamic = "force-dynamic";

const INVALID = "This unsubscribe link is damaged or was not issued by this site. Use the link from your latest digest.";

export async function POST(request: NextRequest) {
  return handle(async () => {
    const token = request.nextUrl.searchParams.get("token");
    // The body ("List-Unsubscribe=One-Click", form-urlencoded or multipart) carries nothing we need.
    await request.arrayBuffer().catch(() => undefined);
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
