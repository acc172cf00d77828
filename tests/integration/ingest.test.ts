import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestFiles } from "@/lib/ingest/run-ingest";
import { createDatabase, type TestDatabase } from "./test-db";

const run = promisify(execFile);
const FIXTURES = path.join(process.cwd(), "tests", "fixtures");
const HF_DAY = path.join(FIXTURES, "hf-daily-papers", "2026-06-16.json");
const TODAY = "2026-07-01";

let database: TestDatabase;
let tmp: string;

beforeAll(async () => {
  database = await createDatabase();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ingest-it-"));
});

afterAll(async () => {
  await database.drop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function write(name: string, content: string): string {
  const file = path.join(tmp, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await database.pool.query<{ n: number }>(sql, params);
  return rows[0]!.n;
}

describe("ingest into Postgres", () => {
  it("is idempotent: the same inputs twice give 0 inserted and N unchanged", async () => {
    const inputs = [path.join(FIXTURES, "hf-daily-papers"), path.join(FIXTURES, "arxiv-kaggle"), path.join(FIXTURES, "hf-papers-search-page.txt")];
    const first = await ingestFiles(database.pool, inputs, { today: TODAY, batchSize: 50 });
    expect(first.rejected).toBe(0);
    expect(first.inserted).toBeGreaterThan(400);
    const papers = await count(`SELECT count(*)::int AS n FROM paper`);
    expect(papers).toBe(first.inserted);

    const second = await ingestFiles(database.pool, inputs, { today: TODAY, batchSize: 50 });
    expect(second.inserted).toBe(0);
    expect(second.updated).toBe(0);
    expect(second.unchanged).toBe(second.read);
    expect(await count(`SELECT count(*)::int AS n FROM paper`)).toBe(papers);

    const runs = await database.pool.query(`SELECT status, inserted, unchanged FROM ingest_run ORDER BY id`);
    expect(runs.rows).toEqual([
      { status: "succeeded", inserted: first.inserted, unchanged: first.unchanged },
      { status: "succeeded", inserted: 0, unchanged: second.read },
    ]);
  });

  it("stores the HF fields: listing day, arXiv date, votes, code", async () => {
    const { rows } = await database.pool.query(
      `SELECT listed_at::text AS listed, published_at, source_upvotes, github_repo, authors[1] AS first_author, listed_rank
       FROM paper WHERE id = '2606.14777'`,
    );
    expect(rows[0]).toMatchObject({ listed: "2026-06-16", source_upvotes: 150, github_repo: expect.stringContaining("github.com"), listed_rank: 2 });
    expect((rows[0].published_at as Date).toISOString() < "2026-06-16").toBe(true);
  });

  it("merges the same paper from two sources into one row, recording both", async () => {
    const hf = JSON.parse(fs.readFileSync(HF_DAY, "utf8")) as { paper: { id: string; title: string; summary: string } }[];
    const paper = hf[0]!.paper;
    const before = await database.pool.query(`SELECT * FROM paper WHERE id = $1`, [paper.id]);
    const kaggle = {
      id: `${paper.id}`,
      submitter: "A. Author",
      authors: "A. Author, B. Author",
      title: paper.title,
      comments: "12 pages",
      "journal-ref": null,
      doi: "10.1234/example",
      categories: "cs.CL cs.AI",
      license: "http://creativecommons.org/licenses/by/4.0/",
      abstract: paper.summary,
      versions: [{ version: "v1", created: "Mon, 15 Jun 2026 17:59:59 GMT" }],
      update_date: "2026-06-15",
      authors_parsed: [["Author", "A.", ""], ["Author", "B.", ""]],
    };
    const file = write("merge/kaggle.jsonl", `${JSON.stringify(kaggle)}\n`);
    const summary = await ingestFiles(database.pool, [file], { today: TODAY });
    expect(summary).toMatchObject({ inserted: 0, updated: 1, rejected: 0 });

    const { rows } = await database.pool.query(`SELECT * FROM paper WHERE id = $1`, [paper.id]);
    const merged = rows[0];
    expect(merged.categories).toEqual(["cs.CL", "cs.AI"]); // from arXiv
    expect(merged.doi).toBe("10.1234/example");
    expect(merged.source_upvotes).toBe(before.rows[0].source_upvotes); // from HF, kept
    expect(merged.authors).toEqual(before.rows[0].authors); // HF's featured record is trusted for text
    expect(merged.listed_at).toEqual(before.rows[0].listed_at); // the featured day wins over the arXiv day
    const sources = await database.pool.query(`SELECT source FROM paper_source WHERE paper_id = $1 ORDER BY source`, [paper.id]);
    expect(sources.rows.map((row) => row.source)).toEqual(["arxiv-kaggle", "hf-daily"]);
    expect(await count(`SELECT count(*)::int AS n FROM paper WHERE id = $1`, [paper.id])).toBe(1);
  });

  it("a paper from the id-less search page joins the arXiv paper with the same title", async () => {
    const { rows } = await database.pool.query<{ id: string; title: string }>(`SELECT id, title FROM paper WHERE id = '2606.14777'`);
    const title = rows[0]!.title;
    const file = write("search/page.txt", `Get trending papers in your email inbox once a day!\n${title.toUpperCase()}\nAn abstract from a saved page.\n`);
    const summary = await ingestFiles(database.pool, [file], { today: TODAY });
    expect(summary.rejected).toBe(0);
    expect(summary.inserted).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM paper_source WHERE paper_id = '2606.14777' AND source = 'hf-search-page'`)).toBe(1);
    expect(summary.notices.join(" ")).toMatch(/stamped/);
  });

  it("joins a saved-page paper and its arXiv paper whatever the order, batch or letter case", async () => {
    const page = (title: string) => `Get trending papers in your email inbox once a day!\n${title}\nAbstract from a saved page.\n`;
    const kaggle = (id: string, title: string) =>
      JSON.stringify({ id, title, abstract: "From arXiv.", authors_parsed: [["Curie", "Marie", ""]], versions: [{ version: "v1", created: "Mon, 6 Jul 2026 10:00:00 GMT" }] });
    // Saved page first, arXiv later: the arXiv paper absorbs the local copy.
    write("order/1-page.txt", page("Über École: Étude of Graphs"));
    await ingestFiles(database.pool, [path.join(tmp, "order", "1-page.txt")], { today: TODAY });
    expect(await count(`SELECT count(*)::int AS n FROM paper WHERE title = 'Über École: Étude of Graphs'`)).toBe(1);
    write("order/2-arxiv.jsonl", kaggle("2607.00301", "Über École: Étude of Graphs"));
    await ingestFiles(database.pool, [path.join(tmp, "order", "2-arxiv.jsonl")], { today: TODAY });
    const rows = await database.pool.query(`SELECT id FROM paper WHERE lower(title) = lower('Über École: Étude of Graphs')`);
    expect(rows.rows.map((row) => row.id)).toEqual(["2607.00301"]);
    const sources = await database.pool.query(`SELECT source FROM paper_source WHERE paper_id = '2607.00301' ORDER BY source`);
    expect(sources.rows.map((row) => row.source)).toEqual(["arxiv-kaggle", "hf-search-page"]);

    // Both in the same run and batch: one paper with both sources.
    write("batch/a.jsonl", kaggle("2607.00302", "Quiet Graphs"));
    write("batch/b.txt", page("QUIET GRAPHS"));
    await ingestFiles(database.pool, [path.join(tmp, "batch")], { today: TODAY, batchSize: 100 });
    expect(await count(`SELECT count(*)::int AS n FROM paper WHERE lower(title) = 'quiet graphs'`)).toBe(1);
    expect(await count(`SELECT count(*)::int AS n FROM paper_source WHERE paper_id = '2607.00302'`)).toBe(2);
    const merged = await database.pool.query(`SELECT abstract FROM paper WHERE id = '2607.00302'`);
    expect(merged.rows[0].abstract).toBe("From arXiv.");
  });

  it("reports malformed records with their location and keeps the rest", async () => {
    const good = JSON.parse(fs.readFileSync(HF_DAY, "utf8")) as unknown[];
    const truncated = JSON.stringify(good.slice(0, 3), null, 2);
    write("bad/truncated.json", truncated.slice(0, Math.floor(truncated.length * 0.8)));
    write("bad/error-page.json", "<!DOCTYPE html><html><body>502 Bad Gateway</body></html>");
    write("bad/python.json", JSON.stringify(["{'id': '2506.01234', 'title': 'A'}"]));
    write("bad/empty.json", "");
    const lines = [
      { id: "2607.00001", title: "Good paper", abstract: "Fine.", authors_parsed: [["Doe", "Jane", ""]], versions: [{ version: "v1", created: "Wed, 1 Jul 2026 10:00:00 GMT" }], categories: "cs.LG" },
      { title: "No id", abstract: "x", versions: [{ version: "v1", created: "Wed, 1 Jul 2026 10:00:00 GMT" }] },
      { id: "2607.00003", abstract: "No title", versions: [{ version: "v1", created: "Wed, 1 Jul 2026 10:00:00 GMT" }] },
      { id: "2607.00004", title: "Bad date", abstract: "x", versions: [{ version: "v1", created: "not a date" }] },
      { id: "2607.00005", title: "<script>alert(1)</script> Attention", abstract: "x", versions: [{ version: "v1", created: "Wed, 1 Jul 2026 10:00:00 GMT" }] },
      { id: "2607.00006", title: "Huge abstract", abstract: "a".repeat(1_000_000), versions: [{ version: "v1", created: "Wed, 1 Jul 2026 10:00:00 GMT" }] },
    ];
    write("bad/records.jsonl", lines.map((line) => JSON.stringify(line)).join("\n") + "\n{not json\n");
    const summary = await ingestFiles(database.pool, [path.join(tmp, "bad"), path.join(tmp, "missing.json")], { today: TODAY });

    const reasons = summary.rejections.map((rejection) => `${path.basename(rejection.location)} ${rejection.reason}`);
    expect(reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^truncated\.json#\d+ .*truncated/),
        expect.stringMatching(/^error-page\.json .*HTML/),
        expect.stringMatching(/^python\.json#1 .*string/),
        expect.stringMatching(/^empty\.json .*empty/),
        expect.stringMatching(/^records\.jsonl:2 .*id/),
        expect.stringMatching(/^records\.jsonl:3 .*title/),
        expect.stringMatching(/^records\.jsonl:4 .*date/),
        expect.stringMatching(/^records\.jsonl:6 .*abstract/),
        expect.stringMatching(/^records\.jsonl:7 .*JSON/),
        expect.stringMatching(/^missing\.json.*no such file/),
      ]),
    );
    // Kept: the complete items before the truncation, the good line and the <script> title (as text).
    expect(summary.inserted + summary.updated + summary.unchanged).toBeGreaterThanOrEqual(4);
    expect(await count(`SELECT count(*)::int AS n FROM paper WHERE id IN ('2607.00001', '2607.00005')`)).toBe(2);
    const script = await database.pool.query(`SELECT title FROM paper WHERE id = '2607.00005'`);
    expect(script.rows[0].title).toBe("<script>alert(1)</script> Attention");
  });

  it("the CLI exits 0 with rejections and non-zero when nothing could be read", async () => {
    const env = { ...process.env, DATABASE_URL: database.url };
    const tsx = path.join(process.cwd(), "node_modules", ".bin", "tsx");
    const ok = await run(tsx, ["scripts/ingest.ts", path.join(tmp, "bad", "records.jsonl")], { env });
    expect(ok.stdout).toMatch(/ingest: 1 files, 7 read, 0 inserted, 0 updated, 2 unchanged, 5 rejected/);
    expect(ok.stdout).toMatch(/records\.jsonl:2/);
    const failed = await run(tsx, ["scripts/ingest.ts", path.join(tmp, "bad", "empty.json")], { env }).catch((error: { code: number; stdout: string }) => error);
    expect("code" in failed ? failed.code : 0).toBe(1);
  });
});
