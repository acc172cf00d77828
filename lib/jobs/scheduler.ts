// The scheduler: pg-boss on the same Postgres (its own `pgboss` schema). The live sources are
// harvested at HARVEST_CRON (after arXiv's announcement, before the digest) and search is synced
// after them; the daily digest runs at DIGEST_CRON in DIGEST_TZ. Any number of workers may run:
// pg-boss hands each job to one, the digest is safe to run twice, and harvests share one request
// gate per host in Postgres. Expired request-limit rows are deleted every hour.
import PgBoss from "pg-boss";
import { env } from "@/lib/env";
import { db } from "@/lib/db/client";
import { describeRun, runDigest } from "@/lib/digest/run";
import { describeHarvest, runHarvest } from "@/lib/harvest/run";
import { countEvent } from "@/lib/metrics/events";
import { deleteExpiredLimits } from "@/lib/rate-limit";
import { engineConfig } from "@/lib/search/engine";
import { syncSearchNow } from "@/lib/search/sync";

export const DIGEST_QUEUE = "daily-digest";
export const HARVEST_QUEUE = "harvest";
export const LIMITS_CLEANUP_QUEUE = "rate-limit-cleanup";
/** Off the hour, away from the harvest's and the digest's starts. */
const LIMITS_CLEANUP_CRON = "30 * * * *";

export type Scheduler = { boss: PgBoss; stop(): Promise<void> };

/** Runs a job's work, counting how it ended for the worker's /metrics (pg-boss keeps the error). */
function counted<T>(queue: string, work: () => Promise<T>): () => Promise<T> {
  return async () => {
    try {
      const result = await work();
      countEvent("jobs", { queue, outcome: "completed" });
      return result;
    } catch (error) {
      countEvent("jobs", { queue, outcome: "failed" });
      throw error;
    }
  };
}

export async function startScheduler(options: { databaseUrl: string; log: (message: string) => void }): Promise<Scheduler> {
  const boss = new PgBoss({ connectionString: options.databaseUrl, schema: "pgboss", max: 4, application_name: "trending-papers-worker" });
  boss.on("error", (error: Error) => options.log(`scheduler: ${error.message}`));
  await boss.start();
  await boss.createQueue(DIGEST_QUEUE, {
    name: DIGEST_QUEUE,
    // One queued run at a time; a run that outlives its expiry is retried, which is safe.
    policy: "stately",
    retryLimit: 3,
    retryDelay: 300,
    retryBackoff: true,
    expireInSeconds: 3 * 3600,
  });
  await boss.schedule(DIGEST_QUEUE, env.DIGEST_CRON, {}, { tz: env.DIGEST_TZ });
  options.log(`daily digest scheduled at "${env.DIGEST_CRON}" (${env.DIGEST_TZ})`);
  await boss.createQueue(HARVEST_QUEUE, {
    name: HARVEST_QUEUE,
    policy: "stately",
    // The fetches retry on their own; a failed source is tried again by the job twice, 30 min apart.
    retryLimit: 2,
    retryDelay: 1800,
    expireInSeconds: 4 * 3600,
  });
  if (env.INGEST_SOURCES.length > 0) {
    await boss.schedule(HARVEST_QUEUE, env.HARVEST_CRON, {}, { tz: env.HARVEST_TZ });
    options.log(`harvest of ${env.INGEST_SOURCES.join(", ")} scheduled at "${env.HARVEST_CRON}" (${env.HARVEST_TZ})`);
  } else {
    await boss.unschedule(HARVEST_QUEUE);
  }
  // One run at a time; a missed or failed run is simply done by the next one.
  await boss.createQueue(LIMITS_CLEANUP_QUEUE, { name: LIMITS_CLEANUP_QUEUE, policy: "stately", retryLimit: 0, expireInSeconds: 600 });
  await boss.schedule(LIMITS_CLEANUP_QUEUE, LIMITS_CLEANUP_CRON, {}, { tz: "UTC" });
  const controller = new AbortController();
  await boss.work(HARVEST_QUEUE, counted(HARVEST_QUEUE, async () => {
    const outcomes = await runHarvest(db.pool, { log: (message) => options.log(`harvest: ${message}`), signal: controller.signal });
    for (const outcome of outcomes) {
      options.log(`harvest: ${describeHarvest(outcome)}`);
      countEvent("harvests", { source: outcome.source, outcome: outcome.ok ? "ok" : "failed" });
      countEvent("harvestedPapers", { source: outcome.source, change: "inserted" }, outcome.summary.inserted);
      countEvent("harvestedPapers", { source: outcome.source, change: "updated" }, outcome.summary.updated);
    }
    options.log(await syncSearchNow(db.pool, await engineConfig("admin").catch(() => undefined)));
    countEvent("searchSyncs", { trigger: "harvest" });
    const failed = outcomes.filter((outcome) => !outcome.ok);
    // A failure makes pg-boss try the job again later; sources that succeeded only refresh recent data.
    if (failed.length > 0) throw new Error(`harvest failed for ${failed.map((outcome) => outcome.description).join("; ")}`);
    return { sources: outcomes.map((outcome) => ({ source: outcome.source, scope: outcome.scope, stored: outcome.summary.inserted + outcome.summary.updated })) };
  }));
  await boss.work(LIMITS_CLEANUP_QUEUE, counted(LIMITS_CLEANUP_QUEUE, async () => ({ deleted: await deleteExpiredLimits() })));
  await boss.work(DIGEST_QUEUE, counted(DIGEST_QUEUE, async () => {
    const result = await runDigest({ log: (message) => options.log(`digest: ${message}`), signal: controller.signal });
    options.log(`digest: ${describeRun(result)}`);
    return { outcome: result.outcome };
  }));
  return {
    boss,
    async stop() {
      controller.abort();
      await boss.stop({ graceful: true, timeout: 10_000 });
    },
  };
}
