// npm run bench:scale -- --papers 1000000: the site's Postgres statements on an instance of arXiv's size,
// against the same figures at --baseline papers (100,000), with targets and verdicts.
// --reuse <dir> keeps the embedded Postgres and its databases in <dir> for the next run (built once per
// size); without it everything lives in a temp folder removed at the end, unless --keep.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { closeDb, setDatabaseUrl } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { startEmbeddedPostgres } from "@/lib/services/embedded-postgres";
import { onCleanup, positiveInt, runBench, stopOnSignals } from "./bench/lifecycle";
import { buildScaleDatabase, readLoadReport, type LoadReport } from "./bench/scale-db";
import { measureMeilisearch, type MeiliReport } from "./bench/scale-meili";
import { measureFallback, measurePageAndHealth, measureTrending, type FallbackReport, type PageReport, type Timing, type TrendingReport } from "./bench/scale-measure";

const { values: args } = parseArgs({
  options: {
    papers: { type: "string", default: "1000000" },
    // The size the growth is measured from; 0 measures --papers alone.
    baseline: { type: "string", default: "100000" },
    reuse: { type: "string" },
    keep: { type: "boolean", default: false },
    rebuild: { type: "boolean", default: false },
    repeats: { type: "string", default: "20" },
    queries: { type: "string", default: "400" },
    typos: { type: "string", default: "100" },
    seed: { type: "string", default: "11" },
    // Also index each size in Meilisearch (search:reindex's rebuild), search it and reconcile it: long at 1,000,000.
    meili: { type: "boolean", default: false },
  },
});

const PAPERS = positiveInt("papers", args.papers);
const BASELINE = args.baseline === "0" ? 0 : positiveInt("baseline", args.baseline);
const REPEATS = positiveInt("repeats", args.repeats);
const QUERIES = positiveInt("queries", args.queries);
const TYPOS = positiveInt("typos", args.typos);
const SEED = positiveInt("seed", args.seed);

type SizeReport = {
  papers: number;
  load: LoadReport;
  built: boolean;
  migration: { applied: string[]; seconds: number } | undefined;
  disk: { database: number; relations: { name: string; bytes: number }[] };
  trending: TrendingReport;
  fallback: FallbackReport;
  page: PageReport;
  meili: MeiliReport | undefined;
  loadAverage: number[];
};

