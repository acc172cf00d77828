// Keeps search current in the background: syncs on every outbox notification, sweeps periodically, reconciles daily.
import pg from "pg";
import { engineConfig } from "@/lib/search/engine";
import { listenForQueuedPapers } from "@/lib/search/store";
import { reconcileSearch, syncSearch } from "@/lib/search/sync";
import { countEvent } from "@/lib/metrics/events";

export type SearchSyncOptions = {
  databaseUrl: string;
  pool: pg.Pool;
  log: (message: string) => void;
  /** Safety net for missed notifications and for retrying after Meilisearch was down. */
  sweepMs?: number;
  reconcileMs?: number;
};

export function startSearchSync(options: SearchSyncOptions): { stop(): Promise<void> } {
  const { pool, log } = options;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  let lastError = "";

  const sync = (): Promise<void> => {
    if (running) {
      again = true; // a change arrived while syncing: run once more afterwards
      return running;
    }
    running = (async () => {
      do {
        again = false;
        try {
          const engine = await engineConfig("admin");
          if (!engine) return;
          const report = await syncSearch(pool, engine);
          countEvent("searchSyncs", { trigger: "outbox" });
          if (report.indexed || report.removed) log(`search: indexed ${report.indexed}, removed ${report.removed}`);
          lastError = "";
        } catch (error) {
          const message = (error as Error).message;
          // Log a failure once, not every sweep, while Meilisearch stays down.
          if (message !== lastError) log(`search sync failed (will retry): ${message}`);
          lastError = message;
        }
      } while (again && !stopped);
    })().finally(() => (running = undefined));
    return running;
  };

  const reconcile = async () => {
    try {
      const engine = await engineConfig("admin");
      if (!engine) return;
      const report = await reconcileSearch(pool, engine);
      if (report.missing || report.stale || report.extra) log(`search reconcile: ${JSON.stringify(report)}`);
      await sync();
    } catch (error) {
      log(`search reconcile failed: ${(error as Error).message}`);
    }
  };

  const listener = new pg.Client({ connectionString: options.databaseUrl });
  let debounce: NodeJS.Timeout | undefined;
  listener.on("notification", () => {
    clearTimeout(debounce);
    debounce = setTimeout(() => void sync(), 200);
  });
  listener.on("error", (error) => log(`search listener: ${error.message}`));
  void listener.connect().then(() => listenForQueuedPapers(listener)).catch((error: Error) => log(`search listener: ${error.message}`));

  const sweep = setInterval(() => void sync(), options.sweepMs ?? 30_000);
  const daily = setInterval(() => void reconcile(), options.reconcileMs ?? 24 * 3_600_000);
  void reconcile();

  return {
    async stop() {
      stopped = true;
      clearInterval(sweep);
      clearInterval(daily);
      clearTimeout(debounce);
      await running;
      await listener.end().catch(() => undefined);
    },
  };
}
