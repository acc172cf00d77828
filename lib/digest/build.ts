// Choosing a day's digest: the day, and its papers (the Day window's top trending papers) as the
// digest keeps them. Freezing it with its audience is digests.freeze in store.ts.
import { latestListedDay } from "@/lib/papers/queries";
import { listTrending } from "@/lib/papers/trending";
import type { RankedPaper, TrendingItem } from "@/lib/papers/types";
import type { DigestContent } from "./types";

/** The fields a digest keeps of a trending paper: what its mail and web copy show, and nothing else. */
export function toDigestPaper(item: TrendingItem): RankedPaper {
  return {
    rank: item.rank,
    id: item.id,
    title: item.title,
    authors: item.authors,
    abstract: item.abstract,
    categories: item.categories,
    votes: item.votes,
    githubRepo: item.githubRepo,
    githubStars: item.githubStars,
    projectPage: item.projectPage,
    arxivUrl: item.arxivUrl,
    listedAt: item.listedAt,
  };
}

/** The day a digest is for when none is given: the latest day with listed papers (as on the home page). */
export async function defaultDigestDate(): Promise<string | null> {
  return latestListedDay();
}

/** The top `size` papers of the Day window ending on `date` (empty when nothing was listed that day). */
export async function computeDigest(date: string, size: number): Promise<DigestContent> {
  const page = await listTrending({ period: "day", date, limit: size });
  return { date, papers: page.items.map(toDigestPaper) };
}
