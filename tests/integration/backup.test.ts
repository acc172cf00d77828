// Backups against real Postgres: an instance with papers, subscribers and their preferences, a frozen
// and sent digest, deliveries, votes and sessions is backed up and restored into a fresh database,
// table by table and page by page the same; a non-empty target, a cut or damaged file, are refused
// and leave the target as it was; the restore CLI says when Meilisearch is away and exits 0.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession } from "@/lib/auth/sessions";
import { verifyPerson } from "@/lib/auth/store";
import { backupDatabase, BackupError, restoreDatabase, type BackupReport } from "@/lib/db/backup";
import { closeDb, setDatabaseUrl } from "@/lib/db/client";
import { digests } from "@/lib/digest/store";
import { closeMailTransport } from "@/lib/mail/transport";
import { listTrending } from "@/lib/papers/trending";
import { setVote } from "@/lib/votes/votes";
import { startSmtp, type TestSmtp } from "./smtp";
import { sendDigestTo } from "./digest-run";
import { createAppDatabase, createDatabase, type TestDatabase } from "./test-db";

const run = promisify(execFile);
let source: TestDatabase;
let smtp: TestSmtp;
let dir: string;
let backup: BackupReport;
let day: string;
const targets: TestDatabase[] = [];

/** Every table of the app, each as its rows in a stable order: what "identical" means here. */
async function snapshot(url: string): Promise<Record<string, unknown[]>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ name: string }>(
      `SELECT relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND relkind = 'r' AND relname <> 'search_outbox' ORDER BY 1`,
    );
    const result: Record<string, unknown[]> = {};
    for (const { name } of tables.rows) {
      const { rows } = await client.query<{ row: unknown }>(`SELECT to_jsonb(t) AS row FROM "${name}" t ORDER BY to_jsonb(t)::text`);
      result[name] = rows.map((row) => row.row);
    }
    const sequences = await client.query(`SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public' AND sequencename NOT LIKE 'search_outbox%' ORDER BY 1`);
    result["(sequences)"] = sequences.rows;
    return result;
  } finally {
    await client.end();
  }
}

async function target(migrated = false): Promise<TestDatabase> {
  const database = await createDatabase({ migrated });
  targets.push(database);
  return database;
}

/** Reads the app's pages from the database at `url` (the app has one pool per process). */
async function pages(url: string) {
  await closeDb();
  setDatabaseUrl(url);
  return { trending: await listTrending({ period: "day", date: day, limit: 50 }), week: await listTrending({ period: "week", date: day, limit: 50 }), digest: await digests.get(day) };
}

beforeAll(async () => {
  source = await createAppDatabase(["hf-daily-papers", "arxiv-atom"]);
  day = (await source.pool.query<{ day: string }>(`SELECT max(listed_at)::text AS day FROM paper`)).rows[0]!.day;
  const topPapers = (await source.pool.query<{ id: string }>(`SELECT id FROM paper WHERE listed_at = $1::date ORDER BY id LIMIT 3`, [day])).rows.map((row) => row.id);
  // Subscribers with preferences (a weekly one with topics and follows, a daily one without), one with a session.
  await source.pool.query(
    `INSERT INTO subscriber (email, status, confirmed_at, categories, keywords, authors, cadence, weekly_day, send_empty, cross_lists)
     VALUES ('plain@example.org', 'confirmed', now(), '{}', '{}', '{}', 'daily', 1, false, true),
            ('picky@example.org', 'confirmed', now(), '{cs.CL,cs.LG}', '{"language model"}', '{"Grace Hopper"}', 'daily', 3, true, false),
            ('pending@example.org', 'pending', NULL, '{}', '{}', '{}', 'daily', 1, false, true)`,
  );
  const alice = await verifyPerson("plain@example.org");
  await createSession(alice);
  await createSession(await verifyPerson("voter@example.org"));
  for (const id of topPapers) await setVote(id, { personId: alice }, true);
  await setVote(topPapers[0]!, { visitorId: "visitor-one" }, true);
  await source.pool.query(`INSERT INTO rate_limit (key, points, expire) VALUES ('vote:ip:203.0.113.0', 3, 9999999999999)`);

  smtp = await startSmtp();
  const result = await sendDigestTo(smtp.url, { date: day });
  expect(result).toMatchObject({ outcome: "sent" });
  expect(smtp.mails.length).toBeGreaterThanOrEqual(2);

  dir = fs.mkdtempSync(path.join(os.tmpdir(), "trending-papers-backup-"));
  backup = await backupDatabase(source.url, path.join(dir, "backups"));
});

