// npm run migrate: apply the committed migrations to the database (DATABASE_URL, else the embedded Postgres)
// and say what was applied. Every other CLI, the worker and npm start do the same when they connect; this is
// for a deploy that migrates as a step of its own.
import { connectDatabase } from "@/lib/db/connect";
import { closeDb } from "@/lib/db/client";
import { listMigrations } from "@/lib/db/migrate";
import { runCli } from "./cli";

async function main(): Promise<number> {
  // connectDatabase applies them under the migration lock and logs their names ("Applied migrations: …").
  const database = await connectDatabase({ log: (message) => console.error(message) });
  try {
    const total = listMigrations().length;
    const { applied } = database;
    console.log(
      applied.length > 0
        ? `migrate: applied ${applied.length} of ${total} migrations now; the database is up to date.`
        : `migrate: nothing to apply; all ${total} migrations were applied before.`,
    );
    return 0;
  } finally {
    await closeDb();
    await database.embedded?.stop();
  }
}

runCli(main);
