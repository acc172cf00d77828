// Turns a search document (from either engine) into the PaperHit that leaves lib/search.
import { presentPaper } from "@/lib/papers/present";
import { toSegments, type SearchDocument } from "./document";
import type { PaperHit } from "./types";

export function toPaperHit(document: SearchDocument, formatted?: Partial<Record<"title" | "abstract", string>>): PaperHit {
  return {
    ...presentPaper({
      id: document.paperId,
      title: document.title,
      abstract: document.abstract,
      authors: document.authors,
      categories: document.categories,
      publishedAt: document.publishedAt ? new Date(document.publishedAt) : null,
      listedAt: document.listedDay,
      sourceUpvotes: document.votes,
      localUpvotes: 0,
      githubRepo: document.githubRepo,
      githubStars: document.githubStars,
      projectPage: document.projectPage,
    }),
    highlights: { title: toSegments(formatted?.title ?? document.title), abstract: toSegments(formatted?.abstract ?? document.abstract) },
  };
}

