// The scheduler: pg-boss on the same Postgres (its own `pgboss` schema). The daily digest runs at
// DIGEST_CRON in DIGEST_TZ; any number of workers may run, the digest itself is safe to run twice.
import PgBoss from "pg-boss";
import { env } from "@/lib/env";
import { describeRun, runDigest } from "@/lib/digest/run";

export const DIGEST_QUEUE = "daily-digest";

export type Scheduler = { boss: PgBoss; stop(): Promise<void> };

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
  const controller = new AbortController();
  await boss.work(DIGEST_QUEUE, async () => {
    const result = await runDigest({ log: (message) => options.log(`digest: ${message}`), signal: controller.signal });
    options.log(`digest: ${describeRun(result)}`);
    return { outcome: result.outcome };
  });
  return {
    boss,
    async stop() {
      controller.abort();
      await boss.stop({ graceful: true, timeout: 10_000 });
    },
  };
}
