// Playwright's web server: a throwaway Postgres loaded with the fixtures, and the production web server on it.
// Never touches .data/: the cluster lives in a temp folder removed on exit.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { migrate } from "@/lib/db/migrate";
import { ingestFiles } from "@/lib/ingest/run-ingest";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "@/lib/services/embedded-postgres";
import { startEmbeddedMeilisearch, type EmbeddedMeilisearch } from "@/lib/services/embedded-meilisearch";
import { startMailCatcher, type MailCatcher } from "@/lib/services/mail-catcher";
import { E2E_SERVICES_FILE, type E2eServices } from "./services";
import { resolveKeys } from "@/lib/search/meilisearch";
import { syncSearch } from "@/lib/search/sync";
import { webServerArgs } from "@/scripts/web-command";

const PORT = Number(process.env.PORT ?? 3100);
const ROOT = process.cwd();
// The e2e files by name: their folder also holds a README, which ingest would read as a search page.
const FIXTURES = [
  "tests/fixtures/hf-daily-papers",
  "tests/fixtures/e2e/2026-06-12.json",
  "tests/fixtures/e2e/old-style-id.jsonl",
].map((fixture) => path.join(ROOT, fixture));

function log(message: string): void {
  console.log(`[e2e-serve] ${message}`);
}

let tempDir: string | undefined;
let database: EmbeddedPostgres | undefined;
let meilisearch: EmbeddedMeilisearch | undefined;
let mail: MailCatcher | undefined;
const INDEX = "papers";
let next: ChildProcess | undefined;
let stopping: Promise<never> | undefined;

/** Stops Next, then Postgres, then removes the temp folder; later calls wait for the first one. */
function shutdown(code: number): Promise<never> {
  stopping ??= (async () => {
    if (next && next.exitCode === null && next.signalCode === null) {
      const exited = new Promise((resolve) => next?.once("exit", resolve));
      next.kill("SIGTERM");
      await exited;
    }
    await mail?.stop();
    await meilisearch?.stop();
    await database?.stop();
    fs.rmSync(E2E_SERVICES_FILE, { force: true });
    if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
    process.exit(code);
  })();
  return stopping;
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(ROOT, ".next", "BUILD_ID"))) {
    throw new Error("No production build in .next: run `next build` first (npm run test:e2e does).");
  }
  tempDir = fs.mkdtempSync(path.join(os.tmpdir(), "trending-papers-e2e-"));
  // mkdtemp makes a 0700 folder; Postgres runs as the `postgres` user when we are root and must enter it.
  fs.chmodSync(tempDir, 0o755);
  database = await startEmbeddedPostgres({ dataDir: tempDir, database: "trending_papers_e2e", port: 0, log });
  await migrate(database.url);
  meilisearch = await startEmbeddedMeilisearch({ dataDir: path.join(tempDir, "meili"), port: 0, log });
  const keys = await resolveKeys(meilisearch.url, meilisearch.masterKey, INDEX);
  // The real local mail catcher (MailDev), as npm start runs it; tests read mails from its API.
  mail = await startMailCatcher({ dataDir: path.join(tempDir, "mail"), smtpPort: 0, webPort: 0, log });
  const tokenSecret = "e2e-token-secret-0123456789abcdefghijkl";
  const services: E2eServices = {
    databaseUrl: database.url,
    smtpUrl: mail.smtpUrl,
    mailWebUrl: mail.webUrl,
    tokenSecret,
    appUrl: `http://localhost:${PORT}`,
    meiliUrl: meilisearch.url,
    meiliSearchKey: keys.search,
    meiliMasterKey: meilisearch.masterKey,
    meiliIndex: INDEX,
  };
  fs.writeFileSync(E2E_SERVICES_FILE, JSON.stringify(services), { mode: 0o600 });

  const pool = new pg.Pool({ connectionString: database.url });
  try {
    const summary = await ingestFiles(pool, FIXTURES, { today: "2026-07-01" });
    log(`Loaded fixtures: ${summary.inserted} inserted, ${summary.updated} updated, ${summary.rejected} rejected.`);
    if (summary.rejected > 0) throw new Error(`Fixture records were rejected: ${JSON.stringify(summary.rejections)}`);
    const indexed = await syncSearch(pool, { url: meilisearch.url, key: keys.admin, index: INDEX, timeoutMs: 5_000 });
    log(`Indexed ${indexed.indexed} papers for search.`);
  } finally {
    await pool.end();
  }

  // The server npm start runs: Next behind our HTTP server, which takes client addresses from the socket.
  // One process (no tsx CLI wrapper), so its pid is the server's, for the memory test.
  next = spawn(process.execPath, webServerArgs(), {
    stdio: "inherit",
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      MEILI_URL: meilisearch.url,
      MEILI_SEARCH_KEY: keys.search,
      MEILI_INDEX: INDEX,
      PORT: String(PORT),
      APP_URL: `http://localhost:${PORT}`,
      SMTP_URL: mail.smtpUrl,
      TOKEN_SECRET: tokenSecret,
    },
  });
  fs.writeFileSync(E2E_SERVICES_FILE, JSON.stringify({ ...services, webPid: next.pid }), { mode: 0o600 });
  next.once("exit", (code) => {
    if (!stopping) log(`the web server exited (${code ?? "signal"})`);
    void shutdown(code ?? 1);
  });
}

process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  void shutdown(1);
});
