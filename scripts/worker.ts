// npm run worker: background jobs: the search sync and the scheduler (the daily harvest and digest).
import { connectDatabase } from "@/lib/db/connect";
import { closeDb, db } from "@/lib/db/client";
import { assertSessionConnection } from "@/lib/db/session-check";
import { env } from "@/lib/env";
import { createLog } from "@/lib/log";
import { serveWorkerMetrics } from "@/lib/metrics/worker";
import { startScheduler } from "@/lib/jobs/scheduler";
import { startSearchSync } from "@/lib/jobs/search-sync";
import { connectMail } from "@/lib/mail/connect";
import { closeMailTransport } from "@/lib/mail/transport";
import { connectSearch } from "@/lib/search/connect";
import { failureCode } from "./cli";
import { loadEnvFiles } from "./env-files";

// `[worker] message`, or JSON lines with LOG_FORMAT=json (read at the first line, after the env files).
const log = createLog("worker");

async function main(): Promise<void> {
  loadEnvFiles();
  // Advisory locks (migrations, the search sync, digest senders, pg-boss) and LISTEN need a session of their own.
  if (env.DATABASE_URL) await assertSessionConnection(env.DATABASE_URL);
  const database = await connectDatabase({ log });
  const search = await connectSearch({ log });
  const mail = await connectMail({ log });
  const searchSync = startSearchSync({ databaseUrl: database.url, pool: db.pool, log });
  const scheduler = await startScheduler({ databaseUrl: database.url, log });
  const metrics = env.WORKER_METRICS_PORT > 0 ? await serveWorkerMetrics(env.WORKER_METRICS_PORT) : undefined;
  if (metrics) log(`metrics on http://127.0.0.1:${metrics.port}/metrics`);
  log("running (Ctrl-C stops)");

  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    await scheduler.stop();
    await searchSync.stop();
    await metrics?.stop();
    closeMailTransport();
    await mail.catcher?.stop();
    await closeDb();
    await search?.embedded?.stop();
    await database.embedded?.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown());
  process.on("SIGTERM", () => void shutdown());
}

main().catch((error: unknown) => process.exit(failureCode(error)));
