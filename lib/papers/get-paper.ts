// One paper with everything known about it, for its page and GET /api/papers/<id>.
import { db } from "@/lib/db/client";
import { presentPaper } from "./present";
import type { PaperDetail } from "./types";

export async function getPaper(id: string): Promise<PaperDetail | null> {
  const paper = await db.prisma.paper.findUnique({
    where: { id },
    include: { sources: { orderBy: { firstSeenAt: "asc" } } },
  });
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
    sources: paper.sources.map((source) => ({
      source: source.source,
      externalId: source.externalId,
      firstSeenAt: source.firstSeenAt.toISOString(),
      lastSeenAt: source.lastSeenAt.toISOString(),
    })),
  };
}

/** A paper's title alone (the sign-in page names the paper a vote waits for). */
export async function getPaperTitle(id: string): Promise<string | null> {
  const paper = await db.prisma.paper.findUnique({ where: { id }, select: { title: true } });
  return paper?.title ?? null;
}
