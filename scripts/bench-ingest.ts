// npm run bench:ingest -- --records 200000: our ingest vs raw Postgres COPY of the same rows, plus the trending query.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import { migrate } from "@/lib/db/migrate";
import { ingestFiles } from "@/lib/ingest/run-ingest";
import { ingestStore } from "@/lib/ingest/store";
import { TRENDING_SQL } from "@/lib/papers/queries";
import { startEmbeddedPostgres } from "@/lib/services/embedded-postgres";
import { generatePapers as generate, writeKaggleFile, type GeneratedPaper as Row } from "./bench/papers";
import { loadEnvFiles } from "./env-files";

const { values: args } = parseArgs({
  options: {
    records: { type: "string", default: "200000" },
    "batch-size": { type: "string", default: "2000" },
    "database-url": { type: "string" },
  },
});
const RECORDS = Number(args.records);
const BATCH = Number(args["batch-size"]);

function copyText(value: string | null): string {
  return value === null ? "\\N" : value.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r");
}

function pgArray(values: string[]): string {
  return `{${values.map((value) => `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`).join(",")}}`;
}

async function copyRows(pool: pg.Pool, rows: Iterable<Row>): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query(`DROP TABLE IF EXISTS bench_copy; CREATE TABLE bench_copy (LIKE paper INCLUDING ALL)`);
    const lines = function* () {
      for (const row of rows) {
        yield [
          row.id, row.title, row.abstract, pgArray(row.authors), pgArray(row.categories), row.created.toISOString(),
          row.created.toISOString().slice(0, 10), "1",
        ].map(copyText).join("\t") + "\n";
      }
    };
    const copy = client.query(copyFrom(`COPY bench_copy (id, title, abstract, authors, categories, published_at, listed_at, listed_rank) FROM STDIN`));
    await pipeline(Readable.from(lines()), copy);
  } finally {
    client.release();
  }
}

function trackPeakRss(): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  return { stop: () => (clearInterval(timer), Math.max(peak, process.memoryUsage().rss)) };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

type StoreTimings = Map<string, { calls: number; ms: number }>;

/** Times every operation of the ingest store, by its name, until the returned function is called. */
function timeStore(timings: StoreTimings): () => void {
  const store = ingestStore as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const originals = { ...store };
  for (const [name, operation] of Object.entries(originals)) {
    store[name] = (...args: unknown[]) => {
      const started = performance.now();
      return operation(...args).finally(() => {
        const timing = timings.get(name) ?? { calls: 0, ms: 0 };
        timings.set(name, { calls: timing.calls + 1, ms: timing.ms + performance.now() - started });
      });
    };
  }
  return () => Object.assign(store, originals);
}

async function main() {
  loadEnvFiles();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bench-ingest-"));
  fs.chmodSync(tmp, 0o755);
  const postgres = args["database-url"] ? undefined : await startEmbeddedPostgres({ dataDir: path.join(tmp, "pg"), port: 0, database: "bench" });
  const url = args["database-url"] ?? postgres!.url;
  try {
    await migrate(url);
    const pool = new pg.Pool({ connectionString: url, max: 4 });
    await pool.query(`TRUNCATE paper CASCADE`);

    console.log(`Generating ${RECORDS.toLocaleString()} Kaggle-format records…`);
    const file = path.join(tmp, "arxiv-bench.jsonl");
    await writeKaggleFile(generate(RECORDS), file);
    console.log(`  ${mb(fs.statSync(file).size)} file`);

    const memory = trackPeakRss();
    const storeTimings: StoreTimings = new Map();
    const untime = timeStore(storeTimings);
    let started = performance.now();
    const summary = await ingestFiles(pool, [file], { today: "2026-01-01", batchSize: BATCH });
    const ingestSeconds = (performance.now() - started) / 1000;
    untime();
    const peak = memory.stop();
    if (summary.inserted !== RECORDS) throw new Error(`expected ${RECORDS} inserted, got ${JSON.stringify(summary)}`);

    started = performance.now();
    await copyRows(pool, generate(RECORDS));
    const copySeconds = (performance.now() - started) / 1000;

    const ours = RECORDS / ingestSeconds;
    const copy = RECORDS / copySeconds;
    console.log(`\ningest (parse + validate + upsert): ${ours.toFixed(0)} papers/s (${ingestSeconds.toFixed(1)} s)`);
    console.log(`COPY into a scratch table:          ${copy.toFixed(0)} papers/s (${copySeconds.toFixed(1)} s)`);
    console.log(`ratio ingest / COPY:                ${(ours / copy).toFixed(2)} (target >= 0.5)`);
    console.log(`peak RSS during ingest:             ${mb(peak)} (target < 500 MB)`);
    // A batch is written while the next one is parsed, so the store's time overlaps the parsing.
    console.log(`\ntime in each ingest store operation (overlapping the parsing):`);
    for (const [name, { calls, ms }] of storeTimings) {
      console.log(`  ${name.padEnd(14)} ${String(calls).padStart(6)} calls, ${(ms / 1000).toFixed(1)} s, ${(ms / calls).toFixed(1)} ms each`);
    }

    await pool.query("ANALYZE paper");
    const { rows: busiest } = await pool.query<{ day: string; n: number }>(
      `SELECT listed_at::text AS day, count(*)::int AS n FROM paper GROUP BY 1 ORDER BY 2 DESC LIMIT 1`,
    );
    const day = busiest[0]!.day;
    // The home page's statement for a one-day window, its first page (to, from, half-life, limit, offset, category).
    const window = [day, day, 1, 31, 0, null];
    const timings: number[] = [];
    for (let i = 0; i < 50; i++) {
      const t = performance.now();
      await pool.query(TRENDING_SQL, window);
      timings.push(performance.now() - t);
    }
    timings.sort((a, b) => a - b);
    console.log(`\ntrending query for ${day} (${busiest[0]!.n} papers that day, ${RECORDS} in all): p50 ${timings[25]!.toFixed(2)} ms, p95 ${timings[47]!.toFixed(2)} ms (target < 20 ms)`);
    const plan = await pool.query(`EXPLAIN (ANALYZE, COSTS OFF) ${TRENDING_SQL}`, window);
    console.log(plan.rows.map((row) => `  ${row["QUERY PLAN"]}`).join("\n"));
    await pool.end();
  } finally {
    await postgres?.stop();
    if (!process.env.BENCH_KEEP) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
