// The search page's compact copy of a result (SearchCard), for its first answer and for each
// /api/search?view=cards the page fetches as you type. Server code: formulas are set by KaTeX.
import { markedMath } from "@/lib/papers/math-html";
import { shortAuthors } from "@/lib/papers/format";
import type { Segment } from "./document";
import type { PaperHit, SearchCard, SearchCards, SearchResult } from "./types";

/** Runs that alternate plain and matched text, starting with plain: ["", "Diffusion", " models"]. */
export function toRuns(segments: Segment[]): string[] {
  const runs = [""];
  for (const segment of segments) {
    const lastMatched = runs.length % 2 === 0;
    if (segment.highlight === lastMatched) runs[runs.length - 1] += segment.text;
    else runs.push(segment.text);
  }
  return runs;
}

export function toSearchCard(hit: PaperHit): SearchCard {
  const authors = shortAuthors(hit.authors);
  const title = toRuns(hit.highlights.title);
  const excerpt = toRuns(hit.highlights.abstract);
  const titleMath = markedMath(title);
  const excerptMath = markedMath(excerpt, { cropped: true });
  return {
    id: hit.id,
    title,
    excerpt,
    ...(titleMath ? { titleMath } : {}),
    ...(excerptMath ? { excerptMath } : {}),
    authors: authors.names,
    moreAuthors: authors.more,
    categories: hit.categories.slice(0, 3),
    votes: hit.votes,
    listedAt: hit.listedAt,
    githubRepo: hit.githubRepo,
    githubStars: hit.githubStars,
    projectPage: hit.projectPage,
    arxivUrl: hit.arxivUrl,
  };
}

export function toSearchCards(result: SearchResult): SearchCards {
  return { items: result.items.map(toSearchCard), total: result.total, offset: result.offset, limit: result.limit, degraded: result.degraded };
}
