// A fresh, migrated database per test file, in the cluster global-setup started.
import { randomBytes } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { inject } from "vitest";
import { closeDb, setDatabaseUrl } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { ingestFiles } from "@/lib/ingest/run-ingest";

export type TestDatabase = { url: string; pool: pg.Pool; drop(): Promise<void> };

export function databaseUrl(name: string): string {
  const url = new URL(inject("postgresAdminUrl"));
  url.pathname = `/${name}`;
  return url.toString();
}

export async function createDatabase(options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const name = `test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: inject("postgresAdminUrl") });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = databaseUrl(name);
  if (options.migrated ?? true) await migrate(url);
  const pool = new pg.Pool({ connectionString: url, max: 5 });
  // DROP ... WITH (FORCE) below may still catch a closing client; that is expected.
  pool.on("error", () => undefined);
  return {
    url,
    pool,
    async drop() {
      await pool.end();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/**
 * A fresh database that the app itself (lib/db) uses in this test file, with the named folders of
 * tests/fixtures ingested as of `today`; drop() also closes the app's connections.
 */
export async function createAppDatabase(fixtures: string[] = [], today = "2026-07-01"): Promise<TestDatabase> {
  const database = await createDatabase();
  setDatabaseUrl(database.url);
  if (fixtures.length > 0) await ingestFiles(database.pool, fixtures.map((name) => path.join(process.cwd(), "tests", "fixtures", name)), { today });
  return {
    ...database,
    async drop() {
      await closeDb();
      await database.drop();
    },
  };
}

/** A paper for tests that need exact days, votes and categories (the ingest path has its own tests). */
export type TestPaper = { id: string; title: string; categories: string[]; day: string; votes: number; authors?: string[]; abstract?: string };

/** Inserts `papers` as listed on their days (abstract "<title>: an abstract." and author Grace Hopper unless given). */
export async function insertPapers(pool: pg.Pool, papers: TestPaper[]): Promise<void> {
  await pool.query(
    `INSERT INTO paper (id, title, abstract, authors, categories, listed_at, listed_rank, source_upvotes)
     SELECT p.id, p.title, p.abstract, p.authors, p.categories, p.day::date, 1, p.votes
     FROM jsonb_to_recordset($1::jsonb) AS p(id text, title text, abstract text, authors text[], categories text[], day text, votes int)`,
    [JSON.stringify(papers.map((paper) => ({ abstract: `${paper.title}: an abstract.`, authors: ["Grace Hopper"], ...paper })))],
  );
}
