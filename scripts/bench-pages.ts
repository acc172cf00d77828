// npm run bench:pages -- --papers 200000 --concurrency 16: the site's pages under load (autocannon, gzip as a
// browser asks) through the web server as npm start runs it, page cache included, against the floor of a static
// file as large as the day page served by the same process; once warm, once right after each page's cache entry
// was invalidated. Prints req/s, latency, bytes, the x-cache answers, CPU per request and the web process's memory.
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import zlib from "node:zlib";
import autocannon from "autocannon";
import type pg from "pg";
import { announceChange } from "@/lib/cache/notify";
import { DIGESTS_TAG, PAPERS_TAG, TRENDING_TAG, digestTag, paperTag } from "@/lib/cache/tags";
import { closeDb, setDatabaseUrl } from "@/lib/db/client";
import { computeDigest, defaultDigestDate } from "@/lib/digest/build";
import { freezeDigest } from "@/lib/digest/plan";
import { env } from "@/lib/env";
import { paperPath } from "@/lib/papers/identity";
import { freePort } from "@/lib/services/ports";
import { loadCorpus } from "./bench/corpus";
import { addCpu, cpuSupported, otherCpu, sampleCpu, snapshotProcesses, type CpuSample, type ProcessGroups } from "./bench/cpu";
import { indexForSearch, instanceCpuGroups, makeTempDir, startNext, startServices, webServerEnv } from "./bench/instance";
import { onCleanup, positiveInt, runBench, stopOnSignals } from "./bench/lifecycle";
import { statusMb, watchRss } from "./bench/rss";
import { percentile } from "./bench/stats";

const { values: args } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== "--"),
  options: {
    papers: { type: "string", default: "200000" },
    concurrency: { type: "string", default: "16" },
    // Measured seconds per page, after `warmup` seconds of the same load that are not counted.
    seconds: { type: "string", default: "8" },
    warmup: { type: "string", default: "2" },
  },
});

const PAPERS = positiveInt("papers", args.papers);
const CONCURRENCY = positiveInt("concurrency", args.concurrency);
const SECONDS = positiveInt("seconds", args.seconds);
const WARMUP = positiveInt("warmup", args.warmup);
const INDEX = "bench_papers";
/** A browser's request for a page, as far as the server answers differently: it takes gzip. */
const BROWSER = { accept: "text/html,application/xhtml+xml,*/*;q=0.8", "accept-encoding": "gzip", "user-agent": "bench-pages" };
/** Long enough for the announcement to reach the web server's listener (one NOTIFY on loopback), as after any write. */
const ANNOUNCE_SETTLE_MS = 50;
const TARGETS = { floorRatio: 0.5, cachedP95: 100, searchP95: 250, rssMb: 400 };

stopOnSignals("stopping the load, the web server, Meilisearch and Postgres");

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// Requests: one raw probe (bytes as sent, not decoded), and the load itself.

type Probe = { status: number; headers: http.IncomingHttpHeaders; body: Buffer };

function probe(url: string, headers: Record<string, string>): Promise<Probe> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on("error", reject);
    });
    request.on("error", reject);
    request.setTimeout(30_000, () => request.destroy(new Error(`no answer from ${url} within 30 s`)));
  });
}

/** The page as the browser reads it: the body, decoded when it came gzipped. */
function decoded(reply: Probe): Buffer {
  return reply.headers["content-encoding"] === "gzip" ? zlib.gunzipSync(reply.body) : reply.body;
}

type Load = {
  requests: number;
  seconds: number;
  latencies: number[];
  bytes: number;
  statuses: Map<number, number>;
  cache: Map<string, number>;
  errors: number;
  timeouts: number;
  cpu: CpuSample;
};

let cpuGroups: ProcessGroups = {};
let running: autocannon.Instance | undefined;