const ms = (value: number) => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2));
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toLocaleString("en-US", { maximumFractionDigits: 0 })} MB`;
const timing = (t: Timing) => `p50 ${ms(t.p50)} ms, p95 ${ms(t.p95)} ms`;
const loadAverage = () => os.loadavg().map((value) => value.toFixed(2));

function directorySize(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += directorySize(full);
    else if (entry.isFile()) total += fs.statSync(full).size;
  }
  return total;
}

async function diskUse(pool: pg.Pool): Promise<SizeReport["disk"]> {
  const { rows: [database] } = await pool.query<{ bytes: string }>(`SELECT pg_database_size(current_database())::text AS bytes`);
  const { rows } = await pool.query<{ name: string; bytes: string }>(
    `SELECT c.relname AS name, pg_relation_size(c.oid)::text AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'i') AND pg_relation_size(c.oid) > 1048576
     UNION ALL
     SELECT 'paper (TOAST)', pg_relation_size(reltoastrelid)::text FROM pg_class WHERE relname = 'paper' AND reltoastrelid <> 0
     ORDER BY 2 DESC`,
  );
  return { database: Number(database!.bytes), relations: rows.map((row) => ({ name: row.name, bytes: Number(row.bytes) })).sort((a, b) => b.bytes - a.bytes) };
}

async function measureSize(adminUrl: string, papers: number, dir: string): Promise<SizeReport> {
  const name = `scale_${papers}`;
  let load = args.rebuild ? undefined : await readLoadReport(adminUrl, name, papers);
  const built = !load;
  if (!load) {
    console.log(`Building ${name} (${papers.toLocaleString("en-US")} papers)…`);
    load = await buildScaleDatabase(adminUrl, name, papers, (line) => console.log(line));
    console.log(`  built in ${load.totalSeconds.toFixed(0)} s (COPY ${load.copySeconds.toFixed(0)} s, VACUUM ANALYZE ${load.vacuumSeconds.toFixed(0)} s)`);
  } else {
    console.log(`Reusing ${name} (${papers.toLocaleString("en-US")} papers, built in ${load.totalSeconds.toFixed(0)} s).`);
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  // A kept database gets the migrations written since it was built, as a running site would.
  const migrationStarted = performance.now();
  const applied = await migrate(url.toString());
  const migration = applied.length > 0 ? { applied, seconds: (performance.now() - migrationStarted) / 1000 } : undefined;
  if (migration) {
    console.log(`  applied ${applied.join(", ")} in ${migration.seconds.toFixed(1)} s; VACUUM ANALYZE (autovacuum would, later)…`);
    const vacuum = new pg.Client({ connectionString: url.toString() });
    await vacuum.connect();
    await vacuum.query("VACUUM (ANALYZE) paper").finally(() => vacuum.end());
  }
  await closeDb();
  setDatabaseUrl(url.toString());
  const pool = new pg.Pool({ connectionString: url.toString(), max: 4 });
  try {
    const disk = await diskUse(pool);
    // Warm the caches the way a running site has them: one pass over the indexes the statements use.
    await pool.query(`SELECT count(*) FROM paper`);
    console.log(`Measuring ${name} (load average ${loadAverage().join(" ")})…`);
    const trending = await measureTrending(pool, REPEATS);
    const fallback = await measureFallback(pool, url.toString(), QUERIES, TYPOS, SEED);
    const page = await measurePageAndHealth(pool, REPEATS * 5, SEED);
    const meili = args.meili ? await measureMeilisearch(pool, url.toString(), path.join(dir, `meili-${papers}`), papers, QUERIES, SEED, (line) => console.log(line)) : undefined;
    return { papers, load, built, migration, disk, trending, fallback, page, meili, loadAverage: os.loadavg() };
  } finally {
    await pool.end();
    await closeDb();
  }
}

function printSize(report: SizeReport): void {
  const n = report.papers.toLocaleString("en-US");
  console.log(`\n=== ${n} papers (listed ${report.load.first} to ${report.load.last}) ===`);
  console.log(`disk: database ${mb(report.disk.database)}; ${report.disk.relations.map((r) => `${r.name} ${mb(r.bytes)}`).join(", ")}`);
  if (report.migration) console.log(`migrations applied to the kept database: ${report.migration.applied.join(", ")} in ${report.migration.seconds.toFixed(1)} s`);
  console.log(`build: ${report.load.totalSeconds.toFixed(0)} s (COPY ${report.load.copySeconds.toFixed(0)} s; indexes ${Object.entries(report.load.indexSeconds).map(([name, s]) => `${name} ${s.toFixed(0)} s`).join(", ")}; VACUUM ANALYZE ${report.load.vacuumSeconds.toFixed(0)} s)`);
  console.log(`\ntrending statement (TRENDING_SQL, a page of 31):`);
  console.log(`  ${"window".padEnd(7)} ${"ends".padEnd(18)} ${"category".padEnd(9)} ${"papers".padStart(7)}  timing`);
  for (const c of report.trending.cases) {
    console.log(`  ${c.period.padEnd(7)} ${`${c.date} (${c.label})`.padEnd(18)} ${(c.category ?? "all").padEnd(9)} ${String(c.total).padStart(7)}  ${timing(c.timing)}`);
  }
  for (const [period, t] of Object.entries(report.trending.byPeriod)) console.log(`  ${period}: all dates and categories ${timing(t)}`);
  for (const [period, t] of Object.entries(report.trending.page)) console.log(`  listTrending({ period: "${period}" }) as the home page calls it: ${timing(t)}`);
  for (const { label, plan } of report.trending.plans) console.log(`\n  plan, ${label}:\n${plan.replace(/^/gm, "    ")}`);
  const f = report.fallback;
  console.log(`\nsearch fallback (searchPostgres beside the exact-match lookup, 1 client, ${f.overall.n} queries): ${timing(f.overall)}, max ${ms(f.overall.max)} ms, ${f.failures} failed`);
  for (const [kind, t] of Object.entries(f.byKind)) console.log(`  ${kind.padEnd(13)} ${String(t.n).padStart(4)} queries, ${timing(t)}, max ${ms(t.max)} ms`);
  console.log(`  typo'd titles: ${f.hits.found}/${f.hits.tried} found in the top 10 (${timing(f.typoTiming)})`);
  for (const miss of f.hits.missed.slice(0, 5)) console.log(`    missed ${miss.id}: ${JSON.stringify(miss.query)}`);
  console.log(`\n  plans of the fallback for ${f.plan.replace(/\n/, ":\n").replace(/^/gm, "    ").trimStart()}`);
  console.log(`\npaper page (paperDetail + paperSources): ${timing(report.page.paper)}`);
  console.log(`/api/health's queries (latestListedDay, harvestStatus, digestHealth): ${timing(report.page.health)}`);
  console.log(`similar papers: asks Meilisearch only (lib/search/similar.ts), no Postgres statement to measure`);
  const m = report.meili;
  if (m) {
    console.log(`\nMeilisearch (2 indexing threads, 256 MiB indexing memory, as npm start runs it):`);
    if (m.reindex) console.log(`  search:reindex's rebuild: ${m.reindex.seconds.toFixed(0)} s (${m.reindex.papersPerSecond.toFixed(0)} papers/s), Meilisearch peak RSS ${m.reindex.meiliPeakMb.toFixed(0)} MB, reindexing process peak RSS ${m.reindex.benchPeakMb.toFixed(0)} MB`);
    console.log(`  index on disk ${m.diskMb.toFixed(0)} MB; Meilisearch RSS after searching ${m.meiliRssMb.toFixed(0)} MB`);
    console.log(`  searchPapers() (Meilisearch plus the exact-match lookup), 1 client, ${m.search.overall.n} queries: ${timing(m.search.overall)}, ${m.search.degraded} answered by the fallback`);
    for (const [kind, t] of Object.entries(m.search.byKind)) console.log(`    ${kind.padEnd(13)} ${timing(t)}`);
    if ("overall" in m.api) console.log(`  /api/search of the web server as npm start runs it (HTTP keep-alive), 1 client, as many other queries of the mix (after the pass above: the index is warm): ${timing(m.api.overall)}, ${m.api.failed} not 200`);
    else console.log(`  /api/search: not measured (${m.api.skipped})`);
    console.log(`  reconcile: ${m.reconcile.seconds.toFixed(1)} s, its process peak RSS ${m.reconcile.benchPeakMb.toFixed(0)} MB, Meilisearch peak RSS ${m.reconcile.meiliPeakMb.toFixed(0)} MB, ${m.reconcile.repaired} papers to repair`);
  }
  console.log(`load average after: ${report.loadAverage.map((value) => value.toFixed(2)).join(" ")}`);
}

