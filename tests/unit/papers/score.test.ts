import { describe, expect, it } from "vitest";
import { describeScore, explainScore, scoreTrending } from "@/lib/papers/score";

describe("scoreTrending", () => {
  it("is votes alone for a paper without code in the day window", () => {
    expect(scoreTrending({ votes: 42, githubStars: null, ageDays: 0, period: "day" })).toBe(42);
  });

  it("adds 2·log2(1 + stars) for code", () => {
    expect(scoreTrending({ votes: 10, githubStars: 1023, ageDays: 0, period: "day" })).toBeCloseTo(30, 10);
    expect(scoreTrending({ votes: 0, githubStars: 1, ageDays: 0, period: "day" })).toBeCloseTo(2, 10);
  });

  it("halves a paper's points every half-life inside wider windows", () => {
    expect(scoreTrending({ votes: 80, githubStars: null, ageDays: 3, period: "week" })).toBeCloseTo(40, 10);
    expect(scoreTrending({ votes: 80, githubStars: null, ageDays: 14, period: "month" })).toBeCloseTo(20, 10);
  });

  it("ranks a fresh paper above an older one with the same votes, and a much-voted older one above a fresh one", () => {
    const fresh = scoreTrending({ votes: 20, githubStars: null, ageDays: 0, period: "week" });
    const older = scoreTrending({ votes: 20, githubStars: null, ageDays: 4, period: "week" });
    const popularOlder = scoreTrending({ votes: 100, githubStars: null, ageDays: 4, period: "week" });
    expect(fresh).toBeGreaterThan(older);
    expect(popularOlder).toBeGreaterThan(fresh);
  });

  it("treats negative input as zero rather than producing a negative score", () => {
    expect(scoreTrending({ votes: -5, githubStars: -3, ageDays: -2, period: "week" })).toBe(0);
  });

  it("explains itself in words that match the numbers", () => {
    const explanation = explainScore({ votes: 89, githubStars: 20, ageDays: 1, period: "week" });
    expect(describeScore(explanation, 20)).toBe(
      "89 votes + 8.8 for 20 GitHub stars, listed 1 day before the window's end (×0.79, half-life 3 days) = 77.6",
    );
    expect(describeScore(explainScore({ votes: 1, githubStars: null, ageDays: 0, period: "day" }), null)).toBe("1 vote = 1.0");
  });
});