/** `seconds` of CONCURRENCY connections asking for `url` as fast as answers come (a closed loop, no pipelining). */
async function load(url: string, seconds: number, headers: Record<string, string> = BROWSER): Promise<Load> {
  const result: Load = { requests: 0, seconds: 0, latencies: [], bytes: 0, statuses: new Map(), cache: new Map(), errors: 0, timeouts: 0, cpu: {} };
  const cacheStatus = new Map<autocannon.Client, string>();
  const cpuBefore = sampleCpu(cpuGroups);
  const started = performance.now();
  const summary = await new Promise<autocannon.Result>((resolve, reject) => {
    running = autocannon(
      {
        url,
        connections: CONCURRENCY,
        pipelining: 1,
        duration: seconds,
        headers,
        // Each answer's x-cache, read from the parsed head and counted with its response. @types/autocannon calls
        // the head IncomingHttpHeaders, but autocannon passes http-parser-js's: { headers: [name, value, name, value…] }.
        setupClient: (client) => {
          client.on("headers", (head) => {
            const raw = (head as unknown as { headers?: string[] }).headers ?? [];
            let status = "-";
            for (let i = 0; i + 1 < raw.length; i += 2) if (raw[i]!.toLowerCase() === "x-cache") status = raw[i + 1]!;
            cacheStatus.set(client, status);
          });
        },
      },
      (error: Error | null, done: autocannon.Result) => (error ? reject(error) : resolve(done)),
    );
    running.on("response", (client, statusCode, resBytes, responseTime) => {
      const status = cacheStatus.get(client) ?? "-";
      result.cache.set(status, (result.cache.get(status) ?? 0) + 1);
      result.latencies.push(responseTime);
      result.bytes += resBytes;
      result.statuses.set(statusCode, (result.statuses.get(statusCode) ?? 0) + 1);
    });
  });
  running = undefined;
  result.seconds = (performance.now() - started) / 1000;
  result.requests = result.latencies.length;
  result.errors = summary.errors;
  result.timeouts = summary.timeouts;
  addCpu(result.cpu, cpuBefore, sampleCpu(cpuGroups));
  return result;
}

// ---------------------------------------------------------------------------------------------
// Reporting.

type Stats = { rps: number; p50: number; p95: number; p99: number; bytes: number; non2xx: number; failed: number; cache: string; cpu: CpuSample; requests: number };

function stats(run: Load): Stats {
  const sorted = [...run.latencies].sort((a, b) => a - b);
  const non2xx = [...run.statuses].filter(([status]) => status < 200 || status > 299).reduce((sum, [, count]) => sum + count, 0);
  const order = ["HIT", "MISS", "BYPASS", "-"];
  const cache = [...run.cache].sort(([a], [b]) => order.indexOf(a) - order.indexOf(b)).map(([status, count]) => `${status === "-" ? "none" : status} ${count}`).join(", ");
  const cpu: CpuSample = {};
  for (const [name, ms] of Object.entries(run.cpu)) cpu[name] = run.requests > 0 ? ms / run.requests : NaN;
  return {
    rps: run.requests / run.seconds, p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), p99: percentile(sorted, 0.99),
    bytes: run.requests > 0 ? run.bytes / run.requests : NaN, non2xx, failed: non2xx + run.errors + run.timeouts, cache, cpu, requests: run.requests,
  };
}

const ms = (value: number) => (Number.isNaN(value) ? "-" : value.toFixed(value < 10 ? 2 : 1));
const statusText = (run: Load) => [...run.statuses].sort(([a], [b]) => a - b).map(([status, count]) => `${status}: ${count}`).join(", ");

type Page = { label: string; path: string; kind: "cacheable" | "search" | "floor"; headers?: Record<string, string> };
/** One measured load, and the web process's highest VmRSS during it. */
type Row = { page: Page; stats: Stats; run: Load; rssMb: number };

