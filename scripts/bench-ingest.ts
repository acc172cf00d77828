// npm run bench:ingest -- --records 1000000: our ingest of a bulk file vs the floor (Postgres COPY of the same rows
// into an unindexed table, then building paper's indexes on it), then a daily harvest into the loaded
// database through the normal path, and the trending query.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import { migrate } from "@/lib/db/migrate";
import type { IndexPlan, MergeOptions } from "@/lib/ingest/bulk-store";
import { arrayLiteral, copyField } from "@/lib/ingest/copy-text";
import { BULK_THRESHOLD, ingestFiles } from "@/lib/ingest/run-ingest";
import { ingestStore } from "@/lib/ingest/store";
import { TRENDING_SQL } from "@/lib/papers/queries";
import { startEmbeddedPostgres } from "@/lib/services/embedded-postgres";
import { dailyHarvest, generatePapers as generate, writeKaggleFile, type GeneratedPaper as Row } from "./bench/papers";
import { loadEnvFiles } from "./env-files";

const { values: args } = parseArgs({
  options: {
    records: { type: "string", default: "1000000" },
    "batch-size": { type: "string", default: "2000" },
    "harvest-records": { type: "string", default: "1000" },
    // keep | rebuild: force how the bulk merge treats paper's secondary indexes (default: its own choice).
    indexes: { type: "string" },
    "database-url": { type: "string" },
  },
});
const RECORDS = Number(args.records);
const BATCH = Number(args["batch-size"]);
const HARVEST = Number(args["harvest-records"]);
const INDEXES = args.indexes as IndexPlan | undefined;
if (INDEXES !== undefined && INDEXES !== "keep" && INDEXES !== "rebuild") throw new Error("--indexes is keep or rebuild");

// The columns our ingest fills for a Kaggle record (the others keep their defaults in both).
const FLOOR_COLUMNS = "id, title, abstract, authors, categories, published_at, source_updated_at, listed_at, listed_rank, comment";

/** The floor: the same rows COPYed into a table shaped like paper (its generated search vector too) without indexes. */
async function copyFloor(client: pg.PoolClient, rows: Iterable<Row>): Promise<number> {
  await client.query(`DROP TABLE IF EXISTS bench_floor; CREATE TABLE bench_floor (LIKE paper INCLUDING DEFAULTS INCLUDING GENERATED)`);
  const lines = function* () {
    let chunk = "";
    for (const row of rows) {
      const created = row.created.toISOString();
      const fields = [row.id, row.title, row.abstract, arrayLiteral(row.authors), arrayLiteral(row.categories), created, `${created.slice(0, 10)}T00:00:00.000Z`, created.slice(0, 10), "1", "10 pages"];
      chunk += `${fields.map(copyField).join("\t")}\n`;
      if (chunk.length > 256 * 1024) {
        yield chunk;
        chunk = "";
      }
    }
    if (chunk) yield chunk;
  };
  const started = performance.now();
  await pipeline(Readable.from(lines()), client.query(copyFrom(`COPY bench_floor (${FLOOR_COLUMNS}) FROM STDIN`)));
  return (performance.now() - started) / 1000;
}

/** Builds every index paper has on the floor table, one by one, with the memory our bulk merge gives its builds. */
async function indexFloor(client: pg.PoolClient): Promise<{ name: string; seconds: number }[]> {
  const { rows: indexes } = await client.query<{ name: string; definition: string }>(
    `SELECT indexrelid::regclass::text AS name, pg_get_indexdef(indexrelid) AS definition FROM pg_index WHERE indrelid = 'paper'::regclass ORDER BY 1`,
  );
  await client.query(`SET maintenance_work_mem = '256MB'`);
  const built: { name: string; seconds: number }[] = [];
  for (const index of indexes) {
    const started = performance.now();
    await client.query(index.definition.replace(/ INDEX (\S+) ON public\.paper /, " INDEX bench_floor_$1 ON bench_floor "));
    built.push({ name: index.name, seconds: (performance.now() - started) / 1000 });
  }
  await client.query(`RESET maintenance_work_mem`);
  return built;
}

function trackPeakRss(): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  return { stop: () => (clearInterval(timer), Math.max(peak, process.memoryUsage().rss)) };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const load = () => os.loadavg().map((value) => value.toFixed(2)).join(" ");

type StoreTimings = Map<string, { calls: number; ms: number }>;

/** Times every operation of the ingest store, by its name, and each phase of a bulk merge, until the returned function is called. */
function timeStore(timings: StoreTimings, phases: StoreTimings): () => void {
  const store = ingestStore as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const originals = { ...store };
  const add = (map: StoreTimings, name: string, ms: number) => {
    const timing = map.get(name) ?? { calls: 0, ms: 0 };
    map.set(name, { calls: timing.calls + 1, ms: timing.ms + ms });
  };
  for (const [name, operation] of Object.entries(originals)) {
    store[name] = (...args: unknown[]) => {
      if (name === "mergeStage") {
        const options = args[1] as MergeOptions;
        args[1] = { ...options, indexes: INDEXES ?? options.indexes, onPhase: (phase: string, ms: number) => add(phases, phase, ms) } satisfies MergeOptions;
      }
      const started = performance.now();
      return operation(...args).finally(() => add(timings, name, performance.now() - started));
    };
  }
  return () => Object.assign(store, originals);
}

