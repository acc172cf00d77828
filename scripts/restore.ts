// npm run restore -- <file> [--force]: load a backup made by npm run backup into the database (DATABASE_URL,
// else the embedded Postgres), which must be empty unless --force, then rebuild the search index from it.
import { parseArgs } from "node:util";
import { BackupError, describeRows, restoreDatabase } from "@/lib/db/backup";
import { closeDb, db } from "@/lib/db/client";
import { connectDatabase } from "@/lib/db/connect";
import { connectSearch } from "@/lib/search/connect";
import { engineConfig } from "@/lib/search/engine";
import { reindexSearch } from "@/lib/search/sync";
import { runCli } from "./cli";

const USAGE = "usage: npm run restore -- <backup file> [--force]  (--force replaces what the database holds)";

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: process.argv.slice(2).filter((arg) => arg !== "--"), options: { force: { type: "boolean", default: false } }, allowPositionals: true });
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const [file, ...extra] = parsed.positionals;
  if (!file || extra.length > 0) {
    console.error(USAGE);
    return 2;
  }
  const log = (message: string) => console.error(message);
  const database = await connectDatabase({ log });
  let search;
  try {
    const report = await restoreDatabase(database.url, file, { force: parsed.values.force });
    if (Object.keys(report.replaced).length > 0) console.log(`restore: replaced ${describeRows(report.replaced)}`);
    console.log(`restore: loaded the backup of ${report.createdAt}: ${describeRows(report.rows)}`);
    if (report.migrated.length > 0) console.log(`restore: applied ${report.migrated.length} newer migrations: ${report.migrated.join(", ")}`);
    search = await connectSearch({ log });
    const engine = await engineConfig("admin").catch(() => undefined);
    if (!engine) {
      console.log("search: no Meilisearch now; every paper stays queued and the worker indexes them when it answers.");
      return 0;
    }
    try {
      console.log(`search: ${await reindexSearch(db.pool, engine)} papers indexed into a fresh index and swapped in`);
    } catch (error) {
      console.log(`search: not rebuilt now (${(error as Error).message}); every paper stays queued and the worker indexes them when Meilisearch answers.`);
    }
    return 0;
  } catch (error) {
    if (error instanceof BackupError) {
      console.error(`restore: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    await closeDb();
    await search?.embedded?.stop();
    await database.embedded?.stop();
  }
}

runCli(main);
