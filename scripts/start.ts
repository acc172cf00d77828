// npm start: start what is embedded, migrate, load the sample papers into an empty database, build if needed, serve.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { connectDatabase } from "@/lib/db/connect";
import { closeDb, db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { ingestFiles } from "@/lib/ingest/run-ingest";
import { formatSummary } from "@/lib/ingest/summary";
import { today } from "@/lib/time";

const SAMPLE_DIR = path.join(process.cwd(), "data", "sample");
const SOURCE_DIRS = ["app", "components", "lib", "emails", "public", "next.config.ts", "package.json", "prisma/schema.prisma"];
const NEXT_BIN = path.join(process.cwd(), "node_modules", "next", "dist", "bin", "next");

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
  await loadSampleIfEmpty();
  await closeDb();

  if (!dev && needsBuild()) {
    log("Building the web app (next build)…");
    const build = spawnSync(process.execPath, [NEXT_BIN, "build"], { stdio: "inherit" });
    if (build.status !== 0) throw new Error("next build failed");
  }

  const childEnv = { ...process.env, DATABASE_URL: database.url, PORT: String(env.PORT) };
  const children: ChildProcess[] = [
    spawn(process.execPath, [NEXT_BIN, dev ? "dev" : "start", "-p", String(env.PORT)], { stdio: "inherit", env: childEnv }),
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
