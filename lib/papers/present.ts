// Turns paper rows into the public PaperSummary shape (absolute URLs from APP_URL, ISO dates).
import { env } from "@/lib/env";
import { isArxivId, paperPath } from "./identity";
import { shortAuthors } from "./format";
import { mathPartsIfAny, previewWithMath } from "./math-html";
import type { CardPaper, PaperSummary, TrendingItem } from "./types";

export type PaperRow = {
  id: string;
  title: string;
  abstract: string;
  authors: string[] | null;
  categories: string[] | null;
  publishedAt: Date | null;
  /** YYYY-MM-DD, selected as `listed_at::text` (pg would turn a date into local midnight). */
  listedAt: string | null;
  sourceUpvotes: number;
  localUpvotes: number;
  githubRepo: string | null;
  githubStars: number | null;
  projectPage: string | null;
};

export function arxivUrl(id: string): string | null {
  return isArxivId(id) ? `https://arxiv.org/abs/${id}` : null;
}

export function presentPaper(row: PaperRow): PaperSummary {
  return {
    id: row.id,
    title: row.title,
    abstract: row.abstract,
    authors: row.authors ?? [],
    categories: row.categories ?? [],
    publishedAt: row.publishedAt?.toISOString() ?? null,
    listedAt: row.listedAt,
    votes: row.sourceUpvotes + row.localUpvotes,
    githubRepo: row.githubRepo,
    githubStars: row.githubStars,
    projectPage: row.projectPage,
    url: new URL(paperPath(row.id), env.APP_URL).toString(),
    arxivUrl: arxivUrl(row.id),
  };
}

/** `titleMath` when the title has math; nothing at all otherwise (the payload carries every card's fields). */
function withTitleMath(title: string): Pick<CardPaper, "titleMath"> {
  const titleMath = mathPartsIfAny(title);
  return titleMath ? { titleMath } : {};
}

/** The abstract's preview, and `abstractMath` when that preview has math. */
function withPreview(abstract: string): Pick<CardPaper, "abstractPreview" | "abstractMath"> {
  const { preview, math } = previewWithMath(abstract);
  return math ? { abstractPreview: preview, abstractMath: math } : { abstractPreview: preview };
}

/** What a trending card needs of a paper (components/paper-list.tsx). */
export function toCardPaper(item: TrendingItem): CardPaper {
  const authors = shortAuthors(item.authors);
  return {
    id: item.id,
    rank: item.rank,
    title: item.title,
    authors: authors.names,
    moreAuthors: authors.more,
    ...withPreview(item.abstract),
    ...withTitleMath(item.title),
    categories: item.categories,
    listedAt: item.listedAt,
    votes: item.votes,
    scoreReason: item.scoreReason,
    githubRepo: item.githubRepo,
    githubStars: item.githubStars,
    projectPage: item.projectPage,
    arxivUrl: item.arxivUrl,
  };
}
