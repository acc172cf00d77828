// npm start: start what is embedded, migrate, load the sample papers into an empty database, build if needed,
// serve (scripts/web.ts: Next behind our HTTP server) and run the worker.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { connectDatabase } from "@/lib/db/connect";
import { closeDb, db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { ingestFiles } from "@/lib/ingest/run-ingest";
import { connectSearch, type SearchConnection } from "@/lib/search/connect";
import { resolveKeys } from "@/lib/search/meilisearch";
import { formatSummary } from "@/lib/ingest/summary";
import { countPapers } from "@/lib/papers/queries";
import { connectMail, type MailConnection } from "@/lib/mail/connect";
import { tokenSecret } from "@/lib/mail/secret";
import { today } from "@/lib/time";
import { failureCode } from "./cli";
import { environmentWithoutFiles, loadEnvFiles } from "./env-files";
import { webServerArgs } from "./web-command";

const SAMPLE_DIR = path.join(process.cwd(), "data", "sample");
const SOURCE_DIRS = ["app", "components", "lib", "public", "next.config.ts", "package.json", "prisma/schema.prisma"];
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
  if ((await countPapers()) > 0) return;
  log("Empty database: loading the bundled sample papers…");
  const summary = await ingestFiles(db.pool, [SAMPLE_DIR], { today: today() });
  console.log(formatSummary(summary));
}

/** A search-only key for the web server, or none (it then answers searches from Postgres). */
async function searchKey(search: SearchConnection): Promise<string | undefined> {
  if (!search) return undefined;
  try {
    return (await resolveKeys(search.url, search.key, env.MEILI_INDEX)).search;
  } catch (error) {
    log(`Meilisearch is not answering (${(error as Error).message}); search will use Postgres until it does.`);
    return undefined;
  }
}

async function main(): Promise<void> {
  const dev = process.argv.includes("--dev");
  // In the mode of the site served (production files for npm start), as next build and the web server read them.
  loadEnvFiles(dev);
  const database = await connectDatabase({ log });
  let search: SearchConnection;
  let mail: MailConnection | undefined;
  const stopServices = async () => {
    await mail?.catcher?.stop();
    await search?.embedded?.stop();
    await database.embedded?.stop();
  };
  let children: ChildProcess[];
  try {
    search = await connectSearch({ log });
    mail = await connectMail({ log });
    // One secret for the web server and the worker: links one signs, the other checks.
    // In production TOKEN_SECRET is required (tokenSecret() says why); elsewhere one is generated once.
    const secret = tokenSecret();
    await loadSampleIfEmpty();
    await closeDb();

    if (!dev && needsBuild()) {
      log("Building the web app (next build)…");
      const build = spawnSync(process.execPath, [NEXT_BIN, "build"], { stdio: "inherit" });
      if (build.status !== 0) throw new Error("next build failed");
    }

    const shared = { DATABASE_URL: database.url, SMTP_URL: mail.smtpUrl, TOKEN_SECRET: secret };
    // The worker indexes (master or admin key); the web server only searches, with a search key.
    // The worker gets the .env values as read here; the web server reads the files itself, in the same mode,
    // so that Next's dev server can reload them when they change. An empty MEILI_MASTER_KEY keeps the
    // master key of a .env file out of it (the real environment wins over the files, and empty means unset).
    const workerEnv = { ...process.env, ...shared, ...(search ? { MEILI_URL: search.url, MEILI_MASTER_KEY: search.key } : {}) };
    const webEnv: NodeJS.ProcessEnv = { ...environmentWithoutFiles(), ...shared, PORT: String(env.PORT), MEILI_MASTER_KEY: "" };
    const key = await searchKey(search);
    if (search && key) Object.assign(webEnv, { MEILI_URL: search.url, MEILI_SEARCH_KEY: key });
    children = [
      // Our HTTP server in front of Next's handler: it takes the client's address from the socket.
      spawn(process.execPath, webServerArgs(dev ? ["--dev"] : []), { stdio: "inherit", env: webEnv }),
      spawn(process.execPath, [TSX_CLI, "scripts/worker.ts"], { stdio: "inherit", env: workerEnv }),
    ];
  } catch (error) {
    // Do not leave the services this process started running behind a failed start.
    await stopServices();
    throw error;
  }
  log(`Trending Papers on ${env.APP_URL} (Ctrl-C stops everything).`);
  if (mail?.catcher) log(`Mail goes to the local inbox at ${mail.catcher.webUrl} (set SMTP_URL to send for real).`);

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
    await stopServices();
    process.exit(code);
  };
  process.on("SIGINT", () => void shutdown(0));
  process.on("SIGTERM", () => void shutdown(0));
  for (const child of children) child.on("exit", (code) => void shutdown(code ?? 1));
}

main().catch((error: unknown) => process.exit(failureCode(error)));
