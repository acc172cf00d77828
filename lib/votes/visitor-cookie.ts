// Anonymous voting (VOTES_ANONYMOUS): a page the visitor loads gives them a signed visitor cookie.
// The vote's own answer never does, so a loop that never loads a page has nothing to vote with.
import type http from "node:http";
import { cookieFromHeader, newVisitorSetCookie, readVisitorCookie, VISITOR_COOKIE } from "./visitor";

function isPageRequest(request: http.IncomingMessage): boolean {
  if (request.method !== "GET") return false;
  const path = request.url ?? "/";
  if (path.startsWith("/api/") || path.startsWith("/_next/") || /\.[a-z0-9]+(\?|$)/i.test(path.split("?")[0]!)) return false;
  return (request.headers.accept ?? "").includes("text/html");
}

export function visitorCookieIssuer(secret: string, appUrl: string) {
  return (request: http.IncomingMessage, response: http.ServerResponse): void => {
    if (!isPageRequest(request)) return;
    if (readVisitorCookie(secret, cookieFromHeader(request.headers.cookie, VISITOR_COOKIE))) return;
    response.setHeader("Set-Cookie", newVisitorSetCookie(secret, appUrl));
    // A page carrying someone's new cookie must never be stored by a shared cache.
    response.setHeader("Cache-Control", "private, no-store");
  };
}
