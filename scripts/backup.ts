// npm run backup: write a consistent backup of the database (DATABASE_URL, else the embedded Postgres) into
// BACKUP_DIR ($DATA_DIR/backups when unset) and say where it is, how big, and what it holds.
import path from "node:path";
import { backupDatabase, describeRows } from "@/lib/db/backup";
import { closeDb } from "@/lib/db/client";
import { connectDatabase } from "@/lib/db/connect";
import { env } from "@/lib/env";
import { runCli } from "./cli";

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

async function main(): Promise<number> {
  if (process.argv.slice(2).some((arg) => arg !== "--")) {
    console.error("usage: npm run backup (it writes into BACKUP_DIR, default $DATA_DIR/backups)");
    return 2;
  }
  const dir = env.BACKUP_DIR || path.join(env.DATA_DIR, "backups");
  const database = await connectDatabase({ log: (message) => console.error(message) });
  try {
    const started = performance.now();
    const report = await backupDatabase(database.url, dir);
    console.log(`backup: ${report.file} (${formatBytes(report.bytes)}, ${((performance.now() - started) / 1000).toFixed(1)} s)`);
    console.log(`  holds ${describeRows(report.rows)}`);
    console.log("  not in it: the search index (rebuilt by npm run restore) and TOKEN_SECRET (keep .env or $DATA_DIR/secrets with it)");
    return 0;
  } finally {
    await closeDb();
    await database.embedded?.stop();
  }
}

runCli(main);
