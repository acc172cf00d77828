// npm start: start what is embedded, migrate, load the sample papers into an empty database, build if needed, serve.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { connectDatabase } from "@/lib/db/connect";
import { closeDb, db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { ingestFiles } from "@/lib/ingest/run-ingest";
import { connectSearch } from "@/lib/search/connect";
import { resolveKeys } from "@/lib/search/meilisearch";
import { formatSummary } from "@/lib/ingest/summary";
import { today } from "@/lib/time";

const SAMPLE_DIR = path.join(process.cwd(), "data", "sample");
const SOURCE_DIRS = ["app", "components", "lib", "emails", "public", "next.config.ts", "package.json", "prisma/schema.prisma"];
const NEXT_BIN = path.join(process.cwd(), "node_modules", "next", "dist", "bin", "next");
const TSX_CLI = path.join(process.cwd(), "node_modules", "tsx", "dist", "cli.mjs");

function log(message: string): void {
  console.log(`[trending-papers] ${message}`);
}

function newestSourceMtime(entry: string): number {
  if (!fs.existsSync(entry)) return 0;
  const info = fs.statSync(entry);
  if (!info.isDirectory()) return info.mtimeMs;
  return fs
    .readdirSync(entry)
    .filter((name) => name !== "generated")
    .reduce((newest, name) => Math.max(newest, newestSourceMtime(path.join(entry, name))), info.mtimeMs);
}

/** A build is needed when there is none or a source file changed after it. */
function needsBuild(): boolean {
  const buildId = path.join(".next", "BUILD_ID");
  if (!fs.existsSync(buildId)) return true;
  const builtAt = fs.statSync(buildId).mtimeMs;
  return SOURCE_DIRS.some((entry) => newestSourceMtime(entry) > builtAt);
}

async function loadSampleIfEmpty(): Promise<void> {
  if ((await db.prisma.paper.count()) > 0) return;
  log("Empty database: loading the bundled sample papers…");
  const summary = await ingestFiles(db.pool, [SAMPLE_DIR], { today: today() });
  console.log(formatSummary(summary));
}

async function main(): Promise<void> {
  const dev = process.argv.includes("--dev");
  const database = await connectDatabase({ log });
  const search = await connectSearch({ log });
  await loadSampleIfEmpty();
  await closeDb();

  if (!dev && needsBuild()) {
    log("Building the web app (next build)…");
    const build = spawnSync(process.execPath, [NEXT_BIN, "build"], { stdio: "inherit" });
    if (build.status !== 0) throw new Error("next build failed");
  }

  const shared = { ...process.env, DATABASE_URL: database.url };
  // The worker indexes (master or admin key); the web server only searches, with a search key.
  const workerEnv = search ? { ...shared, MEILI_URL: search.url, MEILI_MASTER_KEY: search.key } : shared;
  const webEnv: NodeJS.ProcessEnv = { ...shared, PORT: String(env.PORT) };
  delete webEnv.MEILI_MASTER_KEY;
  if (search) Object.assign(webEnv, { MEILI_URL: search.url, MEILI_SEARCH_KEY: (await resolveKeys(search.url, search.key, env.MEILI_INDEX)).search });
  const children: ChildProcess[] = [
    spawn(process.execPath, [NEXT_BIN, dev ? "dev" : "start", "-p", String(env.PORT)], { stdio: "inherit", env: webEnv }),
    spawn(process.execPath, [TSX_CLI, "scripts/worker.ts"], { stdio: "inherit", env: workerEnv }),
  ];
  log(`Trending Papers on ${env.APP_URL} (Ctrl-C stops everything).`);

  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once("exit", () => resolve());
            child.kill("SIGTERM");
          }),
      ),
    );
    await search?.embedded?.stop();
    await database.embedded?.stop();
    process.exit(code);
  };
  process.on("SIGINT", () => void shutdown(0));
  process.on("SIGTERM", () => void shutdown(0));
  for (const child of children) child.on("exit", (code) => void shutdown(code ?? 1));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
