// Building a day's digest: its papers (the Day window's top trending papers), frozen in Postgres
// together with its audience (one pending delivery per subscriber confirmed at that moment).
import { db } from "@/lib/db/client";
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

export type FrozenDigest = DigestContent & { createdAt: Date; completedAt: Date | null };

export async function getDigest(date: string): Promise<FrozenDigest | null> {
  const { rows } = await db.pool.query<{ papers: RankedPaper[]; createdAt: Date; completedAt: Date | null }>(
    `SELECT papers, created_at AS "createdAt", completed_at AS "completedAt" FROM digest WHERE date = $1::date`,
    [date],
  );
  const row = rows[0];
  return row ? { date, papers: row.papers, createdAt: row.createdAt, completedAt: row.completedAt } : null;
}

export type DigestListing = { date: string; papers: number; firstTitle: string | null; createdAt: Date };

/** Digests that went (or are going) out, newest first. */
export async function listDigests(limit = 60): Promise<DigestListing[]> {
  const { rows } = await db.pool.query<DigestListing>(
    `SELECT date::text AS date, jsonb_array_length(papers) AS papers, papers->0->>'title' AS "firstTitle", created_at AS "createdAt"
     FROM digest ORDER BY date DESC LIMIT $1`,
    [limit],
  );
  return rows;
}

/**
 * Freezes a digest: the paper list and one pending delivery per confirmed subscriber, in one
 * transaction. When the digest already exists (a rerun, a second worker), nothing changes and the
 * frozen one is returned: its papers and audience are decided once.
 */
export async function freezeDigest(content: DigestContent): Promise<{ digest: FrozenDigest; created: boolean; recipients: number }> {
  const client = await db.pool.connect();
  try {
    await client.query("BEGIN");
    // Concurrent freezes of the same date wait here on the primary key; only one inserts.
    const inserted = await client.query(`INSERT INTO digest (date, papers) VALUES ($1::date, $2::jsonb) ON CONFLICT (date) DO NOTHING RETURNING date`, [
      content.date,
      JSON.stringify(content.papers),
    ]);
    let recipients = 0;
    if (inserted.rowCount === 1) {
      const audience = await client.query(
        `INSERT INTO delivery (digest_date, subscriber_id)
         SELECT $1::date, id FROM subscriber WHERE status = 'confirmed' ORDER BY id
         ON CONFLICT (digest_date, subscriber_id) DO NOTHING`,
        [content.date],
      );
      recipients = audience.rowCount ?? 0;
    }
    await client.query("COMMIT");
    const digest = await getDigest(content.date);
    if (!digest) throw new Error(`digest ${content.date} vanished right after it was frozen`);
    if (inserted.rowCount !== 1) {
      const { rows } = await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM delivery WHERE digest_date = $1::date`, [content.date]);
      recipients = rows[0]?.n ?? 0;
    }
    return { digest, created: inserted.rowCount === 1, recipients };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
