// Resolves the database for scripts: DATABASE_URL when set, else the embedded Postgres (started or reused), migrated.
import path from "node:path";
import { env } from "@/lib/env";
import { setDatabaseUrl } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "@/lib/services/embedded-postgres";

/** `applied`: the migrations this connection applied (none when the database was up to date). */
export type Database = { url: string; embedded: EmbeddedPostgres | undefined; applied: string[] };

export async function connectDatabase(options: { log?: (message: string) => void } = {}): Promise<Database> {
  let url = env.DATABASE_URL;
  let embedded: EmbeddedPostgres | undefined;
  if (!url) {
    embedded = await startEmbeddedPostgres({
      dataDir: path.join(env.DATA_DIR, "postgres"),
      port: env.EMBEDDED_PG_PORT,
      database: "trending_papers",
      log: options.log,
    });
    url = embedded.url;
  }
  const applied = await migrate(url);
  if (applied.length > 0) options.log?.(`Applied migrations: ${applied.join(", ")}`);
  setDatabaseUrl(url);
  return { url, embedded, applied };
}
