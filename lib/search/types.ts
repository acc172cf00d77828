// The search shapes that leave lib/search: never a Meilisearch type.
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
  tookMs: number;
};

/** What a search engine answers for one query (before pinning exact id or title matches). */
export type EngineResult = { hits: PaperHit[]; total: number };
