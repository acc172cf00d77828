// One paper with everything known about it, for its page and GET /api/papers/<id>.
import { presentPaper } from "./present";
import { paperDetail, paperSources } from "./queries";
import type { PaperDetail } from "./types";

export async function getPaper(id: string): Promise<PaperDetail | null> {
  const [paper, sources] = await Promise.all([paperDetail(id), paperSources(id)]);
  if (!paper) return null;
  return {
    ...presentPaper(paper),
    comment: paper.comment,
    journalRef: paper.journalRef,
    doi: paper.doi,
    license: paper.license,
    keywords: paper.keywords,
    sourceUpvotes: paper.sourceUpvotes,
    localUpvotes: paper.localUpvotes,
    sourceUpdatedAt: paper.sourceUpdatedAt?.toISOString() ?? null,
    sources: sources.map((source) => ({
      source: source.source,
      externalId: source.externalId,
      firstSeenAt: source.firstSeenAt.toISOString(),
      lastSeenAt: source.lastSeenAt.toISOString(),
    })),
  };
}
