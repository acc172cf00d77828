// The bulk path (COPY into a staging table, one merge) against the batched path, on real Postgres:
// the same rows, counts, rejections, idempotence, search outbox and cache announcement, local-id
// joins, index plans, concurrent runs, drains between pages, and failures.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CACHE_CHANNEL } from "@/lib/cache/notify";
import type { IndexPlan, MergeOptions } from "@/lib/ingest/bulk-store";
import { INGEST_LOCK } from "@/lib/ingest/merge";
import { candidate } from "@/lib/ingest/paper";
import { ingestFiles, IngestWriter, type IngestSummary } from "@/lib/ingest/run-ingest";
import { ingestStore } from "@/lib/ingest/store";
import { createDatabase, type TestDatabase } from "./test-db";

const FIXTURES = path.join(process.cwd(), "tests", "fixtures");
const TODAY = "2026-07-01";
// bulkThreshold 1 takes the bulk path from the first record; 150 holds the first records and then
// switches, replaying them into the stage; Infinity never leaves the batched path.
const BATCHED = { today: TODAY, batchSize: 50, bulkThreshold: Infinity };
const BULK = { today: TODAY, bulkThreshold: 1 };
const BULK_MIDWAY = { today: TODAY, bulkThreshold: 150 };

// Set when the row was written, so never equal between two databases.
const WRITE_TIMES = new Set(["created_at", "updated_at", "first_seen_at", "last_seen_at"]);

const databases: TestDatabase[] = [];
let tmp: string;
let inputs: string[];
const FIXTURE_INPUTS = [path.join(FIXTURES, "hf-daily-papers"), path.join(FIXTURES, "hf-papers-search-page.txt"), path.join(FIXTURES, "arxiv-kaggle")];
const PAGE_HEADER = "Get trending papers in your email inbox once a day!";

async function fresh(): Promise<TestDatabase> {
  const database = await createDatabase();
  databases.push(database);
  return database;
}

const kaggle = (fields: Record<string, unknown>) =>
  JSON.stringify({ versions: [{ version: "v1", created: "Mon, 6 Jul 2026 10:00:00 GMT" }], authors_parsed: [["Curie", "Marie", ""]], ...fields });

function write(name: string, content: string): string {
  const file = path.join(tmp, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ingest-bulk-it-"));
  const hfDay = JSON.parse(fs.readFileSync(path.join(FIXTURES, "hf-daily-papers", "2026-06-16.json"), "utf8")) as { paper: { id: string; title: string } }[];
  const featured = hfDay[0]!.paper;
  write(
    "extra/a-versions.jsonl",
    [
      // One paper three times in one file: each later record merges into what the earlier ones wrote.
      kaggle({ id: "2607.00401", title: "Versions of a paper", abstract: "First abstract.", categories: "cs.LG", comments: "v1" }),
      kaggle({ id: "2607.00401v2", title: "Versions of a paper, revised", abstract: "Second abstract.", categories: "cs.LG stat.ML", "journal-ref": "J. Tests 1", doi: "10.1/earlier" }),
      kaggle({ id: "2607.00401", title: "Versions of a paper, revised", abstract: "", doi: "10.1/versions" }),
      // A featured Hugging Face paper from arXiv: the featured record stays trusted for the text.
      kaggle({ id: featured.id, title: `${featured.title} (arXiv)`, abstract: "The arXiv abstract.", categories: "cs.CL", doi: "10.1/featured" }),
      // The arXiv twin of a paper on the saved search page, in the same run.
      kaggle({ id: "2607.00402", title: "QUIET SAVED GRAPHS", abstract: "From arXiv.", categories: "cs.AI" }),
      // Rejected, each with its line: no id, a bad date, a NUL, too many stars for Postgres.
      kaggle({ title: "No id", abstract: "x" }),
      kaggle({ id: "2607.00403", title: "Bad date", abstract: "x", versions: [{ version: "v1", created: "not a date" }] }),
      kaggle({ id: "2607.00404", title: "A NUL \u0000 inside", abstract: "x" }),
      "{not json",
      kaggle({ id: "2607.00405", title: "Backslashes \\ and\ttabs", abstract: "Math: $\\alpha \\le \\beta$, a tab\there, \"quotes\", {braces}, NULL.", authors_parsed: [["O'Brien", "Ann, Jr", ""], ["NULL", "{x}", ""]] }),
    ].join("\n") + "\n",
  );
  // A saved page after the arXiv twin of one of its papers, twice over, and a paper only on a saved page.
  write("extra/b-page.txt", `${PAGE_HEADER}\nquiet saved graphs\nA second saved copy.\nOnly On A Saved Page\nNothing else.\n`);
  inputs = [...FIXTURE_INPUTS, path.join(tmp, "extra")];
});

