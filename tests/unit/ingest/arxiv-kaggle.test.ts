import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseFile } from "@/lib/ingest/parse-file";
import { describeIssues, LISTED_RANK, paperRecordSchema, type ParseEvent, type PaperCandidate } from "@/lib/ingest/paper";
import { mapKaggleRecord } from "@/lib/ingest/parsers/arxiv-kaggle";

const FILE = "tests/fixtures/arxiv-kaggle/arxiv-metadata-oai-snapshot.sample.jsonl";

async function collect(file: string): Promise<ParseEvent[]> {
  const events: ParseEvent[] = [];
  for await (const event of parseFile(file, { today: "2026-11-27" })) events.push(event);
  return events;
}

function recordOf(event: ParseEvent | undefined): PaperCandidate {
  if (event?.kind !== "record") throw new Error(`expected a record, got ${JSON.stringify(event)}`);
  return event.candidate;
}

/** A real line of the dump, parsed, for variants. */
function realLine(lineNumber: number): Record<string, unknown> {
  const line = readFileSync(FILE, "utf8").split("\n")[lineNumber - 1];
  return JSON.parse(line ?? "") as Record<string, unknown>;
}

describe("arxiv-kaggle parser on the real sample", () => {
  it("maps line 1 with collapsed whitespace, parsed authors and converted dates", async () => {
    const events = await collect(FILE);
    expect(events).toHaveLength(100);
    expect(events[0]?.kind === "record" && events[0].location).toBe(`${FILE}:1`);
    expect(recordOf(events[0])).toMatchObject({
      id: "0704.0001",
      title: "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies",
      authors: ["C. Balázs", "E. L. Berger", "P. M. Nadolsky", "C. -P. Yuan"],
      categories: ["hep-ph"],
      comment: "37 pages, 15 figures; published version",
      journalRef: "Phys.Rev.D76:013009,2007",
      doi: "10.1103/PhysRevD.76.013009",
      license: null,
      publishedAt: "2007-04-02T19:18:42.000Z",
      sourceUpdatedAt: "2008-11-26T00:00:00.000Z",
      listedAt: "2007-04-02",
      listedRank: LISTED_RANK.arxiv,
      source: "arxiv-kaggle",
      externalId: "0704.0001",
    });
    const abstract = recordOf(events[0]).abstract as string;
    expect(abstract).toMatch(/^A fully differential calculation in perturbative quantum chromodynamics is presented/);
    expect(abstract).not.toMatch(/\n| {2}/);
  });

  it("keeps the primary category first and reads suffixes and collaborations", async () => {
    const events = await collect(FILE);
    expect(recordOf(events[1])).toMatchObject({ id: "0704.0002", categories: ["math.CO", "cs.CG"] });
    expect(recordOf(events[1]).license).toBe("http://arxiv.org/licenses/nonexclusive-distrib/1.0/");
    expect(recordOf(events[8]).authors).toContain("Neal J. Evans II");
    expect((recordOf(events[19]).authors as string[])[0]).toBe("The BABAR Collaboration");
    // authors_parsed rows with a fourth (affiliation) element still read as [last, first, suffix].
    expect(recordOf(events[24]).authors).toEqual(["A. S. Mishchenko", "N. Nagaosa"]);
  });

  it("produces 100 records that all pass paperRecordSchema", async () => {
    const events = await collect(FILE);
    for (const event of events) {
      const result = paperRecordSchema.safeParse(recordOf(event));
      if (!result.success) throw new Error(`${JSON.stringify(event)}: ${describeIssues(result.error)}`);
    }
    expect(events.filter((event) => event.kind === "record")).toHaveLength(100);
  });
});

describe("mapKaggleRecord on variants of a real record", () => {
  it("keeps an old-style id with its slash", () => {
    const paper = recordOf(mapKaggleRecord({ ...realLine(1), id: "hep-th/9901001" }, "x:1"));
    expect(paper).toMatchObject({ id: "hep-th/9901001", externalId: "hep-th/9901001" });
    expect(paperRecordSchema.safeParse(paper).success).toBe(true);
  });

  it("falls back to the authors string when authors_parsed is missing", () => {
    const paper = recordOf(mapKaggleRecord({ ...realLine(2), authors_parsed: undefined }, "x:2"));
    expect(paper.authors).toEqual(["Ileana Streinu", "Louis Theran"]);
  });

  it("falls back to the last version when update_date is missing", () => {
    const paper = recordOf(mapKaggleRecord({ ...realLine(3), update_date: null }, "x:3"));
    expect(paper.sourceUpdatedAt).toBe("2008-01-13T00:36:28.000Z");
  });

  it("rejects an invalid first-version date, and a missing id or title, naming the field", () => {
    const badDate = { ...realLine(1), versions: [{ version: "v1", created: "Mon, 32 Foo 2007 99:00:00 GMT" }] };
    expect(mapKaggleRecord(badDate, "x:1")).toEqual({
      kind: "reject",
      location: "x:1",
      reason: 'versions[0].created is not a date: "Mon, 32 Foo 2007 99:00:00 GMT"',
    });
    expect(mapKaggleRecord({ ...realLine(1), id: undefined }, "x:1")).toMatchObject({ reason: "missing id" });
    expect(mapKaggleRecord({ ...realLine(1), title: "" }, "x:1")).toMatchObject({ reason: "missing title" });
  });

  it("passes an unrecognisable id to validation, which names it", () => {
    const paper = recordOf(mapKaggleRecord({ ...realLine(1), id: "not-an-id" }, "x:1"));
    const result = paperRecordSchema.safeParse(paper);
    expect(result.success).toBe(false);
    expect(result.error && describeIssues(result.error)).toMatch(/^id: not an arXiv id/);
  });
});
