// The confirmation link mailed to a new subscriber: GET shows the page with a button (changes
// nothing, so a mail scanner opening it confirms nobody); POST, from that button, confirms.
import type { NextRequest } from "next/server";
import { linkGet, linkPost } from "@/lib/links/confirm";

export const dynamic = "force-dynamic";

export function GET(request: NextRequest) {
  return linkGet(request);
}

export function POST(request: NextRequest) {
  return linkPost(request, "subscribe");
}
