import { describe, expect, it } from "vitest";
import { readTrendingParams, trendingHref } from "@/lib/papers/trending-url";

describe("readTrendingParams", () => {
  it("defaults to the day window, the latest day and the first page", () => {
    expect(readTrendingParams({})).toEqual({ period: "day", date: undefined, cursor: undefined });
  });

  it("reads valid values", () => {
    expect(readTrendingParams({ period: "month", date: "2026-06-16", cursor: "bzozMA" })).toEqual({
      period: "month",
      date: "2026-06-16",
      cursor: "bzozMA",
    });
  });

  it("falls back to the defaults for invalid values instead of failing", () => {
    expect(readTrendingParams({ period: "year", date: "2026-02-30", cursor: "not a cursor!" })).toEqual({
      period: "day",
      date: undefined,
      cursor: undefined,
    });
    expect(readTrendingParams({ period: "toString", date: "yesterday" })).toMatchObject({ period: "day", date: undefined });
  });

  it("takes the first of repeated parameters", () => {
    expect(readTrendingParams({ period: ["week", "month"], date: ["2026-06-10", "x"] })).toMatchObject({
      period: "week",
      date: "2026-06-10",
    });
  });
});

describe("trendingHref", () => {
  it("leaves defaults out", () => {
    expect(trendingHref({ period: "day" })).toBe("/");
    expect(trendingHref({ period: "day", date: null, cursor: null })).toBe("/");
  });

  it("writes period, date and cursor", () => {
    expect(trendingHref({ period: "week", date: "2026-06-16" })).toBe("/?period=week&date=2026-06-16");
    expect(trendingHref({ period: "day", date: "2026-06-16", cursor: "bzozMA" })).toBe("/?date=2026-06-16&cursor=bzozMA");
  });
});
