import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseFile } from "@/lib/ingest/parse-file";
import { describeIssues, LISTED_RANK, paperRecordSchema, type ParseEvent } from "@/lib/ingest/paper";
import { parseSearchPage } from "@/lib/ingest/parsers/search-page";
import type { Line } from "@/lib/ingest/read-lines";

const FILE = "tests/fixtures/hf-papers-search-page.txt";
const TODAY = "2026-11-27";

async function collect(events: AsyncIterable<ParseEvent>): Promise<ParseEvent[]> {
  const out: ParseEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

function linesOf(text: string): Line[] {
  return text.split(/\r?\n/).map((line, index) => ({ lineNumber: index + 1, text: line }));
}

const page = (text: string) => collect(parseSearchPage(linesOf(text), { fileName: "page.txt", today: TODAY }));

describe("search-page parser on the real page", () => {
  it("reads 307 papers, the first title cut free of 'Subscribe'", async () => {
    const events = await collect(parseFile(FILE, { today: TODAY }));
    const records = events.flatMap((event) => (event.kind === "record" ? [event] : []));
    // The shared data README says 306; the file holds 307 complete title/abstract pairs.
    expect(records).toHaveLength(307);
    expect(events.filter((event) => event.kind === "reject")).toEqual([]);
    const first = records[0]!;
    expect(first.location).toBe(`${FILE}:3`);
    const hash = createHash("sha256").update("recognizing image style").digest("hex").slice(0, 16);
    expect(first.candidate).toMatchObject({
      id: `local-${hash}`,
      title: "Recognizing Image Style",
      authors: [],
      publishedAt: null,
      listedAt: TODAY,
      listedRank: LISTED_RANK.stamped,
      source: "hf-search-page",
      externalId: hash,
    });
    expect(first.candidate.abstract).toMatch(/^The style of an image plays a significant role/);
    expect(records[1]?.candidate.title).toBe("Dis-inhibitory neuronal circuits can control the sign of synaptic plasticity");
    expect(records.at(-1)?.candidate.title).toMatch(/^On The Differences Between Song and Speech Emotion Recognition/);
    expect(events.at(-1)).toEqual({
      kind: "notice",
      message: `${FILE}: no ids or dates in this format; 307 papers stamped as listed on ${TODAY}`,
    });
    for (const record of records) {
      const result = paperRecordSchema.safeParse(record.candidate);
      if (!result.success) throw new Error(`${record.location}: ${describeIssues(result.error)}`);
    }
    expect(new Set(records.map((record) => record.candidate.id)).size).toBe(307);
  });
});

describe("parseSearchPage on edited pages", () => {
  it("gives the same id to the same title whatever its case and spacing", async () => {
    const [a] = await page("Deep  Networks\nabstract one");
    const [b] = await page("deep networks \nabstract two");
    expect(a).toMatchObject({ kind: "record", candidate: { id: expect.any(String) } });
    expect(b).toMatchObject({ kind: "record", candidate: { id: a?.kind === "record" ? a.candidate.id : "" } });
  });

  it("works without header lines and skips blank lines", async () => {
    const events = await page("\nFirst Title\n\nFirst abstract.\n\n\nSecond Title\nSecond abstract.\n");
    expect(events.filter((event) => event.kind === "record").map((event) => event.kind === "record" && event.candidate.title)).toEqual([
      "First Title",
      "Second Title",
    ]);
  });

  it("rejects a dangling title at the end with its line number", async () => {
    const events = await page("Get trending papers in your email inbox!\nSubscribeA Title\nIts abstract.\nLonely Title\n");
    expect(events).toContainEqual({
      kind: "reject",
      location: "page.txt:4",
      reason: 'title without an abstract at the end of the file: "Lonely Title"',
    });
    expect(events.at(-1)).toMatchObject({ kind: "notice", message: expect.stringContaining("1 papers stamped") });
  });

  it("keeps the pairing after a too-long line", async () => {
    const lines: Line[] = [
      { lineNumber: 1, text: "Title One" },
      { lineNumber: 2, tooLong: true, bytes: 5_000_000 },
      { lineNumber: 3, text: "Title Two" },
      { lineNumber: 4, text: "Abstract two." },
    ];
    const events = await collect(parseSearchPage(lines, { fileName: "p.txt", today: TODAY }));
    expect(events[0]).toMatchObject({ kind: "reject", location: "p.txt:2" });
    expect(events[1]).toMatchObject({ kind: "record", location: "p.txt:3", candidate: { title: "Title Two" } });
  });
});
