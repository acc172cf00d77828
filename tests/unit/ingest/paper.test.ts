import { describe, expect, it } from "vitest";
import { candidate, describeIssues, LISTED_RANK, paperRecordSchema } from "@/lib/ingest/paper";

const good = candidate({ id: "2607.00001", title: "A paper", abstract: "About it.", authors: ["Ada Lovelace"], listedAt: "2026-07-06", listedRank: LISTED_RANK.arxiv, publishedAt: "2026-07-06T10:00:00.000Z", source: "arxiv-kaggle", externalId: "2607.00001" });

function issues(fields: Record<string, unknown>): string {
  const result = paperRecordSchema.safeParse({ ...good, ...fields });
  return result.success ? "" : describeIssues(result.error);
}

// Values Postgres refuses would fail the statement (or the COPY) that writes a whole batch or load;
// they are refused here, one record at a time, with the record's location.
describe("paperRecordSchema refuses what Postgres cannot store", () => {
  it("accepts a good record", () => {
    expect(issues({})).toBe("");
  });

  it("refuses a NUL character in any text, naming the field", () => {
    expect(issues({ title: "A \u0000 title" })).toMatch(/^title: contains a NUL character/);
    expect(issues({ abstract: "x\u0000" })).toMatch(/^abstract: contains a NUL/);
    expect(issues({ authors: ["Ada", "B\u0000b"] })).toMatch(/^authors: contains a NUL/);
    expect(issues({ externalId: "\u0000" })).toMatch(/^externalId: contains a NUL/);
  });

  it("refuses days and instants that are not on the calendar, or in year 0", () => {
    expect(issues({ listedAt: "2026-02-30" })).toMatch(/^listedAt: /);
    expect(issues({ listedAt: "0000-01-01" })).toMatch(/^listedAt: year 0/);
    expect(issues({ publishedAt: "2026-13-01T00:00:00Z" })).toMatch(/^publishedAt: /);
    expect(issues({ sourceUpdatedAt: "0000-06-01T00:00:00Z" })).toMatch(/^sourceUpdatedAt: year 0/);
    expect(issues({ listedAt: "2024-02-29" })).toBe("");
  });

  it("refuses counts over Postgres's integer range", () => {
    expect(issues({ githubStars: 2_147_483_648 })).toMatch(/^githubStars: /);
    expect(issues({ sourceUpvotes: 2_147_483_648 })).toMatch(/^sourceUpvotes: /);
    expect(issues({ githubStars: 2_147_483_647 })).toBe("");
  });
});
