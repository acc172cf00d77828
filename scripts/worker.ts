// npm run worker: background jobs (search sync now; scheduled ingest and digests later).
import { connectDatabase } from "@/lib/db/connect";
import { closeDb, db } from "@/lib/db/client";
import { startSearchSync } from "@/lib/jobs/search-sync";
import { connectSearch } from "@/lib/search/connect";

const log = (message: string) => console.log(`[worker] ${message}`);

async function main(): Promise<void> {
  const database = await connectDatabase({ log });
  const search = await connectSearch({ log });
  const searchSync = startSearchSync({ databaseUrl: database.url, pool: db.pool, log });
  log("running (Ctrl-C stops)");

  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    await searchSync.stop();
    await closeDb();
    await search?.embedded?.stop();
    await database.embedded?.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown());
  process.on("SIGTERM", () => void shutdown());
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
