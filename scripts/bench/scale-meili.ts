// Meilisearch at scale for bench:scale: the embedded Meilisearch as npm start runs it (2 indexing threads,
// 256 MiB of indexing memory), filled by search:reindex's own function from the scale database, then
// searched through searchPapers() and through /api/search of the web server as npm start runs it (when a
// production build is in .next), and checked by reconcile: time, memory of both processes, disk.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type pg from "pg";
import { searchPapers } from "@/lib/search";
import { engineConfig, setSearchConnection } from "@/lib/search/engine";
import { resolveKeys } from "@/lib/search/meilisearch";
import { writeSearchQuery } from "@/lib/search/query-url";
import type { SearchQuery } from "@/lib/search/types";
import { freePort } from "@/lib/services/ports";
import { reconcileSearch, reindexSearch } from "@/lib/search/sync";
import { startEmbeddedMeilisearch } from "@/lib/services/embedded-meilisearch";
import { startNext } from "./instance";
import { statusMb, watchRss } from "./rss";
import { buildMix, summarize, type MixKind, type Timing } from "./scale-measure";

export type MeiliReport = {
  papers: number;
  reindex: { seconds: number; papersPerSecond: number; meiliPeakMb: number; benchPeakMb: number } | undefined;
  diskMb: number;
  meiliRssMb: number;
  search: { overall: Timing; byKind: Record<MixKind, Timing>; degraded: number };
  /** The same queries through the web server's /api/search, or why they were not sent. */
  api: { overall: Timing; failed: number } | { skipped: string };
  reconcile: { seconds: number; benchPeakMb: number; meiliPeakMb: number; repaired: number };
};

function directoryMb(dir: string): number {
  const du = spawnSync("du", ["-sk", dir], { encoding: "utf8" });
  return Number(du.stdout.split("\t")[0]) / 1024;
}

/** The pid of the Meilisearch serving `dataDir` (its command line names the folder). */
function meiliPid(dataDir: string): number {
  const found = spawnSync("pgrep", ["-f", `meilisearch .*--db-path ${path.join(dataDir, "data.ms")}`], { encoding: "utf8" }).stdout.trim().split("\n")[0];
  if (!found) throw new Error(`no Meilisearch process for ${dataDir}`);
  return Number(found);
}

/** This process's resident memory, sampled until stopped. */
function watchSelf(): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  return { stop: () => (clearInterval(timer), Math.max(peak, process.memoryUsage().rss) / 1024 / 1024) };
}

/**
 * Starts (or reuses the data of) a Meilisearch in `dataDir`, indexes the scale database with
 * reindexSearch unless the index already holds `papers` documents, and measures it.
 */
/**
 * The queries through /api/search of the web server as npm start runs it (scripts/web.ts, the production
 * build, a search-only key), one client with keep-alive, after 20 of them to warm up.
 */
async function measureApi(databaseUrl: string, meili: { url: string; masterKey: string }, dataDir: string, queries: SearchQuery[]): Promise<MeiliReport["api"]> {
  if (!fs.existsSync(path.join(".next", "BUILD_ID"))) return { skipped: "no production build in .next: run `npm run build` first" };
  const { search } = await resolveKeys(meili.url, meili.masterKey, "papers");
  const port = await freePort(0);
  const web = await startNext(
    {
      ...process.env, NODE_ENV: "production", DATABASE_URL: databaseUrl, MEILI_URL: meili.url, MEILI_SEARCH_KEY: search, MEILI_INDEX: "papers", MEILI_MASTER_KEY: "",
      DATA_DIR: path.join(dataDir, "web"), APP_URL: `http://127.0.0.1:${port}`, API_LIMIT_IP: "1000000", TOKEN_SECRET: "bench-scale-token-secret-0123456789abcdefgh",
    },
    port,
    path.join(dataDir, "web.log"),
  );
  try {
    const times: number[] = [];
    let failed = 0;
    const send = async (query: SearchQuery) => {
      const response = await fetch(`${web.url}/api/search?${writeSearchQuery(query)}`);
      await response.arrayBuffer();
      return response.ok;
    };
    for (const query of queries.slice(0, 20)) await send(query);
    for (const query of queries) {
      const started = performance.now();
      const ok = await send(query);
      times.push(performance.now() - started);
      if (!ok) failed++;
    }
    return { overall: summarize(times), failed };
  } finally {
    await web.stop();
  }
}

