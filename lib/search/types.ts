// The search shapes that leave lib/search: never a Meilisearch type.
import type { MarkedPart } from "@/lib/papers/math";
import type { PaperSummary } from "@/lib/papers/types";
import type { Segment } from "./document";

export type SearchSort = "relevance" | "newest" | "votes";

export type SearchQuery = {
  q: string;
  categories?: string[];
  /** Listing day range, YYYY-MM-DD, inclusive. */
  from?: string;
  to?: string;
  hasCode?: boolean;
  sort: SearchSort;
  limit: number;
  offset: number;
};

export type PaperHit = PaperSummary & {
  /** Title and (cropped) abstract as runs of text; `highlight` runs matched the query. */
  highlights: { title: Segment[]; abstract: Segment[] };
};

export type SearchResult = {
  items: PaperHit[];
  /** Estimated total matches (bounded by the engine's maxTotalHits). */
  total: number;
  offset: number;
  limit: number;
  /** True when Meilisearch was unreachable and Postgres answered instead. */
  degraded: boolean;
  /** Present when neither Meilisearch nor the Postgres fallback answered: the empty list means nothing. */
  unanswered?: true;
  tookMs: number;
};

/**
 * What a result card on the search page shows of a PaperHit, and no more: the page's React payload
 * carries every card a second time, so the plain title and abstract (the runs hold them), the
 * paper's URLs and dates are left out. Title and excerpt are runs that alternate plain and matched
 * text, starting with plain (which may be "").
 */
export type SearchCard = Pick<PaperHit, "id" | "votes" | "listedAt" | "githubRepo" | "githubStars" | "projectPage" | "arxivUrl"> & {
  title: string[];
  excerpt: string[];
  /** The same with their whole formulas as MathML, when they have any (made on the server: KaTeX stays out of the browser). */
  titleMath?: MarkedPart[];
  excerptMath?: MarkedPart[];
  authors: string[];
  /** Authors not named on the card. */
  moreAuthors: number;
  /** The first three. */
  categories: string[];
};

/** A page of search results as the search page shows it. */
export type SearchCards = Pick<SearchResult, "total" | "offset" | "limit" | "degraded"> & { items: SearchCard[] };

/** What a search engine answers for one query (before pinning exact id or title matches). */
export type EngineResult = { hits: PaperHit[]; total: number };
