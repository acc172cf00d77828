// A throwaway instance for the benchmarks that load the web server: a temp folder, an embedded Postgres
// (migrated) and Meilisearch in it, the search index filled from Postgres, and the web server as npm start
// runs it. Everything started here registers its stop with the lifecycle helpers.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { migrate } from "@/lib/db/migrate";
import { engineConfig, setSearchConnection } from "@/lib/search/engine";
import { resolveKeys } from "@/lib/search/meilisearch";
import { reindexSearch } from "@/lib/search/sync";
import { startEmbeddedMeilisearch, type EmbeddedMeilisearch } from "@/lib/services/embedded-meilisearch";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "@/lib/services/embedded-postgres";
import { postgresUnder, type ProcessGroups } from "./cpu";
import { onCleanup } from "./lifecycle";
import { webServerArgs } from "../web-command";

export const NEXT_BIN = path.join(process.cwd(), "node_modules", "next", "dist", "bin", "next");

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A temp folder the `postgres` user can enter (Postgres runs as that user when we are root), removed on exit unless BENCH_KEEP is set. */
export function makeTempDir(prefix: string): string {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(tmp, 0o755);
  onCleanup(() => {
    if (process.env.BENCH_KEEP) console.error(`kept ${tmp}`);
    else fs.rmSync(tmp, { recursive: true, force: true });
  });
  return tmp;
}

/**
 * pg-pool's end() resolves before its idle connections have closed, so Postgres stopping right after
 * can reach one and the pool would throw its error as an unhandled event. A query's own failure still
 * rejects its promise.
 */
export function ignoreIdleErrors(pool: pg.Pool): void {
  pool.on("error", () => undefined);
}

export type Services = { postgres: EmbeddedPostgres; meili: EmbeddedMeilisearch; pool: pg.Pool };

/** Postgres and Meilisearch under `tmp`, the schema migrated, and a pool of `poolSize` connections. */
export async function startServices(tmp: string, poolSize: number): Promise<Services> {
  const postgres = await startEmbeddedPostgres({ dataDir: path.join(tmp, "pg"), port: 0, database: "bench" });
  onCleanup(() => postgres.stop());
  const meili = await startEmbeddedMeilisearch({ dataDir: path.join(tmp, "meili"), port: 0 });
  onCleanup(() => meili.stop());
  await migrate(postgres.url);
  const pool = new pg.Pool({ connectionString: postgres.url, max: poolSize });
  ignoreIdleErrors(pool);
  onCleanup(() => pool.end());
  return { postgres, meili, pool };
}

/** Fills a fresh index from Postgres (reindexSearch, as npm run search:reindex does); returns the count, the time and a search-only key. */
export async function indexForSearch(services: Services, index: string): Promise<{ indexed: number; seconds: number; searchKey: string }> {
  setSearchConnection({ url: services.meili.url, key: services.meili.masterKey, index });
  const admin = await engineConfig("admin");
  if (!admin) throw new Error("no Meilisearch engine configured");
  const started = performance.now();
  const indexed = await reindexSearch(services.pool, admin);
  const seconds = (performance.now() - started) / 1000;
  const { search } = await resolveKeys(services.meili.url, services.meili.masterKey, index);
  return { indexed, seconds, searchKey: search };
}

/** The web server's environment, as scripts/start.ts gives it: a search-only key, never the master key. */
export function webServerEnv(services: Services, options: { index: string; searchKey: string; port: number; dataDir: string; tokenSecret: string }): NodeJS.ProcessEnv {
  return {
    ...process.env, DATABASE_URL: services.postgres.url, MEILI_URL: services.meili.url, MEILI_SEARCH_KEY: options.searchKey, MEILI_INDEX: options.index,
    DATA_DIR: options.dataDir, PORT: String(options.port), APP_URL: `http://127.0.0.1:${options.port}`,
    // Every benchmark request comes from one IP: lift the per-IP limit (it is still counted).
    API_LIMIT_IP: "1000000",
    NODE_ENV: "production",
    TOKEN_SECRET: options.tokenSecret,
    // Empty, not deleted: a MEILI_MASTER_KEY in a .env file cannot reach the web server either.
    MEILI_MASTER_KEY: "",
  };
}

export function tail(file: string): string {
  try {
    return fs.readFileSync(file, "utf8").slice(-3_000);
  } catch {
    return "(no output)";
  }
}

/** Stops the process group we spawned (next start may fork), by its id; SIGKILL after 10 s. */
export async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const pid = child.pid;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const send = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      // Already gone.
    }
  };
  send("SIGTERM");
  const force = setTimeout(() => send("SIGKILL"), 10_000);
  await exited;
  clearTimeout(force);
}

/**
 * Starts the web server as npm start runs it (scripts/web.ts: Next behind our HTTP server, one process,
 * so its pid is the server's), or with `bare`, plain `next start` (only to measure what our server in
 * front costs). Resolves once /api/health answers.
 */
export async function startNext(env: NodeJS.ProcessEnv, port: number, logFile: string, bare = false): Promise<{ url: string; pid: number | undefined; stop: () => Promise<void> }> {
  const out = fs.openSync(logFile, "a");
  const args = bare ? [NEXT_BIN, "start", "-p", String(port), "-H", "127.0.0.1"] : webServerArgs();
  // Its own process group, so stopping it also stops anything it forks.
  const child = spawn(process.execPath, args, { env: { ...env, PORT: String(port), HOST: "127.0.0.1" }, detached: true, stdio: ["ignore", out, out] });
  fs.closeSync(out);
  onCleanup(() => stopGroup(child));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the web server exited (code ${child.exitCode}):\n${tail(logFile)}`);
    try {
      const response = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.ok) return { url, pid: child.pid, stop: () => stopGroup(child) };
    } catch {
      // Not listening yet.
    }
    await sleep(200);
  }
  throw new Error(`the web server did not answer /api/health within 120 s:\n${tail(logFile)}`);
}

/** Which processes are the web server (its process group), Meilisearch and Postgres of the instance in `tmp`, for cpu.ts. */
export function instanceCpuGroups(tmp: string, webPid: number | undefined): ProcessGroups {
  return {
    next: (proc) => proc.pgrp === webPid,
    meilisearch: (proc) => proc.comm.startsWith("meilisearch") && proc.cmdline().includes(tmp),
    postgres: postgresUnder(tmp),
  };
}
