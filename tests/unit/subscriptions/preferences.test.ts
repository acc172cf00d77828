import { describe, expect, it } from "vitest";
import {
  applyPatch,
  DEFAULT_PREFERENCES,
  describePreferences,
  isPersonal,
  preferencesPatchSchema,
  subscribeFieldsSchema,
  subscribePreferences,
} from "@/lib/subscriptions/preferences";

function problem(schema: { safeParse(value: unknown): { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } } }, value: unknown): string {
  const result = schema.safeParse(value);
  if (result.success) throw new Error("expected a problem");
  const issue = result.error!.issues[0]!;
  return `${issue.path.join(".")}: ${issue.message}`;
}

describe("digest preferences", () => {
  it("canonicalise categories, collapse spaces, and drop repeats that differ only in case", () => {
    const parsed = preferencesPatchSchema.parse({
      categories: ["cs.RO", "cs.ro", "CS.LG"],
      keywords: ["  diffusion   policy ", "Diffusion Policy", "world models"],
      authors: ["Sergey Levine", "sergey levine"],
    });
    expect(parsed.categories).toEqual(["cs.RO", "cs.LG"]);
    expect(parsed.keywords).toEqual(["diffusion policy", "world models"]);
    expect(parsed.authors).toEqual(["Sergey Levine"]);
  });

  it("refuse an unknown category, naming the field and the entry", () => {
    expect(problem(preferencesPatchSchema, { categories: ["cs.RO", "cs.NOPE"] })).toBe('categories.1: "cs.NOPE" is not an arXiv category');
  });

  it("refuse empty strings, overlong strings and overlong lists", () => {
    expect(problem(preferencesPatchSchema, { keywords: ["   "] })).toBe("keywords.0: is empty");
    expect(problem(preferencesPatchSchema, { authors: ["x".repeat(201)] })).toBe("authors.0: is longer than 200 characters");
    expect(problem(preferencesPatchSchema, { keywords: Array.from({ length: 500 }, (_, i) => `k${i}`) })).toBe("keywords: has more than 30 entries");
    expect(problem(preferencesPatchSchema, { categories: Array.from({ length: 500 }, () => "cs.RO") })).toBe("categories: has more than 60 entries");
    // A huge string is refused before its spaces are collapsed.
    expect(problem(preferencesPatchSchema, { keywords: [" ".repeat(10_000)] })).toBe("keywords.0: is longer than 200 characters");
  });

  it("check cadence, weekday and size, and refuse fields it does not know", () => {
    expect(problem(preferencesPatchSchema, { cadence: "hourly" })).toBe("cadence: must be one of daily, weekdays, weekly, paused");
    expect(problem(preferencesPatchSchema, { weeklyDay: 7 })).toBe("weeklyDay: must be 0 (Sunday) to 6");
    expect(problem(preferencesPatchSchema, { size: 4 })).toBe("size: must be 5 to 50");
    expect(problem(preferencesPatchSchema, { size: 51 })).toBe("size: must be 5 to 50");
    expect(preferencesPatchSchema.parse({ size: null })).toEqual({ size: null });
    expect(problem(preferencesPatchSchema, { cadance: "weekly" })).toMatch(/cadance/);
  });

  it("saved searches keep their query and filters, once each", () => {
    const parsed = preferencesPatchSchema.parse({
      searches: [{ q: "diffusion", categories: ["cs.ro"] }, { q: "Diffusion", categories: ["cs.RO"] }, { q: "diffusion", hasCode: true }],
    });
    expect(parsed.searches).toEqual([{ q: "diffusion", categories: ["cs.RO"] }, { q: "diffusion", categories: [], hasCode: true }]);
    expect(problem(preferencesPatchSchema, { searches: [{ q: "" }] })).toBe("searches.0.q: is empty");
  });

  it("a patch changes the fields it names and keeps the rest", () => {
    const current = applyPatch(DEFAULT_PREFERENCES, { categories: ["cs.RO"], keywords: ["diffusion"] });
    const next = applyPatch(current, { cadence: "weekly", weeklyDay: 5 });
    expect(next).toEqual({ ...DEFAULT_PREFERENCES, categories: ["cs.RO"], keywords: ["diffusion"], cadence: "weekly", weeklyDay: 5 });
    expect(current.cadence).toBe("daily");
  });

  it("the subscribe API names keywords `follow`", () => {
    const fields = subscribeFieldsSchema.parse({ categories: ["cs.RO"], follow: ["diffusion policy"], authors: [], cadence: "weekly" });
    expect(subscribePreferences(fields)).toEqual({ ...DEFAULT_PREFERENCES, categories: ["cs.RO"], keywords: ["diffusion policy"], cadence: "weekly" });
    expect(problem(subscribeFieldsSchema, { follow: [""] })).toBe("follow.0: is empty");
  });

  it("say whether a digest is personal, and describe it", () => {
    expect(isPersonal(DEFAULT_PREFERENCES)).toBe(false);
    expect(isPersonal({ ...DEFAULT_PREFERENCES, cadence: "weekdays" })).toBe(false);
    expect(isPersonal({ ...DEFAULT_PREFERENCES, cadence: "weekly" })).toBe(true);
    expect(isPersonal({ ...DEFAULT_PREFERENCES, authors: ["Ada Lovelace"] })).toBe(true);
    expect(describePreferences({ ...DEFAULT_PREFERENCES, categories: ["cs.RO"], keywords: ["a", "b"], cadence: "weekly", weeklyDay: 1 })).toBe(
      "cs.RO · 2 followed keywords, authors and searches · weekly on Monday",
    );
  });
});
