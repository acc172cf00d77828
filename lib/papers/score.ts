// The trending score: a pure, documented function of votes, GitHub stars and age inside the window.
import { PERIODS, type Period } from "./period";

/**
 * score = (votes + 2·log2(1 + stars)) × 0.5^(age / halfLife)
 *
 * - votes: upvotes reported by the source (Hugging Face) plus upvotes cast here.
 * - stars: GitHub stars of the paper's code, when known. The log keeps a famous repository from
 *   drowning out votes: 1,000 stars count like 20 votes, 10 stars like 7.
 * - age: whole days between the paper's listing day and the window's last day.
 * - halfLife: 3 days in the week window, 7 in the month window; a paper's points halve each
 *   half-life. In the day window every paper has age 0, so it is votes and stars alone.
 *
 * Postgres computes the same expression: it stores each paper's points (paper.trend_points, a
 * generated column written with STAR_WEIGHT's value) and decays them in TRENDING_SQL (queries.ts).
 * Equal scores go to more points (the older paper), then more votes, then the paper id. Tests hold
 * the two together.
 */
export const STAR_WEIGHT = 2;

export type ScoreInput = { votes: number; githubStars: number | null; ageDays: number; period: Period };

export type ScoreExplanation = {
  votes: number;
  starPoints: number;
  points: number;
  ageDays: number;
  halfLifeDays: number;
  decay: number;
  score: number;
};

export function explainScore(input: ScoreInput): ScoreExplanation {
  const votes = Math.max(0, input.votes);
  const stars = Math.max(0, input.githubStars ?? 0);
  const starPoints = STAR_WEIGHT * Math.log2(1 + stars);
  const points = votes + starPoints;
  const halfLifeDays = PERIODS[input.period].halfLifeDays;
  const ageDays = Math.max(0, input.ageDays);
  const decay = Math.pow(0.5, ageDays / halfLifeDays);
  return { votes, starPoints, points, ageDays, halfLifeDays, decay, score: points * decay };
}

export function scoreTrending(input: ScoreInput): number {
  return explainScore(input).score;
}

/** One sentence a reader can check: "42 votes + 13.8 for 120 stars, listed 2 days before the window's end (×0.63) = 35.2". */
export function describeScore(explanation: ScoreExplanation, githubStars: number | null): string {
  const parts = [`${explanation.votes} vote${explanation.votes === 1 ? "" : "s"}`];
  if (githubStars) parts.push(`${explanation.starPoints.toFixed(1)} for ${githubStars.toLocaleString("en-US")} GitHub star${githubStars === 1 ? "" : "s"}`);
  let text = parts.join(" + ");
  if (explanation.ageDays > 0) {
    text += `, listed ${explanation.ageDays} day${explanation.ageDays === 1 ? "" : "s"} before the window's end (×${explanation.decay.toFixed(2)}, half-life ${explanation.halfLifeDays} days)`;
  }
  return `${text} = ${explanation.score.toFixed(1)}`;
}