function printTable(title: string, rows: Row[], floorRps: number): void {
  console.log(`\n${title}`);
  const cpuNames = ["next", "postgres", "meilisearch", "self"];
  console.log(
    `  ${"page".padEnd(28)}${"req/s".padStart(8)}${"p50 ms".padStart(9)}${"p95 ms".padStart(9)}${"p99 ms".padStart(9)}${"bytes/resp".padStart(12)}${"x floor".padStart(9)}` +
      `${"non-2xx".padStart(9)}${"RSS MB".padStart(8)}   ${cpuSupported ? "CPU ms/req web/pg/meili/bench".padEnd(31) : ""}x-cache`,
  );
  for (const { page, stats: s, run, rssMb } of rows) {
    const cpu = cpuSupported ? cpuNames.map((name) => (s.cpu[name] ?? NaN).toFixed(2)).join("/").padEnd(31) : "";
    const failed = s.failed > 0 ? `${s.failed}${run.errors || run.timeouts ? ` (${run.errors} errors, ${run.timeouts} timeouts)` : ""}` : "0";
    console.log(
      `  ${page.label.padEnd(28)}${s.rps.toFixed(0).padStart(8)}${ms(s.p50).padStart(9)}${ms(s.p95).padStart(9)}${ms(s.p99).padStart(9)}` +
        `${s.bytes.toFixed(0).padStart(12)}${`${(s.rps / floorRps).toFixed(2)}x`.padStart(9)}${failed.padStart(9)}${rssMb.toFixed(0).padStart(8)}   ${cpu}${s.cache || "-"}`,
    );
  }
}

const verdict = (met: boolean) => (met ? "met" : "NOT met");

function printVerdicts(title: string, rows: Row[], floorRps: number): boolean {
  console.log(`\ntargets, ${title}:`);
  let all = true;
  for (const { page, stats: s } of rows) {
    if (page.kind === "cacheable") {
      const ratio = s.rps / floorRps;
      const met = ratio >= TARGETS.floorRatio && s.p95 < TARGETS.cachedP95;
      all &&= met;
      console.log(`  ${page.label.padEnd(28)}>= ${TARGETS.floorRatio}x floor and p95 < ${TARGETS.cachedP95} ms   ${`${ratio.toFixed(2)}x, ${ms(s.p95)} ms`.padStart(18)}   ${verdict(met)}`);
    } else if (page.kind === "search") {
      const met = s.p95 < TARGETS.searchP95;
      all &&= met;
      console.log(`  ${page.label.padEnd(28)}p95 < ${TARGETS.searchP95} ms                    ${`${ms(s.p95)} ms`.padStart(18)}   ${verdict(met)}`);
    }
  }
  return all;
}

function loadAverage(): string {
  return os.loadavg().map((value) => value.toFixed(2)).join(" / ");
}

// ---------------------------------------------------------------------------------------------
// The instance's content: a frozen digest for the latest day, its first paper, a common title word.

// Words nobody searches for alone (as in bench-search).
const STOP = new Set("with that this from which their these those such into than have also both while through where when were been they them then there what more most only other over under using upon about between within without across".split(" "));

