// GET /api/session: whether this browser is signed in, for the header (per person, so never cached
// into a shared page). Nothing else about the person leaves the server.
import { NextResponse, type NextRequest } from "next/server";
import { handle } from "@/lib/api/respond";
import { findSession, SESSION_COOKIE } from "@/lib/auth/sessions";

export const dynamic = "force-dynamic";

export async function GET(request: NextRequest) {
  return handle(async () => {
    const person = await findSession(request.cookies.get(SESSION_COOKIE)?.value);
    return NextResponse.json({ signedIn: person !== null }, { headers: { "Cache-Control": "private, no-store" } });
  });
}
