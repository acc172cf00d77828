// npm run bench:search -- --papers 100000 --concurrency 16: /api/search vs Meilisearch alone vs the Postgres fallback, same queries.
// --file <path> indexes that file (any format `npm run ingest` reads) instead of generated papers; --papers is then ignored.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { closeDb, setDatabaseUrl } from "@/lib/db/client";
import { searchPapers } from "@/lib/search";
import { searchRequest } from "@/lib/search/meilisearch";
import { searchPostgres } from "@/lib/search/postgres-search";
import type { SearchQuery } from "@/lib/search/types";
import { freePort } from "@/lib/services/ports";
import { addDays, daysBetween } from "@/lib/time";
import { loadCorpus } from "./bench/corpus";
import { ignoreIdleErrors, indexForSearch, instanceCpuGroups, makeTempDir, NEXT_BIN, startNext, startServices, webServerEnv } from "./bench/instance";
import { makeRandom } from "./bench/papers";
import { addCpu, cpuSupported, sampleCpu, type CpuSample, type ProcessGroups } from "./bench/cpu";
import { onCleanup, positiveInt, runBench, stopOnSignals, wasInterrupted } from "./bench/lifecycle";
import { percentile } from "./bench/stats";

const { values: args } = parseArgs({
  options: {
    papers: { type: "string", default: "100000" },
    file: { type: "string" },
    concurrency: { type: "string", default: "16" },
    queries: { type: "string", default: "2000" },
    "pg-queries": { type: "string", default: "400" },
    // The fallback can take seconds a query at 100k papers: each level gets a time budget and a statement timeout.
    "pg-seconds": { type: "string", default: "60" },
    "pg-timeout": { type: "string", default: "30" },
    warmup: { type: "string", default: "300" },
    seed: { type: "string", default: "7" },
    // Rebuild even when .next holds a build with /api/search (it may predate source edits).
    build: { type: "boolean", default: false },
    // How the bench sends its requests: node:http keep-alive (default) or the global fetch (see Transport).
    client: { type: "string", default: "http" },
  },
});


const PAPERS = positiveInt("papers", args.papers);
const CONCURRENCY = positiveInt("concurrency", args.concurrency);
const QUERIES = positiveInt("queries", args.queries);
const PG_QUERIES = Math.min(positiveInt("pg-queries", args["pg-queries"]), QUERIES);
const PG_SECONDS = positiveInt("pg-seconds", args["pg-seconds"]);
const PG_TIMEOUT_SECONDS = positiveInt("pg-timeout", args["pg-timeout"]);
const WARMUP = positiveInt("warmup", args.warmup);
const SEED = positiveInt("seed", args.seed);
if (args.client !== "http" && args.client !== "fetch") {
  console.error(`--client must be http or fetch (got ${JSON.stringify(args.client)})`);
  process.exit(2);
}
const CLIENT = args.client;
const INDEX = "bench_papers";
const LIMIT = 20;

// ---------------------------------------------------------------------------------------------
// Cleanup: every started thing registers its stop; Ctrl-C and errors run them all, newest first.

stopOnSignals("stopping Next, Meilisearch and Postgres");

// ---------------------------------------------------------------------------------------------
// The web server, as npm start runs it (scripts/bench/instance.ts), talking to Meilisearch with a search-only key as in production.

