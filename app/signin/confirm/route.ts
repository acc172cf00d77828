// The sign-in link mailed to an address: GET shows the page with a button (changes nothing);
// POST, from that button, signs in and casts the vote that was waiting for it.
import type { NextRequest } from "next/server";
import { linkGet, linkPost } from "@/lib/links/confirm";

export const dynamic = "force-dynamic";

export function GET(request: NextRequest) {
  return linkGet(request);
}

export function POST(request: NextRequest) {
  return linkPost(request, "signin");
}