function printTimings(title: string, timings: StoreTimings): void {
  console.log(title);
  for (const [name, { calls, ms }] of timings) {
    console.log(`  ${name.padEnd(36)} ${String(calls).padStart(6)} calls, ${(ms / 1000).toFixed(1).padStart(6)} s, ${(ms / calls).toFixed(1)} ms each`);
  }
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
    await pool.query(`TRUNCATE paper CASCADE; TRUNCATE search_outbox`);
    console.log(`load average at start: ${load()} (${os.cpus().length} cores)`);

    console.log(`Generating ${RECORDS.toLocaleString()} Kaggle-format records…`);
    const file = path.join(tmp, "arxiv-bench.jsonl");
    await writeKaggleFile(generate(RECORDS), file);
    console.log(`  ${mb(fs.statSync(file).size)} file`);
    await pool.query("CHECKPOINT");

    const memory = trackPeakRss();
    const storeTimings: StoreTimings = new Map();
    const phases: StoreTimings = new Map();
    const untime = timeStore(storeTimings, phases);
    let started = performance.now();
    const summary = await ingestFiles(pool, [file], { today: "2026-01-01", batchSize: BATCH });
    const ingestSeconds = (performance.now() - started) / 1000;
    untime();
    const peak = memory.stop();
    if (summary.inserted !== RECORDS) throw new Error(`expected ${RECORDS} inserted, got ${JSON.stringify(summary)}`);
    const { rows: queued } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM search_outbox`);
    if (queued[0]!.n !== RECORDS) throw new Error(`expected ${RECORDS} papers queued for search, found ${queued[0]!.n}`);
    console.log(`  ingested (${RECORDS >= BULK_THRESHOLD ? "bulk path" : "batched path"}); load average ${load()}`);

    await pool.query("CHECKPOINT");
    const client = await pool.connect();
    started = performance.now();
    const copySeconds = await copyFloor(client, generate(RECORDS));
    const built = await indexFloor(client);
    const floorSeconds = (performance.now() - started) / 1000;
    await client.query(`DROP TABLE bench_floor`);
    client.release();
    console.log(`  floor done; load average ${load()}`);

    const ours = RECORDS / ingestSeconds;
    const floor = RECORDS / floorSeconds;
    console.log(`\n${RECORDS.toLocaleString()} papers into an empty database:`);
    console.log(`ingest (parse + validate + stage + merge + indexes + outbox): ${ours.toFixed(0)} papers/s (${ingestSeconds.toFixed(1)} s)`);
    console.log(`floor (COPY into an unindexed paper-shaped table + its indexes): ${floor.toFixed(0)} papers/s (${floorSeconds.toFixed(1)} s)`);
    console.log(`  COPY ${copySeconds.toFixed(1)} s; ${built.map((index) => `${index.name} ${index.seconds.toFixed(1)} s`).join(", ")}`);
    console.log(`ratio ingest / floor: ${(ours / floor).toFixed(2)} (target >= 0.5)`);
    console.log(`peak RSS during ingest: ${mb(peak)} (target < 500 MB)`);
    // The COPY into the stage overlaps the parsing; the merge does not.
    printTimings(`\ntime in each ingest store operation:`, storeTimings);
    printTimings(`phases of the bulk merge:`, phases);

    // A day's harvest into the loaded database: new papers and new versions of known ones, through the normal (batched) path.
    const harvestFile = path.join(tmp, "harvest.jsonl");
    await writeKaggleFile(dailyHarvest(RECORDS, HARVEST), harvestFile);
    await pool.query("CHECKPOINT");
    started = performance.now();
    const daily = await ingestFiles(pool, [harvestFile], { today: "2026-01-02", batchSize: BATCH });
    const dailySeconds = (performance.now() - started) / 1000;
    started = performance.now();
    const again = await ingestFiles(pool, [harvestFile], { today: "2026-01-02", batchSize: BATCH });
    const againSeconds = (performance.now() - started) / 1000;
    console.log(`\ndaily harvest of ${HARVEST.toLocaleString()} papers into ${RECORDS.toLocaleString()} (${HARVEST >= BULK_THRESHOLD ? "bulk" : "batched"} path):`);
    console.log(`  ${daily.inserted} inserted, ${daily.updated} updated, ${daily.unchanged} unchanged in ${dailySeconds.toFixed(2)} s (target < 10 s)`);
    console.log(`  the same file again: ${again.inserted} inserted, ${again.updated} updated, ${again.unchanged} unchanged in ${againSeconds.toFixed(2)} s`);

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
    console.log(`\nload average at the end: ${load()}`);
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
