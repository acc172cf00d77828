// The one connection pool of the process, created on first use. Every read and write is typed SQL
// through it, in the store module of its domain; Prisma owns the schema and the migrations only.
import pg from "pg";
import { env } from "@/lib/env";

type Db = { pool: pg.Pool };

// Cached on globalThis so Next's dev reloads do not open a new pool per edit.
const globalForDb = globalThis as unknown as { trendingPapersDb?: Db; trendingPapersDbUrl?: string };

/** Scripts that start an embedded Postgres call this before the first query. */
export function setDatabaseUrl(url: string): void {
  if (globalForDb.trendingPapersDb) throw new Error("setDatabaseUrl must be called before the database is first used");
  globalForDb.trendingPapersDbUrl = url;
}

function connect(): Db {
  const url = databaseUrl();
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle client losing its connection must not crash the server; the pool replaces it.
  pool.on("error", (error) => console.error("Postgres pool error:", error.message));
  return { pool };
}

function getDb(): Db {
  return (globalForDb.trendingPapersDb ??= connect());
}

export const db = {
  get pool(): pg.Pool {
    return getDb().pool;
  },
};

/** The URL the pool connects to (for dedicated connections such as lock holders and LISTEN). */
export function databaseUrl(): string {
  const url = globalForDb.trendingPapersDbUrl ?? env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set (npm start and the scripts set it for the embedded Postgres)");
  return url;
}

export async function closeDb(): Promise<void> {
  const current = globalForDb.trendingPapersDb;
  globalForDb.trendingPapersDb = undefined;
  if (!current) return;
  await current.pool.end().catch(() => undefined);
}
