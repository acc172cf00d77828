// Trending lists: the papers of a day, week or month window, ranked by the score in score.ts.
import { addDays, daysBetween } from "@/lib/time";
import { PERIODS, type Period } from "./period";
import { presentPaper } from "./present";
import { countWindow, latestListedDay, listedDaysAround, trendingRows } from "./queries";
import { describeScore, explainScore } from "./score";
import type { TrendingPage } from "./types";

export type ListTrendingOptions = {
  period: Period;
  date?: string;
  limit: number;
  cursor?: string;
  /**
   * Only papers in this arXiv category or one of its aliases (ranks are then within the category);
   * with no date, the window ends at the category's latest day, and date steps go to its days.
   */
  category?: string;
};

export class InvalidCursorError extends Error {}

export function encodeCursor(offset: number): string {
  return Buffer.from(`o:${offset}`).toString("base64url");
}

export function decodeCursor(cursor: string): number {
  const match = /^o:(\d{1,9})$/.exec(Buffer.from(cursor, "base64url").toString());
  if (!match) throw new InvalidCursorError("cursor is not one this API returned");
  return Number(match[1]);
}

/**
 * The previous and next window ends, for date navigation. The day window steps to the nearest day
 * with papers (of the category, when there is one: no empty weekends, no days of other topics);
 * wider windows step by their length, jumping over gaps and never past the latest day with papers.
 */
async function neighbours(period: Period, date: string, category: string | undefined): Promise<{ previousDate: string | null; nextDate: string | null }> {
  const span = PERIODS[period].days;
  const { previous, next, latest } = await listedDaysAround(addDays(date, 1 - span), date, category);
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
  const date = options.date ?? (await latestListedDay(options.category));
  if (!date) {
    return { items: [], nextCursor: null, period: options.period, date: null, from: null, previousDate: null, nextDate: null, total: 0 };
  }
  const { days, halfLifeDays } = PERIODS[options.period];
  const from = addDays(date, 1 - days);
  const [rows, nav] = await Promise.all([
    trendingRows({ to: date, from, halfLifeDays, limit: options.limit + 1, offset, category: options.category }),
    neighbours(options.period, date, options.category),
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
