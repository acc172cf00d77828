// A voter sees their own vote at once: the vote's answer gives the browser a cookie that lives a few
// seconds, and the page cache renders that browser's pages afresh meanwhile (replacing the stored
// copies), instead of serving what was stored before the vote's announcement reached it. The cookie
// says nothing about who votes; pages never see it.
import type http from "node:http";

export const FRESH_COOKIE = "tp_fresh";
/** Longer than announcements take to arrive (half a second of coalescing, then NOTIFY). */
export const FRESH_SECONDS = 5;

const FRESH_PATTERN = new RegExp(`(?:^|;\\s*)${FRESH_COOKIE}=`);

/** Whether this request comes from a browser that has just voted. */
export function wantsFreshPages(request: http.IncomingMessage): boolean {
  const cookie = request.headers.cookie;
  return typeof cookie === "string" && FRESH_PATTERN.test(cookie);
}
