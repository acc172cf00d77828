// Every statement about papers, named: trending windows, a paper with its sources, titles,
// categories and counts. Rows come out typed as what they are (dates as YYYY-MM-DD text,
// timestamps as Date).
import { db } from "@/lib/db/client";
import { categoryIds } from "./categories";
import type { PaperRow } from "./present";

const SELECT_PAPER = `p.id, p.title, p.abstract, p.authors, p.categories, p.published_at AS "publishedAt",
  p.listed_at::text AS "listedAt", p.source_upvotes AS "sourceUpvotes", p.local_upvotes AS "localUpvotes",
  p.github_repo AS "githubRepo", p.github_stars AS "githubStars", p.project_page AS "projectPage"`;

// explainScore's expression: paper.trend_points is its points (votes + STAR_WEIGHT·log2(1 + stars)),
// stored by Postgres (the trending_points migration); $1 is the window's last day, $3 the half-life in days.
const SCORE_SQL = `c.trend_points * power(0.5, ($1::date - c.listed_at)::float8 / $3::float8)`;

// The window's order: score, then points (the older of two papers with equal scores), then votes, then id.
const ORDER = `score DESC, trend_points DESC, upvotes DESC, id`;

// A category filter matches every spelling of it (categoryIds: arXiv's id and its aliases), as
// `categories && $n::text[]`, which paper_categories_idx serves.

function categoryParam(category: string | undefined): string[] | null {
  return category === undefined ? null : categoryIds(category);
}

/**
 * A window's ranking without reading the window. Every paper listed the same day decays by the same
 * factor, so within a day the order by score is the order by (points, votes, id), which is how
 * paper_trending_idx holds each day. The window's first limit + offset papers are therefore among
 * the first limit + offset of each of its days: those candidates are read from the index alone
 * (categories included), ranked, and only the page's rows are read from the table. The total is
 * counted from the index too. Cost grows with the window's days and the page, not with its papers.
 * $6 is a category's ids (categoryIds) or null for every paper.
 */
export const TRENDING_SQL = `
WITH candidates AS (
  SELECT c.id, c.trend_points, c.upvotes, ${SCORE_SQL} AS score
  FROM generate_series($2::date, $1::date, interval '1 day') AS d(day)
  CROSS JOIN LATERAL (
    SELECT p.id, p.listed_at, p.trend_points, p.upvotes FROM paper p
    WHERE p.listed_at = d.day::date AND ($6::text[] IS NULL OR p.categories && $6::text[])
    ORDER BY p.trend_points DESC, p.upvotes DESC, p.id
    LIMIT $4::int + $5::int
  ) c
),
page AS (SELECT * FROM candidates ORDER BY ${ORDER} LIMIT $4 OFFSET $5)
SELECT ${SELECT_PAPER}, page.score,
  (SELECT count(*) FROM paper w WHERE w.listed_at BETWEEN $2::date AND $1::date AND ($6::text[] IS NULL OR w.categories && $6::text[]))::int AS total
FROM page JOIN paper p ON p.id = page.id
ORDER BY page.${ORDER.replaceAll(", ", ", page.")}`;

export type TrendingRow = PaperRow & { score: number; total: number };

/** The ranked papers of the window [from, to] (of a category and its aliases, or all), `limit` of them from `offset`, with the window's total. */
export async function trendingRows(window: { to: string; from: string; halfLifeDays: number; limit: number; offset: number; category?: string }): Promise<TrendingRow[]> {
  const { rows } = await db.pool.query<TrendingRow>(TRENDING_SQL, [window.to, window.from, window.halfLifeDays, window.limit, window.offset, categoryParam(window.category)]);
  return rows;
}