afterAll(async () => {
  for (const database of databases) await database.drop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Every column of a table but the write times, every row in key order, as text. */
async function tableRows(pool: pg.Pool, table: string, key: string): Promise<Record<string, string | null>[]> {
  const { rows: columns } = await pool.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`,
    [table],
  );
  const kept = columns.map((column) => column.column_name).filter((name) => !WRITE_TIMES.has(name));
  const { rows } = await pool.query<Record<string, string | null>>(`SELECT ${kept.map((name) => `"${name}"::text AS "${name}"`).join(", ")} FROM ${table} ORDER BY ${key}`);
  return rows;
}

/** The differences between two tables' rows, column by column, as readable lines (empty when equal). */
async function differences(a: pg.Pool, b: pg.Pool): Promise<string[]> {
  const found: string[] = [];
  for (const [table, key] of [["paper", "id"], ["paper_source", "paper_id, source"]] as const) {
    const left = await tableRows(a, table, key);
    const right = await tableRows(b, table, key);
    if (left.length !== right.length) found.push(`${table}: ${left.length} rows vs ${right.length}`);
    for (let i = 0; i < Math.min(left.length, right.length); i++) {
      for (const column of Object.keys(left[i]!)) {
        if (left[i]![column] !== right[i]![column]) found.push(`${table} row ${i} (${left[i]!.id ?? left[i]!.paper_id}) ${column}: ${JSON.stringify(left[i]![column])} vs ${JSON.stringify(right[i]![column])}`);
      }
    }
  }
  return found;
}

const counts = (summary: IngestSummary) => ({
  read: summary.read,
  inserted: summary.inserted,
  updated: summary.updated,
  unchanged: summary.unchanged,
  rejected: summary.rejected,
  rejections: [...summary.rejections].sort((x, y) => x.location.localeCompare(y.location)),
});

async function count(pool: pg.Pool, sql: string): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(sql);
  return rows[0]!.n;
}

/** Runs `body` with every bulk merge forced to treat paper's indexes by `plan`. */
async function withIndexPlan<T>(plan: IndexPlan, body: () => Promise<T>): Promise<T> {
  const original = ingestStore.mergeStage;
  const plans: IndexPlan[] = [];
  ingestStore.mergeStage = (client, options: MergeOptions) =>
    original(client, { ...options, indexes: plan, onPhase: (phase) => phase.startsWith("plan: ") && plans.push(phase.slice(6, -8) as IndexPlan) });
  try {
    const result = await body();
    expect(plans).toContain(plan);
    return result;
  } finally {
    ingestStore.mergeStage = original;
  }
}

async function indexDefinitions(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<{ indexdef: string }>(`SELECT indexdef FROM pg_indexes WHERE tablename IN ('paper', 'paper_source') ORDER BY indexname`);
  return rows.map((row) => row.indexdef);
}

describe("bulk ingest", () => {
  let batched: TestDatabase;
  let bulk: TestDatabase;
  let batchedSummary: IngestSummary;
  let bulkSummary: IngestSummary;

  beforeAll(async () => {
    batched = await fresh();
    bulk = await fresh();
    batchedSummary = await ingestFiles(batched.pool, inputs, BATCHED);
    bulkSummary = await ingestFiles(bulk.pool, inputs, BULK_MIDWAY);
  });

  it("gives the same papers and sources as the batched path, column by column, with the same counts", async () => {
    expect(batchedSummary.read).toBeGreaterThan(500);
    expect(counts(bulkSummary)).toEqual(counts(batchedSummary));
    expect(await differences(batched.pool, bulk.pool)).toEqual([]);
    expect(await count(bulk.pool, `SELECT count(*)::int AS n FROM paper`)).toBeGreaterThan(500);
  });

  it("merges as the batched path does: versions in order, the featured record trusted, saved pages joined by title", async () => {
    const { rows } = await bulk.pool.query(`SELECT title, abstract, categories, comment, journal_ref, doi FROM paper WHERE id = '2607.00401'`);
    expect(rows).toEqual([
      { title: "Versions of a paper, revised", abstract: "Second abstract.", categories: ["cs.LG", "stat.ML"], comment: "v1", journal_ref: "J. Tests 1", doi: "10.1/versions" },
    ]);
    const odd = await bulk.pool.query(`SELECT title, abstract, authors FROM paper WHERE id = '2607.00405'`);
    expect(odd.rows[0]).toEqual({
      title: "Backslashes \\ and tabs",
      abstract: "Math: $\\alpha \\le \\beta$, a tab here, \"quotes\", {braces}, NULL.",
      authors: ["Ann, Jr O'Brien", "{x} NULL"],
    });
    const twin = await bulk.pool.query(`SELECT source FROM paper_source WHERE paper_id = '2607.00402' ORDER BY source`);
    expect(twin.rows.map((row) => row.source)).toEqual(["arxiv-kaggle", "hf-search-page"]);
    expect(await count(bulk.pool, `SELECT count(*)::int AS n FROM paper WHERE lower(title) = 'quiet saved graphs'`)).toBe(1);
    expect((await bulk.pool.query(`SELECT abstract FROM paper WHERE id = '2607.00402'`)).rows).toEqual([{ abstract: "From arXiv." }]);
    expect(await count(bulk.pool, `SELECT count(*)::int AS n FROM paper WHERE title = 'Only On A Saved Page' AND id LIKE 'local-%'`)).toBe(1);
  });

  it("reports each malformed record with its location and keeps the rest", () => {
    const reasons = bulkSummary.rejections.map((rejection) => `${path.basename(rejection.location)} ${rejection.reason}`);
    expect(reasons).toEqual([
      expect.stringMatching(/^a-versions\.jsonl:6 .*id/),
      expect.stringMatching(/^a-versions\.jsonl:7 .*date/),
      expect.stringMatching(/^a-versions\.jsonl:8 title: contains a NUL/),
      expect.stringMatching(/^a-versions\.jsonl:9 .*JSON/),
    ]);
  });

  it("queues every paper it wrote for search", async () => {
    expect(await count(bulk.pool, `SELECT count(*)::int AS n FROM paper`)).toBeGreaterThan(500);
    expect(await count(bulk.pool, `SELECT count(*)::int AS n FROM paper p WHERE NOT EXISTS (SELECT 1 FROM search_outbox o WHERE o.paper_id = p.id)`)).toBe(0);
  });

  it("is idempotent: a re-run inserts and changes nothing, reports every record unchanged and queues nothing", async () => {
    const database = await fresh();
    const first = await ingestFiles(database.pool, FIXTURE_INPUTS, BULK);
    expect(first).toMatchObject({ rejected: 0 });
    await database.pool.query(`TRUNCATE search_outbox`);
    const before = await database.pool.query(`SELECT id, updated_at FROM paper ORDER BY id`);
    const again = await ingestFiles(database.pool, FIXTURE_INPUTS, BULK);
    expect(again).toMatchObject({ read: first.read, inserted: 0, updated: 0, unchanged: first.read });
    expect((await database.pool.query(`SELECT id, updated_at FROM paper ORDER BY id`)).rows).toEqual(before.rows);
    expect(await count(database.pool, `SELECT count(*)::int AS n FROM search_outbox`)).toBe(0);
  });

  it("a re-run of inputs holding several versions of a paper replays them as the batched path does", async () => {
    const batchedAgain = await ingestFiles(batched.pool, inputs, BATCHED);
    const bulkAgain = await ingestFiles(bulk.pool, inputs, BULK);
    expect(counts(bulkAgain)).toEqual(counts(batchedAgain));
    expect(bulkAgain.inserted).toBe(0);
    expect(await differences(batched.pool, bulk.pool)).toEqual([]);
  });

  it("wakes the search worker and the page caches when it changes papers", async () => {
    const database = await fresh();
    await ingestFiles(database.pool, [path.join(tmp, "extra")], BULK);
    await database.pool.query(`TRUNCATE search_outbox`);
    const listener = new pg.Client({ connectionString: database.url });
    await listener.connect();
    try {
      const heard: string[] = [];
      listener.on("notification", (message) => heard.push(message.channel));
      await listener.query(`LISTEN search_outbox; LISTEN ${CACHE_CHANNEL}`);
      const changed = write("changed/one.jsonl", `${kaggle({ id: "2607.00401", title: "Versions of a paper, revised", abstract: "Third abstract." })}\n${kaggle({ id: "2607.00406", title: "A new paper", abstract: "New." })}\n`);
      const summary = await ingestFiles(database.pool, [changed], BULK);
      expect(summary).toMatchObject({ inserted: 1, updated: 1 });
      const { rows } = await database.pool.query(`SELECT paper_id FROM search_outbox ORDER BY paper_id`);
      expect(rows.map((row) => row.paper_id)).toEqual(["2607.00401", "2607.00406"]);
      await listener.query("SELECT 1"); // notifications sent before this answer have arrived
      expect(heard).toEqual(expect.arrayContaining(["search_outbox", CACHE_CHANNEL]));
    } finally {
      await listener.end();
    }
  });

  it("a saved-page paper read before its arXiv twin joins it, as in one batch", async () => {
    write("order/0-page.txt", `${PAGE_HEADER}\nQuiet Ordered Graphs\nA saved abstract.\n`);
    write("order/1-arxiv.jsonl", `${kaggle({ id: "2607.00407", title: "Quiet ordered graphs", abstract: "From arXiv." })}\n`);
    const [one, two] = [await fresh(), await fresh()];
    const batchedOrder = await ingestFiles(one.pool, [path.join(tmp, "order")], BATCHED);
    const bulkOrder = await ingestFiles(two.pool, [path.join(tmp, "order")], BULK);
    expect(counts(bulkOrder)).toEqual(counts(batchedOrder));
    expect(bulkOrder).toMatchObject({ inserted: 1, unchanged: 1 });
    expect(await differences(one.pool, two.pool)).toEqual([]);
    const { rows } = await two.pool.query(`SELECT p.id, p.abstract, array_agg(s.source ORDER BY s.source) AS sources FROM paper p JOIN paper_source s ON s.paper_id = p.id GROUP BY p.id`);
    expect(rows).toEqual([{ id: "2607.00407", abstract: "From arXiv.", sources: ["arxiv-kaggle", "hf-search-page"] }]);
  });

  it("rebuilding paper's indexes for the load leaves the same indexes and the same rows as keeping them", async () => {
    const rebuilt = await fresh();
    const kept = await fresh();
    const definitions = await indexDefinitions(rebuilt.pool);
    const rebuiltSummary = await withIndexPlan("rebuild", () => ingestFiles(rebuilt.pool, inputs, BULK));
    const keptSummary = await withIndexPlan("keep", () => ingestFiles(kept.pool, inputs, BULK));
    expect(await indexDefinitions(rebuilt.pool)).toEqual(definitions);
    expect(counts(rebuiltSummary)).toEqual(counts(batchedSummary));
    expect(counts(keptSummary)).toEqual(counts(batchedSummary));
    expect(await differences(batched.pool, rebuilt.pool)).toEqual([]);
    expect(await differences(batched.pool, kept.pool)).toEqual([]);
    // The rebuilt full-text index answers.
    const { rows } = await rebuilt.pool.query(`SELECT id FROM paper WHERE search_vector @@ websearch_to_tsquery('english', 'versions') ORDER BY id`);
    expect(rows.map((row) => row.id)).toContain("2607.00401");
  });

  it("two bulk runs at once take turns at the ingest lock, and each merges into what the other wrote", async () => {
    const hfDay = JSON.parse(fs.readFileSync(path.join(FIXTURES, "hf-daily-papers", "2026-06-16.json"), "utf8")) as { paper: { id: string; title: string } }[];
    // arXiv records of featured papers (not the one the other input gives a DOI) that add only a DOI: no dates or
    // categories, so the result does not depend on which run merges first.
    const dois = write(
      "dois/dois.jsonl",
      [...hfDay.slice(1, 4).map(({ paper }) => kaggle({ id: paper.id, title: paper.title, abstract: "arXiv's abstract.", doi: `10.1/${paper.id}`, versions: [] })), kaggle({ id: "2607.00408", title: "Only here", abstract: "x", versions: [] })].join("\n"),
    );
    const reference = await fresh();
    await ingestFiles(reference.pool, inputs, BATCHED);
    await ingestFiles(reference.pool, [dois], BATCHED);

    const database = await fresh();
    const holder = await database.pool.connect();
    await holder.query("SELECT pg_advisory_lock($1)", [INGEST_LOCK]);
    const runs = Promise.all([ingestFiles(database.pool, inputs, BULK), ingestFiles(database.pool, [dois], BULK)]);
    try {
      // Both merges wait for the lock the test holds, with everything staged and nothing written.
      for (let waited = 0; (await count(database.pool, `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`)) < 2; waited += 20) {
        if (waited > 20_000) throw new Error("the two runs never waited for the ingest lock");
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(await count(database.pool, `SELECT count(*)::int AS n FROM paper`)).toBe(0);
    } finally {
      await holder.query("SELECT pg_advisory_unlock($1)", [INGEST_LOCK]);
      holder.release();
    }
    const [first, second] = await runs;
    expect(first.inserted + second.inserted).toBe(batchedSummary.inserted + 1);
    expect(await differences(reference.pool, database.pool)).toEqual([]);
    expect(await count(database.pool, `SELECT count(*)::int AS n FROM paper WHERE doi LIKE '10.1/26%'`)).toBe(3);
  });
});

describe("the bulk path inside a writer", () => {
  it("writes what is staged at each drain, as a harvest between pages needs", async () => {
    const database = await fresh();
    const writer = await IngestWriter.start(database.pool, ["test"], { bulkThreshold: 2 });
    const record = (id: string, title: string) => ({ kind: "record" as const, location: `test#${id}`, candidate: { ...candidateOf(id, title) } });
    await writer.add(record("2607.00501", "First"));
    await writer.add(record("2607.00502", "Second"));
    await writer.add(record("2607.00503", "Third"));
    await writer.drain();
    expect(await count(database.pool, `SELECT count(*)::int AS n FROM paper`)).toBe(3);
    await writer.add(record("2607.00503", "Third, revised"));
    await writer.add(record("2607.00504", "Fourth"));
    const summary = await writer.finish();
    expect(summary).toMatchObject({ read: 5, inserted: 4, updated: 1, unchanged: 0 });
    expect((await database.pool.query(`SELECT title FROM paper WHERE id = '2607.00503'`)).rows).toEqual([{ title: "Third, revised" }]);
    const runs = await database.pool.query(`SELECT status, inserted, updated FROM ingest_run`);
    expect(runs.rows).toEqual([{ status: "succeeded", inserted: 4, updated: 1 }]);
  });

  it("a merge that fails logs the run as failed, writes nothing of it and gives its connection back", async () => {
    const database = await fresh();
    await database.pool.query(`
      CREATE FUNCTION refuse_boom() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.title = 'Boom' THEN RAISE EXCEPTION 'refused: %', NEW.id; END IF; RETURN NEW; END $$;
      CREATE TRIGGER refuse_boom BEFORE INSERT ON paper FOR EACH ROW EXECUTE FUNCTION refuse_boom()`);
    const file = write("boom/boom.jsonl", `${kaggle({ id: "2607.00601", title: "Fine", abstract: "x" })}\n${kaggle({ id: "2607.00602", title: "Boom", abstract: "x" })}\n`);
    await expect(ingestFiles(database.pool, [file], BULK)).rejects.toThrow(/refused: 2607\.00602/);
    expect(await count(database.pool, `SELECT count(*)::int AS n FROM paper`)).toBe(0);
    expect((await database.pool.query(`SELECT status FROM ingest_run`)).rows).toEqual([{ status: "failed" }]);
    expect(database.pool.totalCount - database.pool.idleCount).toBe(0);
    // The pool still works and holds no staging table.
    const next = await ingestFiles(database.pool, [write("boom/fine.jsonl", `${kaggle({ id: "2607.00603", title: "Fine too", abstract: "x" })}\n`)], BULK);
    expect(next).toMatchObject({ inserted: 1 });
  });
});

function candidateOf(id: string, title: string) {
  return candidate({
    id,
    title,
    abstract: `About ${title}.`,
    authors: ["Ada Lovelace"],
    categories: ["cs.LG"],
    publishedAt: "2026-07-06T10:00:00.000Z",
    listedAt: "2026-07-06",
    listedRank: 1,
    source: "arxiv-kaggle",
    externalId: id,
  });
}
