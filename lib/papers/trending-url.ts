// The home page's query string: reading it forgivingly and writing links back to it.
import { isValidDay } from "@/lib/time";
import { isPeriod, type Period } from "./period";

export type SearchParams = Record<string, string | string[] | undefined>;

export type TrendingParams = { period: Period; date: string | undefined; cursor: string | undefined };

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * A hand-edited or stale link must still show a page, so anything invalid falls back to the
 * default (period day, the latest day with papers, the first page) instead of an error.
 */
export function readTrendingParams(params: SearchParams): TrendingParams {
  const period = first(params.period);
  const date = first(params.date);
  const cursor = first(params.cursor);
  return {
    period: period && isPeriod(period) ? period : "day",
    date: date && isValidDay(date) ? date : undefined,
    // Cursors are short base64url tokens; anything else cannot be one listTrending returned.
    cursor: cursor && /^[A-Za-z0-9_-]{1,100}$/.test(cursor) ? cursor : undefined,
  };
}

/**
 * "/?period=week&date=2026-06-16"; defaults are left out so the plain home page stays "/". `base`:
 * the page the window is of ("/topics/cs.RO" for a topic's).
 */
export function trendingHref(params: { period: Period; date?: string | null; cursor?: string | null }, base = "/"): string {
  const query = new URLSearchParams();
  if (params.period !== "day") query.set("period", params.period);
  if (params.date) query.set("date", params.date);
  if (params.cursor) query.set("cursor", params.cursor);
  const search = query.toString();
  return search ? `${base}?${search}` : base;
}
