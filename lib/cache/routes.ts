// Which pages the web server's cache keeps (lib/http/page-cache.ts), under which tags and for how
// long, and what Cache-Control they carry for a CDN or reverse proxy in front. Only pages that read
// no cookie are here: the trending windows (home and topics), paper pages, the feeds, the paper API and the digests.
// Search is not cached (its answers are as many as its queries); neither are forms nor accounts.
import type { CachePolicy } from "@/lib/http/page-cache";
import { canonicalCategory } from "@/lib/papers/categories";
import { paperIdFromSegments, safeDecode } from "@/lib/papers/identity";
import { isValidDay } from "@/lib/time";
import { DIGESTS_TAG, PAPERS_TAG, TRENDING_TAG, digestTag, paperTag } from "./tags";

const MINUTE = 60_000;

/**
 * Live pages change with every vote and ingest; announcements keep this cache exact, and a shared
 * cache in front may serve them 5 s old (then stale for a minute while it refetches).
 */
const LIVE = "public, max-age=0, s-maxage=5, stale-while-revalidate=55";
/** Feed readers poll every few minutes; a minute old is fresh enough. */
const FEED = "public, max-age=60, s-maxage=60, stale-while-revalidate=300";
/**
 * A frozen digest never changes, but its HTML names this build's scripts: a shared cache keeps it an
 * hour (and a day stale while it refetches), so a deploy does not leave pages with missing scripts.
 */
const FROZEN = "public, max-age=300, s-maxage=3600, stale-while-revalidate=86400";

/** Longer query strings are not cached (no page of ours reads one). */
const MAX_QUERY_LENGTH = 1024;

/** The query as a key: sorted, without Next's `_rsc` (a hash of headers that are in the key anyway). */
function normalizedQuery(params: URLSearchParams): string {
  const pairs = [...params].filter(([name]) => name !== "_rsc");
  pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return new URLSearchParams(pairs).toString();
}

function paperTags(segments: string): readonly string[] {
  const id = paperIdFromSegments(segments.split("/"));
  return id ? [PAPERS_TAG, paperTag(id)] : [PAPERS_TAG];
}

export function cachePolicy(url: URL): CachePolicy | null {
  const query = normalizedQuery(url.searchParams);
  if (query.length > MAX_QUERY_LENGTH) return null;
  const path = url.pathname;
  const key = query ? `${path}?${query}` : path;
  const policy = (tags: readonly string[], ttlMs: number, cacheControl: string): CachePolicy => ({ key, tags, ttlMs, cacheControl });

  if (path === "/") return policy([TRENDING_TAG], 10 * MINUTE, LIVE);
  // A topic by arXiv's id as Next reads it (decoded); an alias (a redirect) or an unknown category (a
  // 404) costs no query, and is not kept, so made-up names cannot crowd out real pages.
  const topic = /^\/topics\/([^/]+)$/.exec(path);
  if (topic) {
    const asked = safeDecode(topic[1]!);
    return canonicalCategory(asked) === asked ? policy([TRENDING_TAG], 10 * MINUTE, LIVE) : null;
  }
  if (path === "/feed.xml" || path === "/feed.json") return policy([TRENDING_TAG], 10 * MINUTE, FEED);
  if (path === "/api/papers") return policy([TRENDING_TAG, PAPERS_TAG], 10 * MINUTE, LIVE);
  if (path.startsWith("/papers/") && path.length > "/papers/".length) return policy(paperTags(path.slice("/papers/".length)), 10 * MINUTE, LIVE);
  if (path.startsWith("/api/papers/") && path.length > "/api/papers/".length) return policy(paperTags(path.slice("/api/papers/".length)), 10 * MINUTE, LIVE);
  if (path === "/digests") return policy([DIGESTS_TAG], 60 * MINUTE, LIVE);
  // A digest's date as Next reads it (decoded); anything but a real day is a 404 that costs no query.
  const digest = /^\/digests\/([^/]+)$/.exec(path);
  if (digest) {
    const date = safeDecode(digest[1]!);
    return isValidDay(date) ? policy([digestTag(date)], 24 * 60 * MINUTE, FROZEN) : null;
  }
  return null;
}