export async function measureMeilisearch(pool: pg.Pool, databaseUrl: string, dataDir: string, papers: number, queries: number, seed: number, log: (line: string) => void): Promise<MeiliReport> {
  fs.mkdirSync(dataDir, { recursive: true });
  const meili = await startEmbeddedMeilisearch({ dataDir, port: 0 });
  try {
    setSearchConnection({ url: meili.url, key: meili.masterKey, index: "papers" });
    const admin = await engineConfig("admin");
    if (!admin) throw new Error("no Meilisearch engine");
    const pid = meiliPid(dataDir);
    const stats = (await (await fetch(`${meili.url}/indexes/papers/stats`, { headers: { Authorization: `Bearer ${meili.masterKey}` } })).json().catch(() => ({}))) as { numberOfDocuments?: number };
    let reindex: MeiliReport["reindex"];
    if (stats.numberOfDocuments !== papers) {
      log(`  Meilisearch: indexing ${papers.toLocaleString("en-US")} papers with search:reindex's rebuild…`);
      const meiliRss = watchRss(pid, 500);
      const self = watchSelf();
      const started = performance.now();
      const indexed = await reindexSearch(pool, admin);
      const seconds = (performance.now() - started) / 1000;
      reindex = { seconds, papersPerSecond: indexed / seconds, meiliPeakMb: meiliRss.stop().peakMb, benchPeakMb: self.stop() };
      log(`  Meilisearch: ${indexed.toLocaleString("en-US")} papers in ${seconds.toFixed(0)} s`);
    } else {
      log(`  Meilisearch: reusing its index of ${papers.toLocaleString("en-US")} papers`);
    }
    const diskMb = directoryMb(path.join(dataDir, "data.ms"));

    const mix = await buildMix(pool, queries, seed);
    for (const { query } of mix.slice(0, 20)) await searchPapers(query);
    const byKindMs = new Map<MixKind, number[]>();
    const all: number[] = [];
    let degraded = 0;
    for (const { kind, query } of mix) {
      const started = performance.now();
      const result = await searchPapers(query);
      const took = performance.now() - started;
      if (result.degraded) degraded++;
      all.push(took);
      byKindMs.set(kind, [...(byKindMs.get(kind) ?? []), took]);
    }
    const byKind = Object.fromEntries([...byKindMs].map(([kind, ms]) => [kind, summarize(ms)])) as Record<MixKind, Timing>;
    const meiliRssMb = statusMb(pid, "VmRSS") ?? NaN;
    // Other queries of the same mix (the next seed): the index is warm from the pass above, not from these queries.
    log("  Meilisearch: as many other queries of the mix through /api/search…");
    const apiMix = await buildMix(pool, queries, seed + 1);
    const api = await measureApi(databaseUrl, meili, dataDir, apiMix.map(({ query }) => query));

    log("  Meilisearch: reconciling…");
    const meiliRss = watchRss(pid, 500);
    const self = watchSelf();
    const started = performance.now();
    const repair = await reconcileSearch(pool, admin);
    const reconcile = {
      seconds: (performance.now() - started) / 1000, benchPeakMb: self.stop(), meiliPeakMb: meiliRss.stop().peakMb,
      repaired: repair.missing + repair.stale + repair.extra,
    };
    return { papers, reindex, diskMb, meiliRssMb, search: { overall: summarize(all), byKind, degraded }, api, reconcile };
  } finally {
    await meili.stop();
  }
}
