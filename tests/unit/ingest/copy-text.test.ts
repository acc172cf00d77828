import { describe, expect, it } from "vitest";
import { chooseIndexPlan, STAGE_FIELDS } from "@/lib/ingest/bulk-store";
import { arrayLiteral, copyField, copyLine } from "@/lib/ingest/copy-text";
import { STAGED_FIELDS, toStagedRow } from "@/lib/ingest/merge";
import { LISTED_RANK, type PaperRecord } from "@/lib/ingest/paper";

const record: PaperRecord = {
  id: "2607.00001",
  title: "Tabs\tand \\ backslashes",
  abstract: "Line one\nline two\r\n$\\alpha$",
  authors: ['Ann "The" O\'Brien', "B, Jr", "NULL", "{x}"],
  categories: ["cs.LG"],
  publishedAt: "2026-07-06T10:00:00.000Z",
  sourceUpdatedAt: null,
  listedAt: "2026-07-06",
  listedRank: LISTED_RANK.arxiv,
  comment: null,
  journalRef: null,
  doi: null,
  license: null,
  githubRepo: null,
  githubStars: 12,
  projectPage: null,
  keywords: [],
  sourceUpvotes: null,
  source: "arxiv-kaggle",
  externalId: "2607.00001v2",
};

describe("COPY text encoding of staged rows", () => {
  it("escapes exactly backslash, tab, newline and carriage return, and writes null as \\N", () => {
    expect(copyField(null)).toBe("\\N");
    expect(copyField("plain text, with commas; and \"quotes\"")).toBe("plain text, with commas; and \"quotes\"");
    expect(copyField("a\\b\tc\nd\re")).toBe("a\\\\b\\tc\\nd\\re");
    expect(copyField("\\N")).toBe("\\\\N");
    expect(copyField("")).toBe("");
  });

  it("quotes every array element, so commas, braces, quotes and the word NULL stay text", () => {
    expect(arrayLiteral([])).toBe("{}");
    expect(arrayLiteral(["a b", "c,d", '"q"', "back\\slash", "NULL", "{x}"])).toBe('{"a b","c,d","\\"q\\"","back\\\\slash","NULL","{x}"}');
  });

  it("writes seq, then every staged field in the staging table's order", () => {
    const line = copyLine(7, toStagedRow(record, false), STAGE_FIELDS);
    expect(line.endsWith("\n")).toBe(true);
    const fields = line.slice(0, -1).split("\t");
    expect(fields).toHaveLength(1 + STAGED_FIELDS.length);
    const value = (name: string) => fields[1 + STAGE_FIELDS.indexOf(name)];
    expect(fields[0]).toBe("7");
    expect(value("id")).toBe("2607.00001");
    expect(value("external_id")).toBe("2607.00001v2");
    expect(value("source_only")).toBe("f");
    expect(value("title")).toBe("Tabs\\tand \\\\ backslashes");
    expect(value("abstract")).toBe("Line one\\nline two\\r\\n$\\\\alpha$");
    expect(value("authors")).toBe('{"Ann \\\\"The\\\\" O\'Brien","B, Jr","NULL","{x}"}');
    expect(value("listed_rank")).toBe("1");
    expect(value("github_stars")).toBe("12");
    // "This source does not know" stays null, so the merge keeps what is stored.
    expect(value("source_upvotes")).toBe("\\N");
    expect(value("keywords")).toBe("\\N");
    expect(value("comment")).toBe("\\N");
    expect(copyLine(1, toStagedRow(record, true), STAGE_FIELDS).split("\t")[1 + STAGE_FIELDS.indexOf("source_only")]).toBe("t");
  });
});

describe("the bulk merge's index plan", () => {
  it("rebuilds paper's secondary indexes only for a load of many new papers that at least doubles the table", () => {
    expect(chooseIndexPlan(1_000_000, 0)).toBe("rebuild");
    expect(chooseIndexPlan(1_000_000, 1_000_000)).toBe("rebuild");
    expect(chooseIndexPlan(1_000_000, 1_000_001)).toBe("keep");
    expect(chooseIndexPlan(99_999, 0)).toBe("keep");
    expect(chooseIndexPlan(1_000, 1_000_000)).toBe("keep");
  });
});
