// The route label of /metrics: the app's route patterns, never a raw path.
import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROUTES, routeLabel } from "@/lib/http/routes";

/** Every page.tsx and route.ts under app/, as Next names its route. */
function appRoutes(dir = path.join(process.cwd(), "app"), prefix = ""): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return appRoutes(path.join(dir, entry.name), `${prefix}/${entry.name}`);
    return /^(page\.tsx|route\.ts)$/.test(entry.name) ? [prefix || "/"] : [];
  });
}

describe("route labels", () => {
  it("know every route of the app directory", () => {
    expect([...ROUTES].sort()).toEqual(appRoutes().sort());
  });

  it("name a request by its route pattern, query and ids left out", () => {
    expect({
      home: routeLabel("/?date=2026-06-16"),
      paper: routeLabel("/papers/2506.01234"),
      oldPaper: routeLabel("/papers/hep-th/9901001"),
      api: routeLabel("/api/papers/hep-th/9901001"),
      list: routeLabel("/api/papers?period=week"),
      static: routeLabel("/api/me/digest/feed"),
      digest: routeLabel("/digests/2026-06-16"),
      topic: routeLabel("/topics/cs.LG"),
      feed: routeLabel("/feed/f.12.abcdef.xml"),
      rss: routeLabel("/feed.xml"),
      slash: routeLabel("/search/"),
    }).toEqual({
      home: "/",
      paper: "/papers/[...id]",
      oldPaper: "/papers/[...id]",
      api: "/api/papers/[...id]",
      list: "/api/papers",
      static: "/api/me/digest/feed",
      digest: "/digests/[date]",
      topic: "/topics/[category]",
      feed: "/feed/[secret]",
      rss: "/feed.xml",
      slash: "/search",
    });
  });

  it("put everything else under a few fixed labels", () => {
    expect(["/metrics", "/_next/static/chunks/a.js", "/_next/image", "/_next/data/x.json", "/favicon.ico", "/wp-login.php", "/papers", "/digests/2026/06", "/feed.xmlx"].map(routeLabel)).toEqual([
      "/metrics",
      "/_next/static",
      "/_next/image",
      "/_next/other",
      "/favicon.ico",
      "unmatched",
      "unmatched",
      "unmatched",
      "unmatched",
    ]);
  });
});
