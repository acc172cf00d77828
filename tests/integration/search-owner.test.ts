import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ingestFiles } from "@/lib/ingest/run-ingest";
import { readIndexOwner, resolveKeys, writeIndexOwner, type EngineConfig } from "@/lib/search/meilisearch";
import { reconcileSearch, syncSearch, syncSearchNow } from "@/lib/search/sync";
import { createDatabase, type TestDatabase } from "./test-db";

// Two databases of this checkout (as a CLI run with another DATABASE_URL would use) and one index in
// the shared Meilisearch: the index belongs to the database that filled it.

const run = promisify(execFile);
const INDEX = `papers_owner_it_${Date.now()}`;
const FIXTURES = path.join(process.cwd(), "tests", "fixtures");
const FOREIGN = /holds the papers of another database \(database "test_\w+" of Postgres cluster \d+, since [^)]+\), not of this one \(database "test_\w+" of Postgres cluster \d+\); nothing was written to it\. Give this database its own index with MEILI_INDEX, or, to replace that index with this database's papers, run npm run search:reindex -- --take-over\./;
let a: TestDatabase;
let b: TestDatabase;
let engine: EngineConfig;

async function documentCount(): Promise<number> {
  const response = await fetch(`${engine.url}/indexes/${INDEX}/stats`, { headers: { Authorization: `Bearer ${engine.key}` } });
  return ((await response.json()) as { numberOfDocuments: number }).numberOfDocuments;
}

async function queued(database: TestDatabase): Promise<number> {
  return (await database.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM search_outbox`)).rows[0]!.n;
}

async function paperCount(database: TestDatabase): Promise<number> {
  return (await database.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM paper`)).rows[0]!.n;
}

/** npm run search:reindex as an operator runs it against the shared engine, for `database`. */
function reindexCli(database: TestDatabase, ...args: string[]) {
  const env = { ...process.env, DATABASE_URL: database.url, MEILI_URL: inject("meiliUrl"), MEILI_MASTER_KEY: inject("meiliMasterKey"), MEILI_INDEX: INDEX };
  return run(process.execPath, ["--import", "tsx", "scripts/search-reindex.ts", ...args], { env }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

beforeAll(async () => {
  [a, b] = await Promise.all([createDatabase(), createDatabase()]);
  await ingestFiles(a.pool, [path.join(FIXTURES, "hf-daily-papers")], { today: "2026-07-01" });
  await ingestFiles(b.pool, [path.join(FIXTURES, "arxiv-kaggle")], { today: "2026-07-01" });
  const keys = await resolveKeys(inject("meiliUrl"), inject("meiliMasterKey"), INDEX);
  engine = { url: inject("meiliUrl"), key: keys.admin, index: INDEX, timeoutMs: 5_000 };
});

afterAll(async () => {
  await a.drop();
  await b.drop();
});

describe("a search index belongs to one database", () => {
  it("the first sync claims a new index for its database", async () => {
    expect(await readIndexOwner(engine)).toBeUndefined();
    const report = await syncSearch(a.pool, engine);
    expect(report.indexed).toBe(await paperCount(a));
    expect(await readIndexOwner(engine)).toMatchObject({ database: expect.stringMatching(/^test_/), cluster: expect.stringMatching(/^\d+$/) });
    expect(await documentCount()).toBe(await paperCount(a));
  });

  it("another database's sync and reconcile refuse it, say what to do, and write nothing", async () => {
    const waiting = await queued(b);
    expect(waiting).toBe(await paperCount(b));
    await expect(syncSearch(b.pool, engine)).rejects.toThrow(FOREIGN);
    await expect(reconcileSearch(b.pool, engine)).rejects.toThrow(FOREIGN);
    // What scripts print after writing papers: the reason, and that the changes wait.
    expect(await syncSearchNow(b.pool, engine)).toMatch(/^search: not updated \(The search index .* holds the papers of another database .*--take-over\.\) The changes stay queued\.$/);
    expect(await queued(b)).toBe(waiting);
    expect(await documentCount()).toBe(await paperCount(a));
    // The owner still syncs and reconciles as before.
    expect(await reconcileSearch(a.pool, engine)).toEqual({ missing: 0, stale: 0, extra: 0 });
  });

  it("the same database restored into another cluster is another database: refused until rebuilt", async () => {
    const owner = (await readIndexOwner(engine))!;
    await writeIndexOwner(engine, { ...owner, cluster: "7000000000000000001" });
    await expect(syncSearch(a.pool, engine)).rejects.toThrow(/of Postgres cluster 7000000000000000001/);
    await writeIndexOwner(engine, owner);
  });

  it("search:reindex refuses another database's index, and --take-over rebuilds it from this one, after which the former owner is refused", async () => {
    const refused = await reindexCli(b);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(FOREIGN);
    expect(await documentCount()).toBe(await paperCount(a));

    const taken = await reindexCli(b, "--take-over");
    expect(taken).toMatchObject({ code: 0, stdout: expect.stringContaining(`search:reindex: ${await paperCount(b)} papers indexed`) });
    expect(await documentCount()).toBe(await paperCount(b));
    expect((await readIndexOwner(engine))?.database).toBe(new URL(b.url).pathname.slice(1));

    await expect(syncSearch(a.pool, engine)).rejects.toThrow(FOREIGN);
    // The reindex left b's outbox queued (for changes made meanwhile); its sync now goes through.
    await syncSearch(b.pool, engine);
    expect(await queued(b)).toBe(0);
    expect(await reconcileSearch(b.pool, engine)).toEqual({ missing: 0, stale: 0, extra: 0 });
  });

  it("search:reindex takes no other argument", async () => {
    expect(await reindexCli(a, "--takeover")).toMatchObject({ code: 2, stderr: expect.stringContaining("unknown argument --takeover") });
  });
});
