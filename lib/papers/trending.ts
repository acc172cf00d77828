// Trending lists: the papers of a day, week or month window, ranked by the score in score.ts.
import { db } from "@/lib/db/client";
import { addDays, daysBetween } from "@/lib/time";
import { PERIODS, type Period } from "./period";
import { presentPaper, type PaperRow } from "./present";
import { describeScore, explainScore, STAR_WEIGHT } from "./score";
import type { TrendingPage } from "./types";

export type ListTrendingOptions = {
  period: Period;
  date?: string;
  limit: number;
  cursor?: string;
  /** Only papers in this arXiv category (ranks are then within the category). */
  category?: string;
};

export class InvalidCursorError extends Error {}

// The same expression as explainScore; $1 is the window's last day, $3 the half-life in days.
const SCORE_SQL = `(p.source_upvotes + p.local_upvotes + ${STAR_WEIGHT} * ln(1 + COALESCE(p.github_stars, 0)::float8) / ln(2))
  * power(0.5, ($1::date - p.listed_at)::float8 / $3::float8)`;

const SELECT_PAPER = `p.id, p.title, p.abstract, p.authors, p.categories, p.published_at AS "publishedAt",
  p.listed_at::text AS "listedAt", p.source_upvotes AS "sourceUpvotes", p.local_upvotes AS "localUpvotes",
  p.github_repo AS "githubRepo", p.github_stars AS "githubStars", p.project_page AS "projectPage"`;

// Served by paper_listed_at_idx: a range scan of the window's rows, then a sort of just those.
export const TRENDING_SQL = `
SELECT ${SELECT_PAPER}, ${SCORE_SQL} AS score, count(*) OVER ()::int AS total
FROM paper p
WHERE p.listed_at BETWEEN $2::date AND $1::date AND ($6::text IS NULL OR $6::text = ANY(p.categories))
ORDER BY score DESC, p.source_upvotes + p.local_upvotes DESC, p.id
LIMIT $4 OFFSET $5`;

export function encodeCursor(offset: number): string {
  return Buffer.from(`o:${offset}`).toString("base64url");
}

export function decodeCursor(cursor: string): number {
  const match = /^o:(\d{1,9})$/.exec(Buffer.from(cursor, "base64url").toString());
  if (!match) throw new InvalidCursorError("cursor is not one this API returned");
  return Number(match[1]);
}

/**
 * The day a window ends on when none is chosen: the latest day with papers whose listing date a
 * source reported. Dates stamped at ingest (papers from formats without dates) do not count unless
 * nothing else exists: a saved search page should not push the real trending day off the home page.
 */
export async function latestListedDay(): Promise<string | null> {
  const { rows } = await db.pool.query<{ day: string | null }>(
    `SELECT COALESCE((SELECT max(listed_at) FROM paper WHERE listed_rank > 0), (SELECT max(listed_at) FROM paper))::text AS day`,
  );
  return rows[0]?.day ?? null;
}

/**
 * The previous and next window ends, for date navigation. The day window steps to the nearest day
 * with papers (no empty weekends); wider windows step by their length, jumping over gaps and
 * never past the latest day with papers.
 */
async function neighbours(period: Period, date: string): Promise<{ previousDate: string | null; nextDate: string | null }> {
  const span = PERIODS[period].days;
  const { rows } = await db.pool.query<{ previous: string | null; next: string | null; latest: string | null }>(
    `SELECT (SELECT max(listed_at)::text FROM paper WHERE listed_at < $1::date) AS previous,
            (SELECT min(listed_at)::text FROM paper WHERE listed_at > $2::date) AS next,
            (SELECT max(listed_at)::text FROM paper) AS latest`,
    [addDays(date, 1 - span), date],
  );
  const { previous = null, next = null, latest = null } = rows[0] ?? {};
  if (period === "day") return { previousDate: previous, nextDate: next };
  const stepBack = addDays(date, -span);
  const stepForward = addDays(date, span);
  return {
    previousDate: previous && (previous < stepBack ? previous : stepBack),
    nextDate: next && latest && [next > stepForward ? next : stepForward, latest].sort()[0]!,
  };
}

export async function listTrending(options: ListTrendingOptions): Promise<TrendingPage> {
  const offset = options.cursor ? decodeCursor(options.cursor) : 0;
  const date = options.date ?? (await latestListedDay());
  if (!date) {
    return { items: [], nextCursor: null, period: options.period, date: null, from: null, previousDate: null, nextDate: null, total: 0 };
  }
  const { days, halfLifeDays } = PERIODS[options.period];
  const from = addDays(date, 1 - days);
  const [{ rows }, nav] = await Promise.all([
    db.pool.query<PaperRow & { score: number; total: number }>(TRENDING_SQL, [date, from, halfLifeDays, options.limit + 1, offset, options.category ?? null]),
    neighbours(options.period, date),
  ]);
  const page = rows.slice(0, options.limit);
  const items = page.map((row, index) => {
    const paper = presentPaper(row);
    const explanation = explainScore({
      votes: paper.votes,
      githubStars: paper.githubStars,
      ageDays: paper.listedAt ? daysBetween(paper.listedAt, date) : 0,
      period: options.period,
    });
    return { ...paper, rank: offset + index + 1, score: row.score, scoreReason: describeScore(explanation, paper.githubStars) };
  });
  return {
    items,
    nextCursor: rows.length > options.limit ? encodeCursor(offset + options.limit) : null,
    period: options.period,
    date,
    from,
    ...nav,
    total: rows[0]?.total ?? (offset > 0 ? await countWindow(from, date, options.category) : 0),
  };
}

async function countWindow(from: string, to: string, category: string | undefined): Promise<number> {
  const { rows } = await db.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM paper WHERE listed_at BETWEEN $1::date AND $2::date AND ($3::text IS NULL OR $3::text = ANY(categories))`,
    [from, to, category ?? null],
  );
  return rows[0]?.n ?? 0;
}
