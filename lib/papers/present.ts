// Turns paper rows into the public PaperSummary shape (absolute URLs from APP_URL, ISO dates).
import { env } from "@/lib/env";
import { isArxivId } from "./identity";
import type { PaperSummary } from "./types";

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

export function paperPath(id: string): string {
  // Old-style ids keep their slash: /papers/hep-th/9901001.
  return `/papers/${id.split("/").map(encodeURIComponent).join("/")}`;
}

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