afterAll(async () => {
  closeMailTransport();
  await smtp?.close();
  await closeDb();
  for (const database of targets) await database.drop().catch(() => undefined);
  // The app's pool already went in closeDb; drop the source database itself.
  await source?.drop().catch(() => undefined);
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("npm run backup", () => {
  it("writes one private, timestamped file and says what it holds", () => {
    expect(path.basename(backup.file)).toMatch(/^trending-papers-\d{8}T\d{6}Z\.backup$/);
    expect(fs.statSync(backup.file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(path.dirname(backup.file))).toEqual([path.basename(backup.file)]);
    expect(backup.bytes).toBe(fs.statSync(backup.file).size);
    expect(backup.rows).toMatchObject({ subscriber: 3, person: 2, session: 2, vote: 4, digest: 1, rate_limit: 1 });
    expect(backup.rows.paper).toBeGreaterThan(10);
    expect(backup.rows.delivery).toBeGreaterThanOrEqual(2);
    expect(backup.rows.digest_edition).toBeGreaterThanOrEqual(1);
    expect(backup.rows).not.toHaveProperty("search_outbox");
  });
});

describe("npm run restore", () => {
  it("loads the backup into an empty database: every table, sequence and page the same, every paper queued for search", async () => {
    const fresh = await target();
    const report = await restoreDatabase(fresh.url, backup.file);
    expect(report.rows).toEqual(backup.rows);
    expect(report.replaced).toEqual({});
    const [before, after] = [await snapshot(source.url), await snapshot(fresh.url)];
    for (const table of ["paper", "subscriber", "delivery", "digest", "digest_edition", "vote", "person", "session", "rate_limit", "_prisma_migrations"]) {
      expect(after[table], table).toEqual(before[table]);
      expect(after[table]?.length, table).toBeGreaterThan(0);
    }
    expect(after).toEqual(before);
    const queued = await fresh.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM search_outbox`);
    expect(queued.rows[0]!.n).toBe(backup.rows.paper);

    const [sourcePages, restoredPages] = [await pages(source.url), await pages(fresh.url)];
    expect(restoredPages.trending.items.length).toBeGreaterThan(0);
    expect(restoredPages.digest?.papers.length).toBeGreaterThan(0);
    expect(restoredPages).toEqual(sourcePages);
    await closeDb();

    // New rows continue the sequences instead of colliding with restored ids.
    const next = await fresh.pool.query<{ id: string }>(`INSERT INTO person (email, mailbox_key) VALUES ('new@example.org', 'new@example.org') RETURNING id::text`);
    const ids = (after.person as { id: number }[]).map((row) => row.id);
    expect(Number(next.rows[0]!.id)).toBeGreaterThan(Math.max(...ids));
  });

  it("refuses a database that holds rows, naming them, and changes nothing", async () => {
    const before = await snapshot(source.url);
    const refusal = restoreDatabase(source.url, backup.file);
    await expect(refusal).rejects.toThrow(BackupError);
    await expect(refusal).rejects.toThrow(/not empty \(.*paper \d+.*\).*--force/);
    expect(await snapshot(source.url)).toEqual(before);
  });

  it("with force, replaces what the database holds and says what it was", async () => {
    const other = await target();
    await restoreDatabase(other.url, backup.file);
    const client = new pg.Client({ connectionString: other.url });
    await client.connect();
    await client.query(`DELETE FROM vote; INSERT INTO person (email, mailbox_key) VALUES ('stray@example.org', 'stray@example.org')`);
    await client.end();
    const report = await restoreDatabase(other.url, backup.file, { force: true });
    expect(report.replaced).toMatchObject({ person: 3, paper: backup.rows.paper });
    expect(await snapshot(other.url)).toEqual(await snapshot(source.url));
  });

  it("refuses a cut or damaged file with a clear message, and the target stays as it was", async () => {
    const bytes = fs.readFileSync(backup.file);
    const cut = path.join(dir, "cut.backup");
    fs.writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.7)));
    const damaged = path.join(dir, "damaged.backup");
    const flipped = Buffer.from(bytes);
    for (let at = Math.floor(flipped.length / 2); at < flipped.length / 2 + 64; at++) flipped[at] = flipped[at]! ^ 0xff;
    fs.writeFileSync(damaged, flipped);
    const notOne = path.join(dir, "notes.txt");
    fs.writeFileSync(notOne, "just some text\n");

    const empty = await target(true);
    const emptyBefore = await snapshot(empty.url);
    await expect(restoreDatabase(empty.url, cut)).rejects.toThrow(/cut short/);
    await expect(restoreDatabase(empty.url, damaged)).rejects.toThrow(/damaged/);
    await expect(restoreDatabase(empty.url, notOne)).rejects.toThrow(/not a Trending Papers backup/);
    await expect(restoreDatabase(empty.url, path.join(dir, "missing.backup"))).rejects.toThrow(/No backup file/);
    expect(await snapshot(empty.url)).toEqual(emptyBefore);

    // Forced over a full database: the damage is found after the tables were dropped and half loaded; all rolled back.
    const full = await target();
    await restoreDatabase(full.url, backup.file);
    const fullBefore = await snapshot(full.url);
    await expect(restoreDatabase(full.url, cut, { force: true })).rejects.toThrow(/cut short/);
    await expect(restoreDatabase(full.url, damaged, { force: true })).rejects.toThrow(/damaged/);
    expect(await snapshot(full.url)).toEqual(fullBefore);
  });

  it("as a CLI: refuses a non-empty database (exit 1), restores an empty one and says Meilisearch is away (exit 0)", async () => {
    const fresh = await target(true);
    const cli = (url: string, ...args: string[]) =>
      run("npx", ["tsx", "scripts/restore.ts", ...args], {
        env: { ...process.env, DATABASE_URL: url, MEILI_URL: "http://127.0.0.1:9", MEILI_MASTER_KEY: "an-unreachable-meilisearch-key" },
      }).then(
        (done) => ({ code: 0, stdout: done.stdout, stderr: done.stderr }),
        (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
      );
    expect(await cli(fresh.url)).toMatchObject({ code: 2, stderr: expect.stringContaining("usage: npm run restore") });
    expect(await cli(source.url, backup.file)).toMatchObject({ code: 1, stderr: expect.stringContaining("is not empty") });
    const restored = await cli(fresh.url, "--", backup.file);
    expect(restored).toMatchObject({ code: 0, stdout: expect.stringContaining(`${backup.rows.paper} papers, 3 subscribers`) });
    expect(restored.stdout).toMatch(/^search: (not rebuilt now|no Meilisearch now).*stays queued/m);
    expect((await snapshot(fresh.url)).paper).toEqual((await snapshot(source.url)).paper);
  });
});
