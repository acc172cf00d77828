import { describe, expect, it } from "vitest";
import { addDays, daysBetween, isValidDay } from "@/lib/time";

describe("calendar days", () => {
  it("adds days across months and leap years", () => {
    expect(addDays("2026-06-30", 1)).toBe("2026-07-01");
    expect(addDays("2028-03-01", -1)).toBe("2028-02-29");
    expect(addDays("2026-06-16", -6)).toBe("2026-06-10");
  });

  it("counts whole days between two days", () => {
    expect(daysBetween("2026-06-10", "2026-06-16")).toBe(6);
    expect(daysBetween("2026-06-16", "2026-06-10")).toBe(-6);
  });

  it.each(["2026-02-30", "2026-13-01", "26-01-01", "2026-1-1", "tomorrow", ""])("rejects %s", (value) => {
    expect(isValidDay(value)).toBe(false);
  });

  it("accepts real days", () => {
    expect(isValidDay("2028-02-29")).toBe(true);
  });
});
