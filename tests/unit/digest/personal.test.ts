import { describe, expect, it } from "vitest";
import { authorMatches, FOLLOW_CAP, isDue, selectEdition, weekStart, type SelectionInput } from "@/lib/digest/personal";
import type { TrendingItem } from "@/lib/papers/types";
import { DEFAULT_PREFERENCES, type DigestPreferences } from "@/lib/subscriptions/preferences";

const prefs = (patch: Partial<DigestPreferences>): DigestPreferences => ({ ...DEFAULT_PREFERENCES, ...patch });

describe("when a digest is due", () => {
  // 2026-06-15 is a Monday.
  it("daily every day, weekdays Monday to Friday, never when paused", () => {
    expect(isDue(prefs({ cadence: "daily" }), "2026-06-20", [], null)).toBe(true);
    expect(isDue(prefs({ cadence: "weekdays" }), "2026-06-19", [], null)).toBe(true);
    expect(isDue(prefs({ cadence: "weekdays" }), "2026-06-20", [], null)).toBe(false);
    expect(isDue(prefs({ cadence: "paused" }), "2026-06-15", [], null)).toBe(false);
  });

  it("weekly: on the chosen day, or the first listing day after it, once per week, in any order of freezing", () => {
    const monday = prefs({ cadence: "weekly", weeklyDay: 1 });
    expect(weekStart("2026-06-17", 1)).toBe("2026-06-15");
    expect(weekStart("2026-06-15", 1)).toBe("2026-06-15");
    expect(weekStart("2026-06-14", 1)).toBe("2026-06-08");
    expect(isDue(monday, "2026-06-15", [], "2026-06-12")).toBe(true);
    // Mid-week, after a listing day on or after Monday: not before next Monday.
    expect(isDue(monday, "2026-06-17", [], "2026-06-16")).toBe(false);
    expect(isDue(monday, "2026-06-16", ["2026-06-15"], "2026-06-15")).toBe(false);
    expect(isDue(monday, "2026-06-22", ["2026-06-15"], "2026-06-19")).toBe(true);
    // A later day of the same week frozen first still counts for that week.
    expect(isDue(monday, "2026-06-15", ["2026-06-17"], "2026-06-12")).toBe(false);
    // Nothing announced on Monday (a holiday): Tuesday's digest is the week's.
    expect(isDue(monday, "2026-06-16", [], "2026-06-12")).toBe(true);
    // A Saturday subscriber gets Monday's digest when nothing is announced at the weekend.
    const saturday = prefs({ cadence: "weekly", weeklyDay: 6 });
    expect(isDue(saturday, "2026-06-22", ["2026-06-15"], "2026-06-19")).toBe(true);
    expect(isDue(saturday, "2026-06-19", ["2026-06-15"], "2026-06-18")).toBe(false);
  });
});

describe("following an author", () => {
  it.each([
    ["Sergey Levine", "Sergey Levine", true],
    ["S. Levine", "Sergey Levine", true],
    ["Sergey Levine", "S Levine", true],
    ["Levine", "Sergey Levine", true],
    ["Levine, Sergey", "Sergey Levine", true],
    ["Jurgen Schmidhuber", "Jürgen Schmidhuber", true],
    ["Jürgen Schmidhuber", "JURGEN SCHMIDHUBER", true],
    ["Yann LeCun", "Y. LeCun", true],
    ["Sergey Levine", "Sarah Levine", false],
    ["T. Levine", "Sergey Levine", false],
    ["Sergey Levine", "Sergey Levin", false],
    ["", "Sergey Levine", false],
  ])("%s follows %s: %s", (followed, author, expected) => {
    expect(authorMatches(followed, author)).toBe(expected);
  });
});

function paper(rank: number, patch: Partial<TrendingItem> = {}): TrendingItem {
  return {
    id: `2606.${String(rank).padStart(5, "0")}`,
    rank,
    title: `Paper ${rank}`,
    abstract: "An abstract.",
    authors: ["Ada Lovelace"],
    categories: ["cs.LG"],
    listedAt: "2026-06-15",
    votes: 100 - rank,
    githubRepo: null,
    githubStars: null,
    projectPage: null,
    arxivUrl: null,
    publishedAt: null,
    url: "",
    score: 1 / rank,
    scoreReason: "",
    ...patch,
  };
}

function input(patch: Partial<SelectionInput>): SelectionInput {
  return { preferences: DEFAULT_PREFERENCES, kind: "daily", day: "2026-06-15", window: [], matches: new Map(), sent: new Set(), size: 3, ...patch };
}

