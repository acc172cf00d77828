import { describe, expect, it } from "vitest";
import { abstractPreview, formatCompact, formatDay, formatShortDay, formatWindow, pluralize, shortAuthors } from "@/lib/papers/format";

describe("formatDay", () => {
  it("words a UTC calendar day, whatever the server's zone", () => {
    expect(formatDay("2026-06-16")).toBe("June 16, 2026");
    expect(formatDay("2026-01-01")).toBe("January 1, 2026");
    expect(formatShortDay("2026-06-16")).toBe("Jun 16, 2026");
  });
});

describe("formatWindow", () => {
  it("shows one day as that day", () => {
    expect(formatWindow("2026-06-16", "2026-06-16")).toBe("June 16, 2026");
  });

  it("shares the month and year inside one month", () => {
    expect(formatWindow("2026-06-10", "2026-06-16")).toBe("June 10 – 16, 2026");
  });

  it("names both months across a month boundary", () => {
    expect(formatWindow("2026-05-18", "2026-06-16")).toBe("May 18 – June 16, 2026");
  });

  it("names both years across a year boundary", () => {
    expect(formatWindow("2025-12-28", "2026-01-03")).toBe("December 28, 2025 – January 3, 2026");
  });
});

describe("numbers", () => {
  it("shortens star counts", () => {
    expect(formatCompact(950)).toBe("950");
    expect(formatCompact(1234)).toBe("1.2K");
    expect(formatCompact(120_000)).toBe("120K");
  });

  it("pluralizes counts", () => {
    expect(pluralize(0, "paper")).toBe("0 papers");
    expect(pluralize(1, "paper")).toBe("1 paper");
    expect(pluralize(1234, "paper")).toBe("1,234 papers");
  });
});

describe("shortAuthors", () => {
  const names = (n: number) => Array.from({ length: n }, (_, i) => `Author ${i + 1}`);

  it("shows short lists whole", () => {
    expect(shortAuthors(names(3))).toEqual({ names: names(3), more: 0 });
    expect(shortAuthors([])).toEqual({ names: [], more: 0 });
  });

  it("never hides just one author behind +1", () => {
    expect(shortAuthors(names(5))).toEqual({ names: names(5), more: 0 });
  });

  it("shows the first few and counts the rest", () => {
    expect(shortAuthors(names(15))).toEqual({ names: names(4), more: 11 });
    expect(shortAuthors(names(4), 2)).toEqual({ names: names(2), more: 2 });
  });
});

describe("abstractPreview", () => {
  it("keeps a short abstract whole, with its whitespace folded", () => {
    expect(abstractPreview("We study\n  attention.")).toBe("We study attention.");
  });

  it("cuts a long one at a word before the limit, with an ellipsis and no dangling punctuation", () => {
    const text = "Alpha beta, gamma delta epsilon zeta eta theta iota kappa lambda mu.";
    const preview = abstractPreview(text, 30);
    expect(preview).toBe("Alpha beta, gamma delta…");
    expect(preview.length).toBeLessThanOrEqual(31);
    expect(text.startsWith(preview.slice(0, -1))).toBe(true);
  });

  it("cuts inside a very long word rather than showing almost nothing", () => {
    expect(abstractPreview(`a ${"x".repeat(100)}`, 20)).toBe(`a ${"x".repeat(18)}…`);
  });
});