/** Why `next build` must run first, or undefined when the build in .next serves /api/search. */
function buildNeeded(): string | undefined {
  if (args.build) return "--build was given";
  if (!fs.existsSync(path.join(".next", "BUILD_ID"))) return ".next/BUILD_ID is missing";
  try {
    const routes = JSON.parse(fs.readFileSync(path.join(".next", "app-path-routes-manifest.json"), "utf8")) as Record<string, string>;
    if (!("/api/search/route" in routes)) return "the build in .next predates /api/search";
  } catch {
    return "the build in .next has no route manifest";
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// The query mix, drawn (seeded) from the words of the indexed titles, so it works for generated and real corpora.

type TextKind = "word" | "phrase" | "typo" | "prefix";
type MixQuery = { kind: TextKind; filters: string[]; query: SearchQuery };

// Words nobody searches for alone; the rest of the vocabulary is fair game.
const STOP = new Set("with that this from which their these those such into than have also both while through where when were been they them then there what more most only other over under using upon about between within without across".split(" "));

async function queryMaterial(pool: pg.Pool) {
  const { rows: [span] } = await pool.query<{ n: number; first: string; last: string }>(
    `SELECT count(*)::int AS n, min(listed_at)::text AS first, max(listed_at)::text AS last FROM paper`,
  );
  const step = Math.max(1, Math.floor((span?.n ?? 0) / 3_000));
  const { rows: titles } = await pool.query<{ title: string }>(
    `SELECT title FROM (SELECT title, row_number() OVER (ORDER BY id) AS n FROM paper) t WHERE n % $1 = 0 ORDER BY n LIMIT 3000`,
    [step],
  );
  const { rows: categories } = await pool.query<{ c: string }>(
    `SELECT c FROM paper, unnest(categories) c GROUP BY c ORDER BY count(*) DESC, c LIMIT 12`,
  );
  const words: string[] = [];
  const pairs: [string, string][] = [];
  for (const { title } of titles) {
    const tokens = title.toLowerCase().split(/[^\p{L}]+/u).filter((word) => word.length >= 4 && !STOP.has(word));
    words.push(...tokens);
    for (let i = 1; i < tokens.length; i++) pairs.push([tokens[i - 1]!, tokens[i]!]);
  }
  if (words.length === 0 || pairs.length === 0) throw new Error("the corpus has too few title words to build queries from");
  return { words, pairs, categories: categories.map((row) => row.c), first: span?.first ?? null, last: span?.last ?? null };
}

function typo(word: string, random: () => number): string {
  // Never the first letter: Meilisearch (like most engines) counts on it, and users rarely miss it.
  const at = 1 + Math.floor(random() * (word.length - 2));
  if (random() < 0.5) return word.slice(0, at) + word.slice(at + 1);
  return word.slice(0, at) + word[at + 1]! + word[at]! + word.slice(at + 2);
}

function buildMix(material: Awaited<ReturnType<typeof queryMaterial>>, count: number, seed: number): MixQuery[] {
  const random = makeRandom(seed);
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!;
  // Typos need five letters (Meilisearch forgives none in shorter words), prefixes need room to be cut.
  const long = material.words.filter((word) => word.length >= 5);
  const longWord = () => pick(long.length > 0 ? long : material.words);
  const mix: MixQuery[] = [];
  for (let i = 0; i < count; i++) {
    const roll = random();
    let kind: TextKind;
    let q: string;
    if (roll < 0.35) [kind, q] = ["word", pick(material.words)];
    else if (roll < 0.6) [kind, q] = ["phrase", pick(material.pairs).join(" ")];
    else if (roll < 0.75) {
      const word = longWord();
      [kind, q] = ["typo", word.length >= 5 ? typo(word, random) : word];
    }
    else {
      // As-you-type: the first 3-6 letters of a word, alone or after a finished word.
      const word = longWord();
      const prefix = word.slice(0, Math.min(word.length - 1, 3 + Math.floor(random() * 4)));
      [kind, q] = ["prefix", random() < 0.6 ? prefix : `${pick(material.words)} ${prefix}`];
    }
    const query: SearchQuery = { q, sort: "relevance", limit: LIMIT, offset: 0 };
    const filters: string[] = [];
    if (material.categories.length > 0 && random() < 0.2) {
      query.categories = random() < 0.8 ? [pick(material.categories)] : [pick(material.categories), pick(material.categories)];
      filters.push("category");
    }
    if (random() < 0.1) {
      query.hasCode = random() < 0.85;
      filters.push("hasCode");
    }
    if (material.first && material.last && random() < 0.15) {
      const span = daysBetween(material.first, material.last);
      const length = Math.min(span, 7 + Math.floor(random() * 54));
      query.from = addDays(material.first, Math.floor(random() * (span - length + 1)));
      query.to = addDays(query.from, length);
      filters.push("dates");
    }
    const sortRoll = random();
    if (sortRoll < 0.1) query.sort = "newest";
    else if (sortRoll < 0.15) query.sort = "votes";
    if (query.sort !== "relevance") filters.push(`sort=${query.sort}`);
    // Infinite scroll asks for the second page now and then.
    if (random() < 0.05) {
      query.offset = LIMIT;
      filters.push("page 2");
    }
    mix.push({ kind, filters, query });
  }
  return mix;
}

// ---------------------------------------------------------------------------------------------
// The targets (the API, the layer in-process, Meilisearch alone, the Postgres fallback) and a closed-loop
// load generator: N workers pulling from one queue, each sending its next query when the last one answered.

type Outcome = { ok: boolean; ids: string[]; serverMs: number | undefined; degraded: boolean };
type Target = (query: SearchQuery) => Promise<Outcome>;

type Reply = { ok: boolean; body: unknown };
type Transport = (url: string, init: { method: "GET" | "POST"; headers?: Record<string, string>; body?: string }) => Promise<Reply>;

/**
 * Keep-alive node:http, one socket per client. Not the global fetch by default: on this machine
 * Node 20's fetch (undici 6) pauses about 40 ms on half or more of its searches to Meilisearch (the
 * shape of a Nagle/delayed-ACK stall; curl and node:http on the same requests never do), which would
 * make "Meilisearch alone" look slower than it is. `--client fetch` measures with fetch instead.
 */
function nodeHttp(sockets: number): { send: Transport; close: () => void } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  const attempt: Transport = (url, init) =>
    new Promise((resolve, reject) => {
      const body = init.body === undefined ? undefined : Buffer.from(init.body);
      const headers = body ? { ...init.headers, "Content-Length": String(body.length) } : init.headers;
      const request = http.request(url, { method: init.method, headers, agent }, (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", reject);
        response.on("end", () => {
          try {
            const status = response.statusCode ?? 0;
            resolve({ ok: status >= 200 && status < 300, body: JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown });
          } catch (error) {
            reject(error as Error);
          }
        });
      });
      request.on("error", (error) => reject(Object.assign(error, { reused: request.reusedSocket })));
      request.end(body);
    });
  const send: Transport = (url, init) => attempt(url, init).catch((error: Error & { code?: string; reused?: boolean }) => {
    // The server may close an idle keep-alive socket just as we reuse it (Node's documented race): retry once.
    if (error.reused && error.code === "ECONNRESET") return attempt(url, init);
    throw error;
  });
  return { send, close: () => agent.destroy() };
}

const globalFetch: Transport = async (url, init) => {
  const response = await fetch(url, init);
  return { ok: response.ok, body: (await response.json()) as unknown };
};

function apiTarget(baseUrl: string, send: Transport): Target {
  return async (query) => {
    const params = new URLSearchParams({ q: query.q, sort: query.sort, limit: String(query.limit), offset: String(query.offset) });
    for (const category of query.categories ?? []) params.append("category", category);
    if (query.from) params.set("from", query.from);
    if (query.to) params.set("to", query.to);
    if (query.hasCode !== undefined) params.set("hasCode", String(query.hasCode));
    const reply = await send(`${baseUrl}/api/search?${params}`, { method: "GET" });
    const body = reply.body as { items?: { id: string }[]; degraded?: boolean; tookMs?: number };
    return { ok: reply.ok, ids: body.items?.map((item) => item.id) ?? [], serverMs: body.tookMs, degraded: body.degraded === true };
  };
}

/** A refusal on the search route (answered by the web server itself under scripts/web.ts). */
const SEARCH_REFUSAL = "/api/search?q=x&sort=nonsense";
/** A small answer Next renders in every setup, never from the page cache: "not signed in". */
const NEXT_SMALL = "/api/session";

const refusedAs = (code: string) => (reply: Reply) => !reply.ok && (reply.body as { error?: { code?: string } }).error?.code === code;
const signedOut = (reply: Reply) => reply.ok && (reply.body as { signedIn?: boolean }).signedIn === false;

/**
 * A small answer with nothing behind it (no Meilisearch, Postgres or search work): what the web
 * process costs per request on its own. `expected` tells the answer from a failure.
 */
function floorTarget(baseUrl: string, send: Transport, pathname: string, expected: (reply: Reply) => boolean): Target {
  return async () => {
    const reply = await send(`${baseUrl}${pathname}`, { method: "GET" });
    return { ok: expected(reply), ids: [], serverMs: undefined, degraded: false };
  };
}

/** Exactly what lib/search sends, as a raw request body. */
function meiliRequest(query: SearchQuery): Record<string, unknown> {
  return { q: query.q, ...searchRequest(query) };
}

function meiliTarget(meiliUrl: string, searchKey: string, send: Transport): Target {
  const url = `${meiliUrl}/indexes/${INDEX}/search`;
  const headers = { Authorization: `Bearer ${searchKey}`, "Content-Type": "application/json" };
  return async (query) => {
    const reply = await send(url, { method: "POST", headers, body: JSON.stringify(meiliRequest(query)) });
    const body = reply.body as { hits?: { paperId: string }[]; processingTimeMs?: number };
    return { ok: reply.ok, ids: body.hits?.map((hit) => hit.paperId) ?? [], serverMs: body.processingTimeMs, degraded: false };
  };
}

/** The whole search layer in this process (Meilisearch client, exact-match pin, reshaping) without Next and HTTP. */
const layerTarget: Target = async (query) => {
  const result = await searchPapers(query);
  return { ok: true, ids: result.items.map((item) => item.id), serverMs: result.tookMs, degraded: result.degraded };
};

function postgresTarget(pool: pg.Pool): Target {
  return async (query) => {
    const result = await searchPostgres(pool, query);
    return { ok: true, ids: result.hits.map((hit) => hit.id), serverMs: undefined, degraded: false };
  };
}

type Run = { latencies: number[]; serverMs: number[]; seconds: number; errors: number; timeouts: number; degraded: number; ids: string[][]; cpu: CpuSample };

// The processes whose CPU each run is charged with (set once they are started).
let cpuGroups: ProcessGroups = {};

function emptyRun(): Run {
  return { latencies: [], serverMs: [], seconds: 0, errors: 0, timeouts: 0, degraded: 0, ids: [], cpu: {} };
}

/**
 * Sends `mix[from..to)` with `concurrency` workers; adds latencies (ms, until the body is parsed) and
 * wall time to `run`. With a `deadline`, workers take no new query after it (those in flight finish).
 */
async function load(target: Target, mix: MixQuery[], from: number, to: number, concurrency: number, run: Run, deadline = Infinity): Promise<void> {
  let next = from;
  const cpuBefore = sampleCpu(cpuGroups);
  const started = performance.now();
  const worker = async () => {
    while (next < to && performance.now() < deadline) {
      const index = next++;
      const t = performance.now();
      try {
        const outcome = await target(mix[index]!.query);
        run.latencies[index] = performance.now() - t;
        if (!outcome.ok) run.errors++;
        if (outcome.degraded) run.degraded++;
        if (outcome.serverMs !== undefined) run.serverMs.push(outcome.serverMs);
        run.ids[index] = outcome.ids;
      } catch (error) {
        run.latencies[index] = performance.now() - t;
        // 57014: Postgres cancelled the statement at statement_timeout.
        if ((error as { code?: string }).code === "57014") run.timeouts++;
        else if (run.errors++ === 0 && !wasInterrupted()) console.error(`  first error: ${(error as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, to - from) }, worker));
  run.seconds += (performance.now() - started) / 1000;
  addCpu(run.cpu, cpuBefore, sampleCpu(cpuGroups));
}

/**
 * Runs the targets over the same queries in alternating chunks (A B, B A, …), so a burst of other
 * work on the machine lands on both rather than on whichever happened to run second.
 */
async function compare(targets: Target[], mix: MixQuery[], concurrency: number): Promise<Run[]> {
  const runs = targets.map(emptyRun);
  const chunk = Math.max(concurrency * 10, 250);
  for (let from = 0, round = 0; from < mix.length; from += chunk, round++) {
    const order = targets.map((_, i) => i);
    if (round % 2 === 1) order.reverse();
    for (const i of order) await load(targets[i]!, mix, from, Math.min(from + chunk, mix.length), concurrency, runs[i]!);
  }
  return runs;
}

// ---------------------------------------------------------------------------------------------
// Reporting.

type Stats = { count: number; p50: number; p95: number; p99: number; qps: number; errors: number; timeouts: number; degraded: number; server50: number; server95: number };

function stats(run: Run): Stats {
  const sorted = run.latencies.filter((value) => value !== undefined).sort((a, b) => a - b);
  const server = [...run.serverMs].sort((a, b) => a - b);
  return {
    count: sorted.length, p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), p99: percentile(sorted, 0.99), qps: sorted.length / run.seconds,
    errors: run.errors, timeouts: run.timeouts, degraded: run.degraded, server50: percentile(server, 0.5), server95: percentile(server, 0.95),
  };
}

function ms(value: number): string {
  if (Number.isNaN(value)) return "-".padStart(10);
  return (value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(value < 10 ? 2 : 1)} ms`).padStart(10);
}
const x = (value: number) => `${value.toFixed(2)}x`.padStart(10);

function printRow(label: string, s: Stats, server?: string): void {
  const extra = [
    s.errors ? `${s.errors} errors` : "",
    s.timeouts ? `${s.timeouts} hit the ${PG_TIMEOUT_SECONDS} s statement timeout (so these percentiles are lower bounds)` : "",
    s.degraded ? `${s.degraded} DEGRADED (answered by Postgres)` : "", server ?? ""].filter(Boolean).join(", ");
  console.log(`  ${label.padEnd(26)}${ms(s.p50)}${ms(s.p95)}${ms(s.p99)}${s.qps.toFixed(0).padStart(9)}   ${extra}`);
}

function printRatio(label: string, ours: Stats, raw: Stats): void {
  console.log(`  ${label.padEnd(26)}${x(ours.p50 / raw.p50)}${x(ours.p95 / raw.p95)}${x(ours.p99 / raw.p99)}${`${(ours.qps / raw.qps).toFixed(2)}x`.padStart(9)}`);
}

/** CPU per query of each process, for the runs given: where the time goes when the cores are saturated. */
function printCpu(rows: { label: string; run: Run }[]): void {
  const names = ["next", "meilisearch", "postgres", "self"];
  const titles = ["Next", "Meilisearch", "Postgres", "this process"];
  if (!cpuSupported) return;
  console.log(`  ${"CPU ms per query".padEnd(26)}${titles.map((title) => title.padStart(13)).join("")}`);
  for (const { label, run } of rows) {
    const count = run.latencies.filter((value) => value !== undefined).length;
    const cells = names.map((name) => (count > 0 ? ((run.cpu[name] ?? 0) / count).toFixed(2) : "-").padStart(13));
    console.log(`  ${label.padEnd(26)}${cells.join("")}`);
  }
}

function printHeader(title: string): void {
  console.log(`\n${title}`);
  console.log(`  ${"".padEnd(26)}${"p50".padStart(10)}${"p95".padStart(10)}${"p99".padStart(10)}${"q/s".padStart(9)}`);
}

/** p95 per kind of query at one client: where a slow path hides. */
function printBreakdown(mix: MixQuery[], runs: { label: string; run: Run; upTo: number }[]): void {
  const groups = new Map<string, number[]>();
  mix.forEach((item, index) => {
    for (const key of [item.kind, ...item.filters]) {
      const indexes = groups.get(key) ?? [];
      indexes.push(index);
      groups.set(key, indexes);
    }
  });
  console.log(`\np95 by kind of query, one client (count; ${runs.map((r) => r.label).join(" / ")}):`);
  for (const [key, indexes] of groups) {
    const cells = runs.map(({ run, upTo }) => {
      const sorted = indexes.filter((i) => i < upTo && run.latencies[i] !== undefined).map((i) => run.latencies[i]!).sort((a, b) => a - b);
      return ms(percentile(sorted, 0.95));
    });
    console.log(`  ${key.padEnd(14)}${String(indexes.length).padStart(6)}${cells.join("")}`);
  }
}

/** Share of queries whose hit ids (in order) agree, as a check that both sides ran the same search. */
function agreement(a: Run, b: Run, count: number): string {
  let same = 0;
  for (let i = 0; i < count; i++) if (JSON.stringify(a.ids[i]) === JSON.stringify(b.ids[i])) same++;
  return `${((100 * same) / count).toFixed(1)}%`;
}

function verdict(met: boolean): string {
  return met ? "met" : "NOT met";
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const tmp = makeTempDir("bench-search-");

  const reason = buildNeeded();
  if (reason) {
    console.log(`Building the web app first (next build), because ${reason}…`);
    const build = spawnSync(process.execPath, [NEXT_BIN, "build"], { stdio: "inherit" });
    if (build.status !== 0) throw new Error("next build failed");
  }

  const services = await startServices(tmp, Math.max(4, CONCURRENCY));
  const { postgres, meili, pool } = services;
  // Only the fallback runs use this; ingest and indexing use the pool above, without a timeout.
  const fallbackPool = new pg.Pool({ connectionString: postgres.url, max: CONCURRENCY, options: `-c statement_timeout=${PG_TIMEOUT_SECONDS * 1000}` });
  ignoreIdleErrors(fallbackPool);
  onCleanup(() => fallbackPool.end());

  const corpus = await loadCorpus(pool, tmp, { papers: PAPERS, file: args.file });
  console.log(`ingest: ${corpus.papers.toLocaleString()} papers in ${corpus.ingestSeconds.toFixed(1)} s (${(corpus.papers / corpus.ingestSeconds).toFixed(0)} papers/s)`);

  const { indexed, seconds: indexSeconds, searchKey } = await indexForSearch(services, INDEX);
  console.log(`index:  ${indexed.toLocaleString()} papers in ${indexSeconds.toFixed(1)} s (${(indexed / indexSeconds).toFixed(0)} papers/s, reindexSearch: read from Postgres, fill a fresh index, swap)`);

  const port = await freePort(0);
  const webEnv = webServerEnv(services, { index: INDEX, searchKey, port, dataDir: path.join(tmp, "data"), tokenSecret: "bench-search-token-secret-0123456789abcdef" });
  const next = await startNext(webEnv, port, path.join(tmp, "next.log"));
  const baseUrl = next.url;
  cpuGroups = instanceCpuGroups(tmp, next.pid);
  console.log(`web server on ${baseUrl} (scripts/web.ts as npm start runs it: the production build behind our HTTP server, MEILI_SEARCH_KEY only)`);

  const material = await queryMaterial(pool);
  const mix = buildMix(material, QUERIES, SEED);
  const warm = buildMix(material, WARMUP, SEED + 1);
  // One connection pool per target, as N browsers would each hold one to us and we hold ours to Meilisearch.
  const transport = () => (CLIENT === "http" ? nodeHttp(CONCURRENCY) : { send: globalFetch, close: () => undefined });
  const [apiClient, rawClient] = [transport(), transport()];
  setDatabaseUrl(postgres.url);
  onCleanup(() => closeDb());
  onCleanup(apiClient.close, rawClient.close);
  const api = apiTarget(baseUrl, apiClient.send);
  const raw = meiliTarget(meili.url, searchKey, rawClient.send);
  const fallback = postgresTarget(fallbackPool);

  console.log(`\nwarm-up: ${WARMUP} other queries each, at ${CONCURRENCY} clients`);
  await compare([api, layerTarget, raw], warm, CONCURRENCY);
  await load(fallback, warm, 0, 4, 1, emptyRun(), performance.now() + PG_SECONDS * 1000);

  const kinds = ["word", "phrase", "typo", "prefix"].map((kind) => `${mix.filter((item) => item.kind === kind).length} ${kind}`).join(", ");
  console.log(`client: ${CLIENT === "http" ? "node:http keep-alive" : "global fetch (undici) keep-alive"}, one connection per simulated client`);
  console.log(`query mix: ${QUERIES} queries (seed ${SEED}): ${kinds}; ${mix.filter((item) => item.filters.length > 0).length} with a filter, sort or page 2`);
  console.log("searchPapers() in-process: lib/search as the route calls it, in this process (no Next, no HTTP in front)");
  if (cpuSupported) console.log("CPU ms per query: user + system time of each process (all threads) over the run, from /proc; \"this process\" is the load generator (and, for the in-process row, lib/search itself)");
  console.log(`Postgres fallback: searchPostgres(pool, query) called directly (no HTTP, no exact-match pin), on the first ${PG_QUERIES} queries`);
  console.log(`  or as many as start within ${PG_SECONDS} s per level; statement_timeout ${PG_TIMEOUT_SECONDS} s`);

  const levels = [...new Set([1, CONCURRENCY])];
  const results = new Map<number, { ours: Stats; layer: Stats; raw: Stats; pg: Stats }>();
  let breakdown: (() => void) | undefined;
  for (const clients of levels) {
    const [oursRun, layerRun, rawRun] = await compare([api, layerTarget, raw], mix, clients);
    const pgRun = emptyRun();
    await load(fallback, mix, 0, PG_QUERIES, clients, pgRun, performance.now() + PG_SECONDS * 1000);
    const ours = stats(oursRun!);
    const layer = stats(layerRun!);
    const rawStats = stats(rawRun!);
    const pgStats = stats(pgRun);
    results.set(clients, { ours, layer, raw: rawStats, pg: pgStats });
    printHeader(`${clients} client${clients === 1 ? "" : "s"} (${QUERIES} queries; latency = request sent to JSON parsed)`);
    printRow("/api/search", ours, `server tookMs p50 ${ours.server50} / p95 ${ours.server95}`);
    printRow("searchPapers() in-process", layer);
    printRow("Meilisearch alone", rawStats, `processingTimeMs p50 ${rawStats.server50} / p95 ${rawStats.server95}`);
    printRatio("ratio /api/search / raw", ours, rawStats);
    printRatio("ratio searchPapers / raw", layer, rawStats);
    printCpu([{ label: "/api/search", run: oursRun! }, { label: "searchPapers() in-process", run: layerRun! }, { label: "Meilisearch alone", run: rawRun! }]);
    printRow(`Postgres fallback (${pgStats.count})`, pgStats);
    console.log(`  same hits, /api/search vs Meilisearch alone: ${agreement(oursRun!, rawRun!, QUERIES)} of queries`);
    if (clients === 1) breakdown = () => printBreakdown(mix, [
      { label: "/api/search", run: oursRun!, upTo: QUERIES }, { label: "searchPapers()", run: layerRun!, upTo: QUERIES },
      { label: "Meilisearch", run: rawRun!, upTo: QUERIES }, { label: "Postgres", run: pgRun, upTo: PG_QUERIES },
    ]);
  }
  breakdown?.();

  // The floor of a search answer, measured the same way at the highest level: the search route
  // refusing, as the web server answers it (its direct route, without Next).
  const floorRun = emptyRun();
  await load(floorTarget(baseUrl, apiClient.send, SEARCH_REFUSAL, refusedAs("invalid_request")), mix, 0, QUERIES, CONCURRENCY, floorRun);
  const floor = stats(floorRun);
  printHeader(`the web process's own cost per request, ${CONCURRENCY} clients: /api/search answering 400 to an unknown sort (no search behind it; the web server's direct route)`);
  printRow("/api/search 400", floor);
  printCpu([{ label: "/api/search 400", run: floorRun }]);

  // What our HTTP server in front of Next costs: the same small answer Next renders, through it and
  // through a bare `next start` on the same build, in alternating chunks.
  const barePort = await freePort(0);
  const bare = await startNext(webEnv, barePort, path.join(tmp, "next-bare.log"), true);
  const ownPid = next.pid;
  // Each run is charged with the server it loaded: the other one idles during its chunks.
  cpuGroups.next = (proc) => proc.pgrp === ownPid || proc.pgrp === bare.pid;
  const bareClient = transport();
  onCleanup(bareClient.close);
  const floors = [floorTarget(baseUrl, apiClient.send, NEXT_SMALL, signedOut), floorTarget(bare.url, bareClient.send, NEXT_SMALL, signedOut)];
  // The bare server is fresh: warm it (and ours again) before measuring.
  await compare(floors, warm, CONCURRENCY);
  const [viaOurs, viaBare] = await compare(floors, mix, CONCURRENCY);
  const [oursFloor, bareFloor] = [stats(viaOurs!), stats(viaBare!)];
  printHeader(`our server in front of Next, ${CONCURRENCY} clients: the same small answer of ${NEXT_SMALL} through scripts/web.ts and through a bare next start`);
  printRow("via scripts/web.ts", oursFloor);
  printRow("via bare next start", bareFloor);
  printRatio("ratio ours / bare", oursFloor, bareFloor);
  printCpu([{ label: "via scripts/web.ts", run: viaOurs! }, { label: "via bare next start", run: viaBare! }]);
  const cpuPer = (run: Run) => (run.cpu.next ?? 0) / Math.max(1, run.latencies.filter((value) => value !== undefined).length);
  console.log(`  our server's cost: ${(cpuPer(viaOurs!) - cpuPer(viaBare!)).toFixed(3)} ms of web-process CPU per request (negative: cheaper than next start's own front)`);

  const one = results.get(1)!;
  const many = results.get(CONCURRENCY)!;
  console.log(`\ntargets (stated for 100,000 papers; this run: ${corpus.papers.toLocaleString()}):`);
  console.log(`  1 client:   /api/search p95 < 50 ms                       ${one.ours.p95.toFixed(1)} ms   ${verdict(one.ours.p95 < 50)}`);
  const p95Ratio = many.ours.p95 / many.raw.p95;
  const qpsRatio = many.ours.qps / many.raw.qps;
  console.log(`  ${`${CONCURRENCY} clients:`.padEnd(12)}p95 ours / Meilisearch alone <= 1.3x           ${p95Ratio.toFixed(2)}x     ${verdict(p95Ratio <= 1.3)}`);
  console.log(`  ${`${CONCURRENCY} clients:`.padEnd(12)}queries/s ours / Meilisearch alone >= 0.6x     ${qpsRatio.toFixed(2)}x     ${verdict(qpsRatio >= 0.6)}`);
  // Fallback timeouts are a finding, not a broken run; errors and degraded answers are.
  const failures = [...results.values()].reduce((sum, r) => sum + r.ours.errors + r.ours.degraded + r.layer.errors + r.layer.degraded + r.raw.errors + r.pg.errors, floor.errors);
  if (failures > 0) {
    console.log(`\n${failures} failed or degraded requests: the figures above are not trustworthy (see ${path.join(tmp, "next.log")} with BENCH_KEEP=1).`);
    process.exitCode = 1;
  }
}

runBench(main);