type Row = { figure: string; target: string; value: (r: SizeReport) => number; format: (v: number) => string; pass?: (v: number) => boolean };

function printSummary(reports: SizeReport[]): void {
  const rows: Row[] = [
    ...(["day", "week", "month"] as const).map((period): Row => ({
      figure: `trending ${period}, p95 (3 dates × 3 categories)`, target: "< 20 ms",
      value: (r) => r.trending.byPeriod[period].p95, format: (v) => `${ms(v)} ms`, pass: (v) => v < 20,
    })),
    ...(["day", "week", "month"] as const).map((period): Row => ({
      figure: `home page listTrending ${period}, p95`, target: "", value: (r) => r.trending.page[period].p95, format: (v) => `${ms(v)} ms`,
    })),
    { figure: "search fallback, 1 client, p50", target: "", value: (r) => r.fallback.overall.p50, format: (v) => `${ms(v)} ms` },
    { figure: "search fallback, 1 client, p95", target: "< 500 ms", value: (r) => r.fallback.overall.p95, format: (v) => `${ms(v)} ms`, pass: (v) => v < 500 },
    ...(["word", "phrase", "typo'd title", "arXiv id"] as const).map((kind): Row => ({
      figure: `  ${kind}s, p95`, target: "", value: (r) => r.fallback.byKind[kind]?.p95 ?? NaN, format: (v) => `${ms(v)} ms`,
    })),
    { figure: "typo'd title in the top 10", target: ">= 90/100", value: (r) => (100 * r.fallback.hits.found) / r.fallback.hits.tried, format: (v) => `${v.toFixed(0)}/100`, pass: (v) => v >= 90 },
    { figure: "paper page statements, p95", target: "", value: (r) => r.page.paper.p95, format: (v) => `${ms(v)} ms` },
    { figure: "/api/health statements, p95", target: "", value: (r) => r.page.health.p95, format: (v) => `${ms(v)} ms` },
    { figure: "database on disk", target: "", value: (r) => r.disk.database, format: mb },
    ...(reports.every((r) => r.meili) ? ([
      { figure: "searchPapers() with Meilisearch, 1 client, p95", target: "", value: (r) => r.meili!.search.overall.p95, format: (v) => `${ms(v)} ms` },
      ...(reports.every((r) => "overall" in r.meili!.api) ? [
        { figure: "/api/search, 1 client, p95", target: "< 50 ms", value: (r: SizeReport) => (r.meili!.api as { overall: Timing }).overall.p95, format: (v: number) => `${ms(v)} ms`, pass: (v: number) => v < 50 },
      ] : []),
      ...(reports.every((r) => r.meili!.reindex) ? [
        { figure: "search:reindex rebuild", target: "", value: (r: SizeReport) => r.meili!.reindex!.seconds, format: (v: number) => `${v.toFixed(0)} s` },
        { figure: "  Meilisearch peak RSS while indexing", target: "", value: (r: SizeReport) => r.meili!.reindex!.meiliPeakMb, format: (v: number) => `${v.toFixed(0)} MB` },
      ] : []),
      { figure: "Meilisearch index on disk", target: "", value: (r) => r.meili!.diskMb, format: (v) => `${v.toFixed(0)} MB` },
      { figure: "reconcile", target: "", value: (r) => r.meili!.reconcile.seconds, format: (v) => `${v.toFixed(1)} s` },
      { figure: "  its process peak RSS", target: "", value: (r) => r.meili!.reconcile.benchPeakMb, format: (v) => `${v.toFixed(0)} MB` },
    ] as Row[]) : []),
    { figure: "build by COPY + indexes", target: "", value: (r) => r.load.totalSeconds, format: (v) => `${v.toFixed(0)} s` },
  ];
  const sizes = reports.map((r) => r.papers.toLocaleString("en-US"));
  const header = ["figure", "target", ...sizes, ...(reports.length > 1 ? ["growth"] : []), "verdict"];
  const table = rows.map((row) => {
    const values = reports.map((r) => row.value(r));
    const last = values[values.length - 1]!;
    const growth = reports.length > 1 ? [`${(last / values[0]!).toFixed(2)}x`] : [];
    return [row.figure, row.target || "–", ...values.map(row.format), ...growth, row.pass ? (row.pass(last) ? "met" : "NOT MET") : "–"];
  });
  const widths = header.map((_, i) => Math.max(header[i]!.length, ...table.map((line) => line[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(" | ")} |`;
  console.log(`\n${line(header)}\n| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`);
  for (const cells of table) console.log(line(cells));
  console.log(`\nPapers grew ${reports.length > 1 ? `${(reports[reports.length - 1]!.papers / reports[0]!.papers).toFixed(0)}x` : "–"}; load average ${loadAverage().join(" ")} (2-core machine: above 2 means something else was running).`);
}

async function main() {
  stopOnSignals("stopping Postgres");
  const reused = args.reuse !== undefined;
  const dir = args.reuse ? path.resolve(args.reuse) : fs.mkdtempSync(path.join(os.tmpdir(), "bench-scale-"));
  fs.mkdirSync(dir, { recursive: true });
  fs.chmodSync(dir, 0o755);
  if (!reused && !args.keep) onCleanup(() => fs.rmSync(dir, { recursive: true, force: true }));
  const postgres = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), port: 0, log: (line) => console.log(line) });
  onCleanup(() => postgres.stop());
  console.log(`Postgres data: ${path.join(dir, "pg")}${reused ? " (kept: --reuse)" : args.keep ? " (kept: --keep)" : " (removed at the end)"}; load average ${loadAverage().join(" ")}`);

  const reports: SizeReport[] = [];
  for (const papers of [...new Set([BASELINE, PAPERS])].filter((n) => n > 0).sort((a, b) => a - b)) {
    const report = await measureSize(postgres.url, papers, dir);
    printSize(report);
    reports.push(report);
  }
  printSummary(reports);
  const clusterState = JSON.parse(fs.readFileSync(path.join(dir, "pg", "postgres.json"), "utf8")) as { dataDir: string };
  console.log(`Postgres cluster on disk (every size, WAL included): ${mb(directorySize(clusterState.dataDir))} in ${clusterState.dataDir}`);
  if (!reused) console.log(args.keep ? `Kept: run again with --reuse ${dir}` : `Removing ${dir}.`);
}

runBench(main);