/** The most frequent title word (5 letters or more) in a sample of titles: a search with many hits. */
async function commonWord(pool: pg.Pool): Promise<string> {
  const { rows } = await pool.query<{ title: string }>(`SELECT title FROM paper TABLESAMPLE SYSTEM (5) REPEATABLE (7) LIMIT 5000`);
  const counts = new Map<string, number>();
  for (const { title } of rows) {
    for (const word of title.toLowerCase().split(/[^\p{L}]+/u)) if (word.length >= 5 && !STOP.has(word)) counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  const best = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
  if (!best) throw new Error("the corpus has no title words to search for");
  return best[0];
}

// ---------------------------------------------------------------------------------------------
// The static floor: a file in public/, which Next's production server lists once, when it starts.

/** Writes a placeholder now (its name must exist before the server starts); its content is set later. */
function placeFloorFile(): { file: string; urlPath: string } {
  const dir = path.join(process.cwd(), "public");
  const created = !fs.existsSync(dir);
  fs.mkdirSync(dir, { recursive: true });
  const name = `bench-floor-${process.pid}.html`;
  const file = path.join(dir, name);
  fs.writeFileSync(file, "<!doctype html><title>floor</title>\n");
  onCleanup(() => {
    fs.rmSync(file, { force: true });
    if (created && fs.readdirSync(dir).length === 0) fs.rmdirSync(dir);
  });
  return { file, urlPath: `/${name}` };
}

/** Waits until the page cache answers: GET / until one answer is a HIT (the listener enables the cache once it hears changes). */
async function waitForPageCache(baseUrl: string): Promise<string[]> {
  const seen: string[] = [];
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const reply = await probe(`${baseUrl}/`, BROWSER);
    if (reply.status !== 200) throw new Error(`GET / answered ${reply.status}`);
    const status = String(reply.headers["x-cache"] ?? "none");
    seen.push(status);
    if (status === "HIT") return seen;
    if (status !== "MISS") await sleep(200);
  }
  throw new Error(`the page cache never answered HIT to GET / within 60 s (answers: ${seen.slice(-10).join(", ")})`);
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(".next", "BUILD_ID"))) {
    throw new Error("No production build in .next (BUILD_ID is missing): run `npm run build` first; this benchmark never builds.");
  }
  const tmp = makeTempDir("bench-pages-");
  const services = await startServices(tmp, 8);
  const { postgres, pool } = services;

  const corpus = await loadCorpus(pool, tmp, { papers: PAPERS });
  console.log(`ingest: ${corpus.papers.toLocaleString()} papers in ${corpus.ingestSeconds.toFixed(1)} s`);
  const { indexed, seconds: indexSeconds, searchKey } = await indexForSearch(services, INDEX);
  console.log(`index:  ${indexed.toLocaleString()} papers in ${indexSeconds.toFixed(1)} s`);

  setDatabaseUrl(postgres.url);
  onCleanup(() => closeDb());
  const date = await defaultDigestDate();
  if (!date) throw new Error("no listed papers to build a digest from");
  const { digest } = await freezeDigest(await computeDigest(date, env.DIGEST_SIZE));
  const paper = digest.papers[0];
  if (!paper) throw new Error(`the digest of ${date} has no papers`);
  const { rows: [window] } = await pool.query<{ days: number; day: number; week: number; month: number }>(
    `SELECT count(DISTINCT listed_at)::int AS days, count(*) FILTER (WHERE listed_at = $1::date)::int AS day,
            count(*) FILTER (WHERE listed_at > $1::date - 7)::int AS week, count(*) FILTER (WHERE listed_at > $1::date - 30)::int AS month FROM paper`,
    [date],
  );
  const word = await commonWord(pool);
  console.log(`latest day ${date}: ${window?.day} papers that day, ${window?.week} in its week, ${window?.month} in its month (${window?.days} listing days in all)`);
  console.log(`digest of ${date} frozen (${digest.papers.length} papers); paper page: ${paper.id}; search word: "${word}"`);

  const floor = placeFloorFile();
  const port = await freePort(0);
  const webEnv = webServerEnv(services, { index: INDEX, searchKey, port, dataDir: path.join(tmp, "data"), tokenSecret: "bench-pages-token-secret-0123456789abcdefgh" });
  const web = await startNext(webEnv, port, path.join(tmp, "web.log"));
  const webPid = web.pid;
  if (webPid === undefined) throw new Error("the web server has no pid");
  onCleanup(() => running?.stop());
  const baseUrl = web.url;
  console.log(`web server on ${baseUrl}, pid ${webPid} (node --import tsx scripts/web.ts, as npm start runs it, on the build in .next)`);
  const answers = await waitForPageCache(baseUrl);
  console.log(`page cache on: GET / answered ${answers.join(", then ")}`);

  // The floor's bytes are the day page's own HTML, so it is as large and compresses alike (Next gzips both).
  const dayHtml = decoded(await probe(`${baseUrl}/`, { ...BROWSER, "accept-encoding": "identity" }));
  fs.writeFileSync(floor.file, dayHtml);
  const floorPlain = await probe(`${baseUrl}${floor.urlPath}`, { ...BROWSER, "accept-encoding": "identity" });
  if (floorPlain.status !== 200 || !floorPlain.body.equals(dayHtml)) {
    throw new Error(`Next's production server did not serve ${floor.urlPath}, written to public/ after the build (status ${floorPlain.status}, ${floorPlain.body.length} bytes)`);
  }
  const floorGzip = await probe(`${baseUrl}${floor.urlPath}`, BROWSER);
  console.log(
    `floor: ${floor.urlPath} (public/, written after the build, before the server started) answers 200 with the day page's ${dayHtml.length.toLocaleString()} bytes, ` +
      `${floorGzip.headers["content-encoding"] ?? "uncompressed"} ${floorGzip.body.length.toLocaleString()} bytes on the wire`,
  );

  const pages: Page[] = [
    { label: "/ (day)", path: "/", kind: "cacheable" },
    { label: "/?period=week", path: "/?period=week", kind: "cacheable" },
    { label: "/?period=month", path: "/?period=month", kind: "cacheable" },
    { label: "paper page", path: paperPath(paper.id), kind: "cacheable" },
    { label: `digest /digests/${date}`, path: `/digests/${date}`, kind: "cacheable" },
    { label: "/feed.xml", path: "/feed.xml", kind: "cacheable" },
    { label: `/search?q=${word}`, path: `/search?q=${encodeURIComponent(word)}`, kind: "search" },
  ];
  const floorPage: Page = { label: "static floor", path: floor.urlPath, kind: "floor" };
  console.log("\npages (first request each; gzip on the wire, decoded size):");
  for (const page of pages) {
    const reply = await probe(`${baseUrl}${page.path}`, BROWSER);
    if (reply.status !== 200) throw new Error(`GET ${page.path} answered ${reply.status}`);
    console.log(`  ${page.path.padEnd(36)}${String(reply.headers["x-cache"] ?? "no x-cache").padEnd(8)}${reply.body.length.toLocaleString().padStart(9)} B gzip${decoded(reply).length.toLocaleString().padStart(10)} B`);
  }

  cpuGroups = instanceCpuGroups(tmp, webPid);
  const othersBefore = snapshotProcesses();
  const loadBefore = loadAverage();
  const rss = watchRss(webPid, 100);
  console.log(`web process before the loads: VmRSS ${statusMb(webPid, "VmRSS")?.toFixed(0)} MB, VmHWM ${statusMb(webPid, "VmHWM")?.toFixed(0)} MB`);
  const measure = async (page: Page, warmup: boolean): Promise<Row> => {
    if (warmup) await load(`${baseUrl}${page.path}`, WARMUP, page.headers);
    rss.mark();
    const run = await load(`${baseUrl}${page.path}`, SECONDS, page.headers);
    const row = { page, run, stats: stats(run), rssMb: rss.mark() };
    console.log(`  ${page.label.padEnd(28)}${row.stats.rps.toFixed(0).padStart(7)} req/s, p95 ${ms(row.stats.p95)} ms, ${statusText(run)}; x-cache ${row.stats.cache || "-"}`);
    return row;
  };

  console.log(`\nwarm pass: ${CONCURRENCY} connections, ${WARMUP} s warm-up then ${SECONDS} s per page (load average ${loadBefore})`);
  const floorBefore = await measure(floorPage, true);
  const warm: Row[] = [];
  for (const page of pages) warm.push(await measure(page, true));
  const floorBetween = await measure(floorPage, true);
  // Not a target: what the floor costs when Next need not gzip it (as a cached page, whose gzip is stored).
  const floorIdentity = await measure({ ...floorPage, label: "static floor, no gzip", headers: { ...BROWSER, "accept-encoding": "identity" } }, true);
  const loadBetween = loadAverage();

  console.log(`\ninvalidated pass: announceChange of every tag right before each page's ${SECONDS} s (no warm-up: its first requests are misses)`);
  const tags = [TRENDING_TAG, PAPERS_TAG, DIGESTS_TAG, digestTag(date), paperTag(paper.id)];
  const invalidated: Row[] = [];
  for (const page of pages) {
    await announceChange(tags, pool);
    await sleep(ANNOUNCE_SETTLE_MS);
    invalidated.push(await measure(page, false));
  }
  const floorAfter = await measure(floorPage, true);

  const sampled = rss.stop();
  const hwm = statusMb(webPid, "VmHWM") ?? NaN;
  const loadAfter = loadAverage();
  const others = otherCpu(othersBefore, snapshotProcesses(), cpuGroups);

  const warmFloor = (floorBefore.stats.rps + floorBetween.stats.rps) / 2;
  const invalidatedFloor = (floorBetween.stats.rps + floorAfter.stats.rps) / 2;
  console.log(`\n${corpus.papers.toLocaleString()} papers, ${CONCURRENCY} connections, ${SECONDS} s per page, accept-encoding: gzip; latency = request written to last byte read (autocannon)`);
  console.log(`floor: ${floorPage.path} (${dayHtml.length.toLocaleString()} bytes, the day page's HTML), gzipped by Next per request; "x floor" = req/s over the mean of the floor runs around the pass`);
  printTable(`warm (floor ${floorBefore.stats.rps.toFixed(0)} req/s before, ${floorBetween.stats.rps.toFixed(0)} after)`, [floorBefore, ...warm, floorBetween, floorIdentity], warmFloor);
  printTable(`right after an invalidation of every tag before each page (floor ${floorBetween.stats.rps.toFixed(0)} before, ${floorAfter.stats.rps.toFixed(0)} after)`, [...invalidated, floorAfter], invalidatedFloor);

  const warmMet = printVerdicts("warm", warm, warmFloor);
  const invalidatedMet = printVerdicts("right after an invalidation", invalidated, invalidatedFloor);
  const peakMb = Math.max(sampled.peakMb, hwm);
  console.log(`  ${"web process peak RSS".padEnd(28)}< ${TARGETS.rssMb} MB                     ${`${peakMb.toFixed(0)} MB`.padStart(18)}   ${verdict(peakMb < TARGETS.rssMb)}`);
  console.log(`    (VmHWM ${hwm.toFixed(0)} MB over the process's life; highest VmRSS of ${sampled.samples} samples every 100 ms during the loads: ${sampled.peakMb.toFixed(0)} MB)`);
  console.log(`  all page targets: warm ${warmMet ? "met" : "NOT all met"}, after an invalidation ${invalidatedMet ? "met" : "NOT all met"}`);

  const rows = [floorBefore, ...warm, floorBetween, floorIdentity, ...invalidated, floorAfter];
  const failed = rows.reduce((sum, row) => sum + row.stats.failed, 0);
  const requests = rows.reduce((sum, row) => sum + row.stats.requests, 0);
  console.log(`\nnon-2xx answers, connection errors and timeouts: ${failed} of ${requests.toLocaleString()} requests${failed > 0 ? ` (see ${path.join(tmp, "web.log")} with BENCH_KEEP=1)` : ""}`);
  if (failed > 0) {
    for (const row of rows) if (row.stats.failed > 0) console.log(`  ${row.page.label}: ${statusText(row.run)}, ${row.run.errors} errors, ${row.run.timeouts} timeouts`);
    process.exitCode = 1;
  }

  console.log(`\nthe machine (${os.cpus().length} cores): load average (1/5/15 min) ${loadBefore} at the start, ${loadBetween} between the passes, ${loadAfter} at the end`);
  const top = others.slice(0, 6).filter((other) => other.ms >= 100);
  console.log(
    top.length > 0
      ? `other work meanwhile (CPU s by command, outside this instance): ${top.map((other) => `${other.comm} ${(other.ms / 1000).toFixed(1)}${other.processes > 1 ? ` (${other.processes})` : ""}`).join(", ")}`
      : "other work meanwhile: none measurable",
  );
  console.log("These figures are noisy: the load generator shares the 2 cores with the server, Postgres and Meilisearch, and with whatever else runs; compare runs, and medians.");
}

runBench(main);
