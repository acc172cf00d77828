// The route a request is counted under (in /metrics and the access log): one of the app's route patterns as Next names them
// (app/**/page.tsx and route.ts), never the raw path, so the label's values stay few. A test
// keeps ROUTES in step with the app directory.

/** Every page and route handler in app/, as Next writes its pattern. */
export const ROUTES = [
  "/",
  "/account",
  "/account/digest",
  "/api/health",
  "/api/me/digest",
  "/api/me/digest/feed",
  "/api/papers",
  "/api/papers/[...id]",
  "/api/search",
  "/api/session",
  "/api/subscribe",
  "/api/unsubscribe",
  "/api/votes",
  "/confirm",
  "/digests",
  "/digests/[date]",
  "/feed.json",
  "/feed.xml",
  "/feed/[secret]",
  "/papers/[...id]",
  "/search",
  "/signin",
  "/signin/confirm",
  "/subscribe",
  "/subscribe/confirm",
  "/subscribe/confirmed",
  "/topics",
  "/topics/[category]",
  "/unsubscribe",
] as const;

/** What is not a route of app/: our own /metrics, Next's assets, and everything else (404s). */
export type OtherRoute = "/metrics" | "/_next/static" | "/_next/image" | "/_next/other" | "/favicon.ico" | "unmatched";
export type RouteLabel = (typeof ROUTES)[number] | OtherRoute;

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A pattern's regular expression: `[name]` is one segment, `[...name]` one or more. */
function patternRegex(pattern: string): RegExp {
  const source = pattern
    .split("/")
    .map((segment) => (segment.startsWith("[...") ? "[^/]+(?:/[^/]+)*" : segment.startsWith("[") ? "[^/]+" : escape(segment)))
    .join("/");
  return new RegExp(`^${source || "/"}/?$`);
}

// Static routes first, so `/api/me/digest/feed` is never taken for a dynamic one.
const MATCHERS = [...ROUTES]
  .sort((a, b) => Number(a.includes("[")) - Number(b.includes("[")))
  .map((route) => ({ route, regex: patternRegex(route) }));

export function routeLabel(url: string): RouteLabel {
  const path = url.split(/[?#]/, 1)[0] || "/";
  if (path === "/metrics") return "/metrics";
  if (path.startsWith("/_next/static/")) return "/_next/static";
  if (path === "/_next/image") return "/_next/image";
  if (path.startsWith("/_next/")) return "/_next/other";
  if (path === "/favicon.ico") return "/favicon.ico";
  return MATCHERS.find(({ regex }) => regex.test(path))?.route ?? "unmatched";
}
