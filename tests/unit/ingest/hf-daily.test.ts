import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseFile } from "@/lib/ingest/parse-file";
import { describeIssues, LISTED_RANK, paperRecordSchema, type ParseEvent, type PaperCandidate } from "@/lib/ingest/paper";
import { mapDailyItem } from "@/lib/ingest/parsers/hf-daily";

const DIR = "tests/fixtures/hf-daily-papers";

async function collect(file: string): Promise<ParseEvent[]> {
  const events: ParseEvent[] = [];
  for await (const event of parseFile(file, { today: "2026-11-27" })) events.push(event);
  return events;
}

function recordOf(event: ParseEvent): PaperCandidate {
  if (event.kind !== "record") throw new Error(`expected a record, got ${JSON.stringify(event)}`);
  return event.candidate;
}

describe("hf-daily parser on the real files", () => {
  it("maps the first item of 2026-05-01 with its real values", async () => {
    const events = await collect(`${DIR}/2026-05-01.json`);
    expect(events).toHaveLength(16);
    expect(events[0]?.kind === "record" && events[0].location).toBe(`${DIR}/2026-05-01.json#1`);
    const paper = recordOf(events[0]!);
    expect(paper).toMatchObject({
      id: "2604.27351",
      title: "Heterogeneous Scientific Foundation Model Collaboration",
      publishedAt: "2026-04-30T00:00:00.000Z",
      listedAt: "2026-05-01",
      listedRank: LISTED_RANK.featured,
      sourceUpvotes: 124,
      githubRepo: "https://github.com/Violet24K/Eywa",
      githubStars: 1,
      projectPage: "https://www.zihao.website/eywa.github.io/",
      categories: null,
      source: "hf-daily",
      externalId: "2604.27351",
    });
    expect(paper.authors).toHaveLength(9);
    expect((paper.authors as string[])[0]).toBe("Zihao Li");
    expect((paper.authors as string[])[8]).toBe("Jingrui He");
    expect(paper.abstract).toMatch(/^Agentic large language model systems have demonstrated strong capabilities\./);
    expect((paper.keywords as string[]).slice(0, 2)).toEqual(["agentic framework", "domain-specific foundation models"]);
  });

  it("lists a paper on the day it was featured, not on its arXiv submission day", async () => {
    // 2606.11176 is featured twice: on 2026-06-10 (item 7, 29 upvotes) and 2026-06-16 (item 2, 82 upvotes).
    const june10 = (await collect(`${DIR}/2026-06-10.json`)).map(recordOf);
    const june16 = (await collect(`${DIR}/2026-06-16.json`)).map(recordOf);
    expect(june10[6]).toMatchObject({ id: "2606.11176", listedAt: "2026-06-10", sourceUpvotes: 29 });
    expect(june16[1]).toMatchObject({
      id: "2606.11176",
      title: "Data Journalist Agent: Transforming Data into Verifiable Multimodal Stories",
      listedAt: "2026-06-16",
      sourceUpvotes: 82,
      publishedAt: "2026-06-09T00:00:00.000Z",
    });
    expect((june16[1]?.authors as string[])[0]).toBe("Kevin Qinghong Lin");
    for (const paper of [...june10, ...june16]) expect(["2026-06-10", "2026-06-16"]).toContain(paper.listedAt);
  });

  it("drops the empty keyword in 2026-05-21 item 10 and keeps the paper", async () => {
    const paper = recordOf((await collect(`${DIR}/2026-05-21.json`))[9]!);
    expect(paper.id).toBe("2605.19484");
    expect(paper.keywords).toEqual([]);
  });

  it("produces records that all pass paperRecordSchema", async () => {
    let count = 0;
    for (const file of readdirSync(DIR).sort()) {
      for (const event of await collect(`${DIR}/${file}`)) {
        const result = paperRecordSchema.safeParse(recordOf(event));
        if (!result.success) throw new Error(`${file}: ${describeIssues(result.error)}`);
        count += 1;
      }
    }
    expect(count).toBe(16 + 32 + 35 + 34);
  });

  it("also validates every item of all 41 days in data/sample", async () => {
    let count = 0;
    const dir = "data/sample/hf-daily-papers";
    for (const file of readdirSync(dir).sort()) {
      for (const event of await collect(`${dir}/${file}`)) {
        const result = paperRecordSchema.safeParse(recordOf(event));
        if (!result.success) throw new Error(`${file}: ${describeIssues(result.error)}`);
        count += 1;
      }
    }
    expect(count).toBe(1250);
  });
});

describe("mapDailyItem on drifted and broken items", () => {
  const base = { title: "T", summary: "S", paper: { id: "2506.01234", title: "A Paper", summary: "An abstract." } };

  it("reads authors as strings or objects, and githubStars as a string, missing or null", () => {
    const event = mapDailyItem(
      { ...base, paper: { ...base.paper, authors: ["Ada Lovelace", { name: "Alan  Turing" }, { hidden: true }], githubStars: "42" } },
      "x.json#1",
    );
    expect(recordOf(event)).toMatchObject({ authors: ["Ada Lovelace", "Alan Turing"], githubStars: 42, keywords: null });
    expect(recordOf(mapDailyItem({ ...base, paper: { ...base.paper, githubStars: null } }, "x")).githubStars).toBeNull();
    expect(recordOf(mapDailyItem(base, "x")).githubStars).toBeNull();
  });

  it("normalizes a versioned or URL id and keeps the raw one as externalId", () => {
    const paper = recordOf(mapDailyItem({ ...base, paper: { ...base.paper, id: "https://arxiv.org/abs/2506.01234v3" } }, "x"));
    expect(paper).toMatchObject({ id: "2506.01234", externalId: "https://arxiv.org/abs/2506.01234v3" });
  });

  it("falls back to the item's publishedAt for the listing day", () => {
    const paper = recordOf(mapDailyItem({ ...base, publishedAt: "2026-05-03T20:00:00.000Z" }, "x"));
    expect(paper.listedAt).toBe("2026-05-03");
  });

  it("drops a repository link that is not an http(s) URL", () => {
    const paper = recordOf(mapDailyItem({ ...base, paper: { ...base.paper, githubRepo: "github.com/x/y" } }, "x"));
    expect(paper.githubRepo).toBeNull();
  });

  it("rejects items that are strings, not objects, or lack id or title, naming the problem", () => {
    const pythonDict = "{'id': '2506.01234', 'title': 'A Paper'}";
    expect(mapDailyItem(pythonDict, "x.json#3")).toEqual({
      kind: "reject",
      location: "x.json#3",
      reason: "item is a string, not a JSON object (it looks like a Python dict printed as text)",
    });
    expect(mapDailyItem(42, "x")).toMatchObject({ kind: "reject", reason: "item is a number, not a JSON object" });
    expect(mapDailyItem({ title: "no paper" }, "x")).toMatchObject({ kind: "reject", reason: "item has no `paper` object" });
    expect(mapDailyItem({ paper: { title: "A" } }, "x")).toMatchObject({ kind: "reject", reason: "missing paper.id" });
    expect(mapDailyItem({ paper: { id: "2506.01234", title: "  " } }, "x")).toMatchObject({
      kind: "reject",
      reason: "missing paper.title",
    });
  });

  it("rejects an invalid arXiv date with the value in the reason", () => {
    const event = mapDailyItem({ ...base, paper: { ...base.paper, publishedAt: "yesterday-ish" } }, "x");
    expect(event).toMatchObject({ kind: "reject", reason: 'paper.publishedAt is not a date: "yesterday-ish"' });
  });
});