describe("a personal edition", () => {
  const window = [
    paper(1, { categories: ["cs.LG", "cs.RO"] }),
    paper(2, { categories: ["cs.RO"] }),
    paper(3, { categories: ["cs.CV"], authors: ["Sergey Levine"] }),
    paper(4, { categories: ["cs.RO"] }),
    paper(5, { categories: ["math.AG"], votes: 0 }),
    paper(6, { categories: ["cs.RO"] }),
  ];

  it("holds the top papers within its topics, each saying why", () => {
    const edition = selectEdition(input({ preferences: prefs({ categories: ["cs.RO"] }), window }));
    expect(edition.papers.map((p) => [p.id, p.rank, p.reasons])).toEqual([
      ["2606.00001", 1, ["in cs.RO", "trending #1 today"]],
      ["2606.00002", 2, ["in cs.RO", "trending #2 today"]],
      ["2606.00004", 3, ["in cs.RO", "trending #4 today"]],
    ]);
  });

  it("leaves out cross-lists when asked", () => {
    const edition = selectEdition(input({ preferences: prefs({ categories: ["cs.RO"], crossLists: false }), window }));
    expect(edition.papers.map((p) => p.id)).toEqual(["2606.00002", "2606.00004", "2606.00006"]);
  });

  it("adds every paper a follow matches, even with no votes, after the trending part", () => {
    const edition = selectEdition(
      input({ preferences: prefs({ categories: ["cs.RO"], keywords: ["schemes"], authors: ["S. Levine"] }), window, matches: new Map([["k:schemes", new Set(["2606.00005"])]]), size: 1 }),
    );
    expect(edition.papers.map((p) => [p.id, p.reasons])).toEqual([
      ["2606.00001", ["in cs.RO", "trending #1 today"]],
      ["2606.00003", ["by Sergey Levine"]],
      ["2606.00005", ["matches “schemes”"]],
    ]);
    expect(edition.more).toEqual([]);
  });

  it("never holds a paper an earlier mail sent", () => {
    const edition = selectEdition(input({ preferences: prefs({ categories: ["cs.RO"] }), window, sent: new Set(["2606.00001", "2606.00004"]) }));
    expect(edition.papers.map((p) => p.id)).toEqual(["2606.00002", "2606.00006"]);
  });

  it("caps what follows bring and counts the rest, with a search over the window", () => {
    const many = Array.from({ length: FOLLOW_CAP + 12 }, (_, i) => paper(i + 1, { categories: ["q-bio.NC"] }));
    const edition = selectEdition(
      input({ preferences: prefs({ categories: ["cs.RO"], keywords: ["neurons"], cadence: "weekly" }), kind: "weekly", window: many, matches: new Map([["k:neurons", new Set(many.map((p) => p.id))]]) }),
    );
    expect(edition.papers).toHaveLength(FOLLOW_CAP);
    expect(edition.more).toEqual([{ label: "neurons", count: 12, searchPath: "/search?q=neurons&from=2026-06-09&to=2026-06-15" }]);
    expect(edition).toMatchObject({ kind: "weekly", from: "2026-06-09", to: "2026-06-15" });
  });

  it("brings, for each followed author, exactly the papers one of whose names authorMatches, saying the first such name", () => {
    // A window of look-alike names: the same surnames with other given names, initials, accents,
    // "Surname, Given" order and case, several per paper. Reused across editions, as a plan does.
    const given = ["Sergey", "S.", "Sarah", "Sergei", "Jürgen", "J", "Jurgen", "Yann", "Y.", "Ada", ""];
    const surnames = ["Levine", "LEVINE", "Levin", "Schmidhuber", "LeCun", "Lovelace"];
    let seed = 7;
    const pick = <T,>(list: readonly T[]): T => list[(seed = (seed * 48271) % 2147483647) % list.length]!;
    const name = () => (pick([true, false]) ? `${pick(surnames)}, ${pick(given)}` : `${pick(given)} ${pick(surnames)}`).trim();
    const crowd = Array.from({ length: 400 }, (_, i) => paper(i + 1, { authors: Array.from({ length: 1 + (i % 4) }, name) }));
    const followedSets = [["S. Levine"], ["Sergey Levine", "Jurgen Schmidhuber"], ["Levine"], ["Y LeCun", "ada lovelace", "Sergei Levin"], ["Nobody Here"]];
    const sizes: number[] = [];
    for (const authors of followedSets) {
      const edition = selectEdition(input({ preferences: prefs({ authors }), window: crowd, size: 0 }));
      const firstMatch = (followed: string, candidate: TrendingItem) => candidate.authors.find((written) => authorMatches(followed, written));
      const expected = crowd.flatMap((candidate) => {
        const reasons = authors.flatMap((followed) => {
          const author = firstMatch(followed, candidate);
          return author ? [`by ${author}`] : [];
        });
        return reasons.length > 0 ? [[candidate.id, [...new Set(reasons)]]] : [];
      });
      expect(edition.papers.map((p) => [p.id, p.reasons])).toEqual(expected.slice(0, FOLLOW_CAP));
      // What did not fit is counted per followed author.
      const shown = new Set(edition.papers.map((p) => p.id));
      const left = authors.flatMap((followed) => {
        const count = crowd.filter((candidate) => firstMatch(followed, candidate) && !shown.has(candidate.id)).length;
        return count > 0 ? [{ label: followed, count }] : [];
      });
      expect(edition.more.map(({ label, count }) => ({ label, count }))).toEqual(left);
      sizes.push(expected.length);
    }
    // The crowd is one the check means something on: some sets bring many papers, one none.
    expect(Math.max(...sizes)).toBeGreaterThan(FOLLOW_CAP);
    expect(Math.min(...sizes)).toBe(0);
  });

  it("is empty when nothing matches", () => {
    expect(selectEdition(input({ preferences: prefs({ categories: ["hep-th"] }), window })).papers).toEqual([]);
  });
});

describe("follows of the same words", () => {
  it("a keyword and a saved search with the same text keep their own matches and their own counts", () => {
    const many = Array.from({ length: FOLLOW_CAP + 5 }, (_, i) => paper(i + 1, { categories: ["q-bio.NC"] }));
    const edition = selectEdition(
      input({
        preferences: prefs({ categories: ["cs.RO"], keywords: ["neurons"], searches: [{ q: "neurons", categories: [] }] }),
        window: many,
        matches: new Map([
          ["k:neurons", new Set(many.slice(0, 2).map((p) => p.id))],
          ["s:neurons", new Set(many.map((p) => p.id))],
        ]),
      }),
    );
    expect(edition.papers[0]!.reasons).toEqual(["matches “neurons”", "from your search “neurons”"]);
    expect(edition.papers[2]!.reasons).toEqual(["from your search “neurons”"]);
    expect(edition.more).toEqual([{ label: "neurons", count: 5, searchPath: "/search?q=neurons&from=2026-06-15&to=2026-06-15" }]);
  });
});
