import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { describeSchema } from "@/lib/db/describe-schema";
import { listMigrations, migrate } from "@/lib/db/migrate";
import { createDatabase, type TestDatabase } from "./test-db";

const run = promisify(execFile);
// Objects Prisma's schema language cannot express, so they live in migrations only: the search
// fallback's generated vector column and indexes, the local-title and pending-delivery indexes, the extension they need,
// and the check that a vote has exactly one voter.
const SQL_ONLY = /paper_search_|paper_title_lower_idx|delivery_pending_idx|vote_one_voter|^column paper\.search_vector |^extension pg_trgm$/;
const databases: TestDatabase[] = [];

async function fresh(migrated: boolean): Promise<TestDatabase> {
  const database = await createDatabase({ migrated });
  databases.push(database);
  return database;
}

/** The SQL Prisma derives from schema.prisma alone (offline: no shadow database involved). */
async function schemaSql(url: string): Promise<string> {
  const prisma = path.join(process.cwd(), "node_modules", ".bin", "prisma");
  const { stdout } = await run(prisma, ["migrate", "diff", "--from-empty", "--to-schema-datamodel", "prisma/schema.prisma", "--script"], {
    env: { ...process.env, DATABASE_URL: url, CHECKPOINT_DISABLE: "1", PRISMA_HIDE_UPDATE_MESSAGE: "1" },
  });
  return stdout;
}

afterAll(async () => {
  for (const database of databases) await database.drop();
});

describe("migrations", () => {
  it("apply from an empty database, and a second run applies nothing", async () => {
    const database = await fresh(false);
    const applied = await migrate(database.url);
    expect(applied).toEqual(listMigrations().map((migration) => migration.name));
    expect(await migrate(database.url)).toEqual([]);
    const tables = await database.pool.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
    );
    expect(tables.rows.map((row) => row.table_name)).toEqual(["_prisma_migrations", "delivery", "digest", "digest_edition", "fetch_gate", "harvest_day", "harvest_state", "ingest_run", "mail_backoff", "paper", "paper_source", "person", "rate_limit", "search_outbox", "session", "sign_in_link", "subscriber", "vote"]);
  });

  it("npm run migrate applies them to DATABASE_URL and says what it applied", async () => {
    const database = await fresh(false);
    const migrateCli = () =>
      run(process.execPath, ["--import", "tsx", "scripts/migrate.ts"], { env: { ...process.env, DATABASE_URL: database.url } });
    const total = listMigrations().length;
    const first = await migrateCli();
    expect(first.stdout).toContain(`migrate: applied ${total} of ${total} migrations now`);
    expect(first.stderr).toContain(`Applied migrations: ${listMigrations().map((migration) => migration.name).join(", ")}`);
    expect((await migrateCli()).stdout).toContain(`migrate: nothing to apply; all ${total} migrations were applied before.`);
  });

  it("two processes migrating at once take turns", async () => {
    const database = await fresh(false);
    const results = await Promise.all([migrate(database.url), migrate(database.url)]);
    expect(results.flat()).toEqual(listMigrations().map((migration) => migration.name));
  });

  it("match schema.prisma exactly (drift check)", async () => {
    const fromMigrations = await fresh(true);
    const fromSchema = await fresh(false);
    const sql = await schemaSql(fromSchema.url);
    await fromSchema.pool.query(sql);
    const expected = await describeSchema(fromSchema.url);
    expect(expected.length).toBeGreaterThan(20);
    const actual = (await describeSchema(fromMigrations.url)).filter((line) => !SQL_ONLY.test(line));
    expect(actual).toEqual(expected);
  });

  it("the drift check notices a difference", async () => {
    const database = await fresh(true);
    const before = await describeSchema(database.url);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query(`ALTER TABLE paper ALTER COLUMN doi TYPE varchar(200)`);
    await client.end();
    expect(await describeSchema(database.url)).not.toEqual(before);
  });
});
