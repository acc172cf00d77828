import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { closeDb, setDatabaseUrl } from "@/lib/db/client";
import { searchPostgres } from "@/lib/search/postgres-search";
import { FALLBACK_CANDIDATES } from "@/lib/search/store";
import type { SearchQuery } from "@/lib/search/types";
import { buildScaleDatabase } from "@/scripts/bench/scale-db";
import { degradedSearch, transposeInLongWord } from "@/scripts/bench/scale-measure";
import { seededRandom } from "@/scripts/bench/scale-papers";

// The Postgres fallback on a few thousand papers generated as bench:scale generates a million (text
// walked from the real sample's word pairs, so common words are as common as in real abstracts).
const PAPERS = 4_000;
const NAME = `scale_it_${process.pid}`;
let pool: pg.Pool;

function query(q: string, extra: Partial<SearchQuery> = {}): SearchQuery {
  return { q, sort: "relevance", limit: 20, offset: 0, ...extra };
}

beforeAll(async () => {
  const admin = inject("postgresAdminUrl");
  await buildScaleDatabase(admin, NAME, PAPERS, () => undefined);
  const url = new URL(admin);
  url.pathname = `/${NAME}`;
  setDatabaseUrl(url.toString());
  pool = new pg.Pool({ connectionString: url.toString(), max: 3 });
});

afterAll(async () => {
  await pool.end();
  await closeDb();
  const admin = new pg.Client({ connectionString: inject("postgresAdminUrl") });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${NAME}" WITH (FORCE)`);
  await admin.end();
});

async function sample(n: number, seed: number): Promise<{ id: string; title: string; categories: string[] }[]> {
  const { rows } = await pool.query<{ id: string; title: string; categories: string[] }>(
    `SELECT id, title, categories FROM paper ORDER BY md5(id || $1) LIMIT $2`,
    [String(seed), n],
  );
  return rows;
}

describe("search fallback quality", () => {
  it("finds a real title with one transposition in a long word in the top 10, for at least 90 of 100 papers", async () => {
    const random = seededRandom(3);
    const missed: string[] = [];
    let tried = 0;
    for (const paper of await sample(200, 1)) {
      if (tried === 100) break;
      const typo = transposeInLongWord(paper.title, random);
      if (!typo) continue;
      tried++;
      expect(typo).not.toBe(paper.title);
      const ids = await degradedSearch(pool, query(typo));
      if (!ids.slice(0, 10).includes(paper.id)) missed.push(`${paper.id}: ${typo}`);
    }
    expect(tried).toBe(100);
    expect(missed.length, missed.join("\n")).toBeLessThanOrEqual(10);
  });

  it("finds a long title with two typos, and a title given in lower case, first", async () => {
    for (const paper of (await sample(60, 2)).filter((candidate) => candidate.title.split(" ").length >= 9).slice(0, 20)) {
      const random = seededRandom(paper.id.length);
      const twice = transposeInLongWord(transposeInLongWord(paper.title, random) ?? paper.title, random) ?? paper.title;
      const found = await searchPostgres(pool, query(twice));
      expect(found.hits.map((hit) => hit.id).slice(0, 3), twice).toContain(paper.id);
      expect((await searchPostgres(pool, query(paper.title.toLowerCase()))).hits[0]?.id, paper.title).toBe(paper.id);
    }
  });

  it("answers an arXiv id, with or without a version or prefix, with that paper", async () => {
    const [paper] = await sample(1, 3);
    for (const q of [paper!.id, `${paper!.id}v2`, `arXiv:${paper!.id}`]) {
      expect((await searchPostgres(pool, query(q))).hits.map((hit) => hit.id), q).toEqual([paper!.id]);
    }
  });

  it("ranks a bounded set of a common word's matches: a full page, title matches first, the total capped like Meilisearch's", async () => {
    const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM paper WHERE search_vector @@ websearch_to_tsquery('english', 'models')`);
    expect(rows[0]!.n).toBeGreaterThan(FALLBACK_CANDIDATES);
    const result = await searchPostgres(pool, query("models"));
    expect(result.total).toBe(FALLBACK_CANDIDATES);
    expect(result.hits).toHaveLength(20);
    expect(result.hits.every((hit) => /model/i.test(hit.title)), result.hits.map((hit) => hit.title).join("\n")).toBe(true);
    const page2 = await searchPostgres(pool, query("models", { offset: 20 }));
    expect(page2.hits.map((hit) => hit.id).filter((id) => result.hits.some((hit) => hit.id === id))).toEqual([]);
  });

  it("keeps to the filters and sorts", async () => {
    const byCategory = await searchPostgres(pool, query("reasoning", { categories: ["hep-th"] }));
    expect(byCategory.hits.length).toBeGreaterThan(0);
    expect(byCategory.hits.every((hit) => hit.categories.includes("hep-th"))).toBe(true);
    const newest = await searchPostgres(pool, query("reasoning", { sort: "newest" }));
    const days = newest.hits.map((hit) => hit.listedAt);
    expect(days).toEqual([...days].sort().reverse());
    const votes = (await searchPostgres(pool, query("reasoning", { sort: "votes" }))).hits.map((hit) => hit.votes);
    expect(votes).toEqual([...votes].sort((a, b) => b - a));
    const filtersOnly = await searchPostgres(pool, query("", { categories: ["quant-ph"] }));
    expect(filtersOnly.hits).toHaveLength(20);
    expect(filtersOnly.hits.every((hit) => hit.categories.includes("quant-ph"))).toBe(true);
  });
});