/** How many papers the window [from, to] holds (in a category and its aliases, or all). */
export async function countWindow(from: string, to: string, category: string | undefined): Promise<number> {
  const { rows } = await db.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM paper WHERE listed_at BETWEEN $1::date AND $2::date AND ($3::text[] IS NULL OR categories && $3::text[])`,
    [from, to, categoryParam(category)],
  );
  return rows[0]?.n ?? 0;
}

/**
 * The day a window ends on when none is chosen: the latest day with papers (of a category and its
 * aliases, or any) whose listing date a source reported. Dates stamped at ingest (papers from
 * formats without dates) do not count unless nothing else exists: a saved search page should not
 * push the real trending day off the home page.
 */
export async function latestListedDay(category?: string): Promise<string | null> {
  // With a category, the planner reads the latest days backwards from paper_listed_at_idx for a
  // busy one, and paper_categories_idx for a rare one; without, the filter is gone (a custom plan).
  const { rows } = await db.pool.query<{ day: string | null }>(
    `SELECT COALESCE(
       (SELECT max(listed_at) FROM paper WHERE listed_rank > 0 AND ($1::text[] IS NULL OR categories && $1::text[])),
       (SELECT max(listed_at) FROM paper WHERE $1::text[] IS NULL OR categories && $1::text[]))::text AS day`,
    [categoryParam(category)],
  );
  return rows[0]?.day ?? null;
}

/** The last day with papers (of a category and its aliases, or any) before `before`, the first after `after`, and the latest of all. */
export async function listedDaysAround(before: string, after: string, category?: string): Promise<{ previous: string | null; next: string | null; latest: string | null }> {
  const { rows } = await db.pool.query<{ previous: string | null; next: string | null; latest: string | null }>(
    `SELECT (SELECT max(listed_at)::text FROM paper WHERE listed_at < $1::date AND ($3::text[] IS NULL OR categories && $3::text[])) AS previous,
            (SELECT min(listed_at)::text FROM paper WHERE listed_at > $2::date AND ($3::text[] IS NULL OR categories && $3::text[])) AS next,
            (SELECT max(listed_at)::text FROM paper WHERE $3::text[] IS NULL OR categories && $3::text[]) AS latest`,
    [before, after, categoryParam(category)],
  );
  return rows[0] ?? { previous: null, next: null, latest: null };
}

export type PaperDetailRow = PaperRow & {
  comment: string | null;
  journalRef: string | null;
  doi: string | null;
  license: string | null;
  keywords: string[];
  sourceUpdatedAt: Date | null;
};

export type PaperSourceRow = { source: string; externalId: string; firstSeenAt: Date; lastSeenAt: Date };

/** One paper with every field, or null. */
export async function paperDetail(id: string): Promise<PaperDetailRow | null> {
  const { rows } = await db.pool.query<PaperDetailRow>(
    `SELECT ${SELECT_PAPER}, p.comment, p.journal_ref AS "journalRef", p.doi, p.license, p.keywords, p.source_updated_at AS "sourceUpdatedAt"
     FROM paper p WHERE p.id = $1`,
    [id],
  );
  return rows[0] ?? null;
}

/** The sources that reported a paper, first one first. */
export async function paperSources(id: string): Promise<PaperSourceRow[]> {
  const { rows } = await db.pool.query<PaperSourceRow>(
    `SELECT source, external_id AS "externalId", first_seen_at AS "firstSeenAt", last_seen_at AS "lastSeenAt"
     FROM paper_source WHERE paper_id = $1 ORDER BY first_seen_at`,
    [id],
  );
  return rows;
}

/** A paper's title alone (the sign-in page names the paper a vote waits for). */
export async function paperTitle(id: string): Promise<string | null> {
  const { rows } = await db.pool.query<{ title: string }>(`SELECT title FROM paper WHERE id = $1`, [id]);
  return rows[0]?.title ?? null;
}

/** How many papers there are (npm start loads the sample into an empty database). */
export async function countPapers(): Promise<number> {
  const { rows } = await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM paper`);
  return rows[0]?.n ?? 0;
}

/** The categories papers carry, most used first (the search page's category picker). */
export async function listCategories(limit = 100): Promise<string[]> {
  const { rows } = await db.pool.query<{ category: string }>(
    `SELECT category FROM paper, unnest(categories) AS category GROUP BY category ORDER BY count(*) DESC, category LIMIT $1`,
    [limit],
  );
  return rows.map((row) => row.category);
}
