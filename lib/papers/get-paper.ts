// One paper with everything known about it, for its page and GET /api/papers/<id>.
import { db } from "@/lib/db/client";
import { presentPaper, type PaperRow } from "./present";
import type { PaperDetail } from "./types";

type DetailRow = PaperRow & {
  comment: string | null;
  journalRef: string | null;
  doi: string | null;
  license: string | null;
  keywords: string[];
  sourceUpdatedAt: Date | null;
};

type SourceRow = { source: string; externalId: string; firstSeenAt: Date; lastSeenAt: Date };

export async function getPaper(id: string): Promise<PaperDetail | null> {
  const [papers, sources] = await Promise.all([
    db.pool.query<DetailRow>(
      `SELECT id, title, abstract, authors, categories, published_at AS "publishedAt", listed_at::text AS "listedAt",
              source_upvotes AS "sourceUpvotes", local_upvotes AS "localUpvotes", github_repo AS "githubRepo",
              github_stars AS "githubStars", project_page AS "projectPage", comment, journal_ref AS "journalRef", doi, license,
              keywords, source_updated_at AS "sourceUpdatedAt"
       FROM paper WHERE id = $1`,
      [id],
    ),
    db.pool.query<SourceRow>(
      `SELECT source, external_id AS "externalId", first_seen_at AS "firstSeenAt", last_seen_at AS "lastSeenAt"
       FROM paper_source WHERE paper_id = $1 ORDER BY first_seen_at`,
      [id],
    ),
  ]);
  const paper = papers.rows[0];
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
    sources: sources.rows.map((source) => ({
      source: source.source,
      externalId: source.externalId,
      firstSeenAt: source.firstSeenAt.toISOString(),
      lastSeenAt: source.lastSeenAt.toISOString(),
    })),
  };
}

/** A paper's title alone (the sign-in page names the paper a vote waits for). */
export async function getPaperTitle(id: string): Promise<string | null> {
  const { rows } = await db.pool.query<{ title: string }>(`SELECT title FROM paper WHERE id = $1`, [id]);
  return rows[0]?.title ?? null;
}

/** How many papers there are (npm start loads the sample into an empty database). */
export async function countPapers(): Promise<number> {
  const { rows } = await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM paper`);
  return rows[0]?.n ?? 0;
}
