// Turns a search document (from either engine) into the PaperHit that leaves lib/search.
import { presentPaper } from "@/lib/papers/present";
import { toSegments, type SearchDocument } from "./document";
import type { PaperHit } from "./types";

/** Words of abstract a hit carries around its matches (Meilisearch's cropLength). */
export const EXCERPT_WORDS = 50;

function firstWords(text: string, count: number): string {
  const words = text.split(/\s+/).filter(Boolean);
  return words.length <= count ? words.join(" ") : `${words.slice(0, count).join(" ")}…`;
}

/**
 * A hit carries an excerpt of the abstract, not all of it: the engine's crop around the matches
 * (or the first words), as `abstract` and as highlight runs. The full abstract is one request away
 * (/api/papers/<id>); leaving it out keeps search responses small.
 */
export function toPaperHit(document: Omit<SearchDocument, "abstract"> & { abstract?: string }, formatted?: Partial<Record<"title" | "abstract", string>>): PaperHit {
  const abstract = toSegments(formatted?.abstract ?? firstWords(document.abstract ?? "", EXCERPT_WORDS));
  return {
    ...presentPaper({
      id: document.paperId,
      title: document.title,
      abstract: abstract.map((segment) => segment.text).join(""),
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
    highlights: { title: toSegments(formatted?.title ?? document.title), abstract },
  };
}

