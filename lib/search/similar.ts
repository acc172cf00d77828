// "Similar papers" for a paper page: Meilisearch asked with the paper's own telling words; nothing when search is degraded.
import { env } from "@/lib/env";
import { shortAuthors } from "@/lib/papers/format";
import { searchEngine } from "./meilisearch";
import { askSearchEngine } from "./outage";
import { chooseSimilarTerms, sharesTerm, type TermSource } from "./similar-terms";
import type { PaperHit } from "./types";

export type SimilarSource = TermSource & { id: string };

export type SimilarPaper = {
  id: string;
  title: string;
  /** The first authors and how many more there are. */
  authors: { names: string[]; more: number };
  /** YYYY-MM-DD. */
  listedAt: string | null;
  votes: number;
};

const AUTHORS_SHOWN = 3;

/** The words Meilisearch marked in a hit's title and abstract excerpt. */
function matchedWords(hit: PaperHit): string[] {
  return [...hit.highlights.title, ...hit.highlights.abstract].filter((segment) => segment.highlight).flatMap((segment) => segment.text.match(/\p{L}+/gu) ?? []);
}

function toSimilarPaper(hit: PaperHit): SimilarPaper {
  return { id: hit.id, title: hit.title, authors: shortAuthors(hit.authors, AUTHORS_SHOWN), listedAt: hit.listedAt, votes: hit.votes };
}

/** `promise`, or `fallback` when it has not settled within `ms` (what it does later is ignored). */
function within<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<T>((resolve) => {
    timer = setTimeout(resolve, ms, fallback);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

async function askEngine(paper: SimilarSource, limit: number): Promise<SimilarPaper[]> {
  const terms = chooseSimilarTerms(paper);
  if (terms.length === 0 || limit <= 0) return [];
  // Relevance order asks Meilisearch to drop words from the end of the query until enough papers
  // match; the terms come most telling first, so results share the paper's main subject. Extra
  // candidates make up for the paper itself (usually the best match) and for papers that matched
  // only through typo tolerance, which are left out.
  const result = await askSearchEngine((engine) => searchEngine(engine, { q: terms.join(" "), sort: "relevance", limit: limit * 2 + 1, offset: 0 }));
  return result.hits
    .filter((hit) => hit.id !== paper.id && sharesTerm(matchedWords(hit), terms))
    .slice(0, limit)
    .map(toSimilarPaper);
}

/**
 * Up to `limit` papers on the same subject as `paper`, best first; null when Meilisearch is not
 * configured, unreachable, slower than SEARCH_TIMEOUT_MS (key resolution included), erroring, or
 * skipped because it failed within SEARCH_BREAKER_MS (the breaker searches share).
 * Absent rather than wrong: there is deliberately no Postgres fallback here.
 */
export async function similarPapers(paper: SimilarSource, limit = 5): Promise<SimilarPaper[] | null> {
  return within(askEngine(paper, limit).catch(() => null), env.SEARCH_TIMEOUT_MS, null);
}
