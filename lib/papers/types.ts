// The paper shapes that leave lib/papers: what lists and mails show, JSON API fields and page props (camelCase, stable).
import type { MathPart } from "./math";

/**
 * A paper as cards, search hits, mails and feeds show it: plain data, so whatever shows a paper
 * (components, mail templates) needs nothing but this.
 */
export type ShownPaper = {
  /** The arXiv id without version ("2506.01234", "hep-th/9901001") or local-…, never an encoding; the page is `/papers/<id>`. */
  id: string;
  title: string;
  /** The full abstract as ingested (plain text, may contain TeX); mails show an excerpt. */
  abstract: string;
  authors: string[];
  categories: string[];
  /** YYYY-MM-DD, the day the paper was announced or featured. */
  listedAt: string | null;
  /** Source upvotes plus upvotes cast here. */
  votes: number;
  githubRepo: string | null;
  githubStars: number | null;
  projectPage: string | null;
  /** https://arxiv.org/abs/<id>, or null for papers without an arXiv id. */
  arxivUrl: string | null;
};

/** A shown paper at its place in a ranked list (trending, a digest). */
export type RankedPaper = ShownPaper & { rank: number };

export type PaperSummary = ShownPaper & {
  /** ISO instant of the first version at the source, when known. */
  publishedAt: string | null;
  /** This paper's page on this site (absolute). */
  url: string;
};

export type PaperDetail = PaperSummary & {
  comment: string | null;
  journalRef: string | null;
  doi: string | null;
  license: string | null;
  keywords: string[];
  sourceUpvotes: number;
  localUpvotes: number;
  sourceUpdatedAt: string | null;
  sources: { source: string; externalId: string; firstSeenAt: string; lastSeenAt: string }[];
};

export type TrendingItem = PaperSummary & {
  rank: number;
  score: number;
  /** Why the paper ranks here, in words, matching the documented formula. */
  scoreReason: string;
};

/**
 * A trending paper as its card shows it, and no more: the list is a client component, so this is
 * what React's payload carries for each card (the author list cut short, the abstract's start).
 */
export type CardPaper = Pick<TrendingItem, "id" | "rank" | "title" | "categories" | "listedAt" | "votes" | "scoreReason" | "githubRepo" | "githubStars" | "projectPage" | "arxivUrl"> & {
  authors: string[];
  /** Authors not named on the card. */
  moreAuthors: number;
  abstractPreview: string;
  /** The title with its math rendered (lib/papers/math-html.ts), only when it has math. */
  titleMath?: MathPart[];
  /** The abstract's preview with its math rendered, only when the preview has math. */
  abstractMath?: MathPart[];
};

export type TrendingPage = {
  items: TrendingItem[];
  nextCursor: string | null;
  period: "day" | "week" | "month";
  /** Window [from, date], both YYYY-MM-DD; null when there are no papers at all. */
  date: string | null;
  from: string | null;
  /** Where the previous / next window ends, or null at the edges of the data. */
  previousDate: string | null;
  nextDate: string | null;
  /** Papers in the window. */
  total: number;
};
