// The search page's query string: read forgivingly (a bad filter is dropped, not an error page) and written back.
import { searchParamsObject, searchQuerySchema } from "@/lib/papers/query-params";
import type { SearchQuery } from "./types";

export type SearchPageParams = Record<string, string | string[] | undefined>;

export const SEARCH_PAGE_SIZE = 20;

/** The engine's maxTotalHits: results past it cannot be paged to. */
export const MAX_SEARCH_HITS = 1_000;

/** Offset of the next page, or null on the last one. */
export function nextSearchOffset(result: { offset: number; limit: number; total: number }): number | null {
  const next = result.offset + result.limit;
  return next < Math.min(result.total, MAX_SEARCH_HITS) ? next : null;
}

export function toUrlSearchParams(params: SearchPageParams): URLSearchParams {
  const url = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) url.append(key, item);
  }
  return url;
}

/** The query the page runs, plus the names of parameters that were invalid and ignored. */
export function readSearchQuery(params: URLSearchParams): { query: SearchQuery; ignored: string[] } {
  const object = searchParamsObject(params);
  const ignored: string[] = [];
  // Drop invalid parameters one at a time until the rest parse: the page still answers.
  for (let attempt = 0; attempt < 10; attempt++) {
    const result = searchQuerySchema.safeParse(object);
    if (result.success) {
      const data = result.data;
      return {
        query: {
          q: data.q,
          categories: data.category,
          from: data.from,
          to: data.to,
          hasCode: data.hasCode,
          sort: data.sort,
          limit: params.has("limit") ? data.limit : SEARCH_PAGE_SIZE,
          offset: data.offset,
        },
        ignored,
      };
    }
    const key = String(result.error.issues[0]?.path[0] ?? "");
    if (!key || !(key in object)) break;
    ignored.push(key);
    delete object[key];
  }
  return { query: { q: "", sort: "relevance", limit: SEARCH_PAGE_SIZE, offset: 0 }, ignored };
}

/** A query as URL parameters, defaults left out, so shared links stay short. */
export function writeSearchQuery(query: Partial<SearchQuery>): URLSearchParams {
  const url = new URLSearchParams();
  if (query.q) url.set("q", query.q);
  for (const category of query.categories ?? []) url.append("category", category);
  if (query.from) url.set("from", query.from);
  if (query.to) url.set("to", query.to);
  if (query.hasCode !== undefined) url.set("hasCode", String(query.hasCode));
  if (query.sort && query.sort !== "relevance") url.set("sort", query.sort);
  if (query.offset) url.set("offset", String(query.offset));
  return url;
}

export function hasCriteria(query: SearchQuery): boolean {
  return Boolean(query.q || query.categories?.length || query.from || query.to || query.hasCode !== undefined);
}
