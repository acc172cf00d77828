import http from "node:http";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { ingestFiles } from "@/lib/ingest/run-ingest";
import { getPaper } from "@/lib/papers/get-paper";
import type { PaperDetail } from "@/lib/papers/types";
import { searchPapers } from "@/lib/search";
import { engineConfig, setSearchConnection } from "@/lib/search/engine";
import { similarPapers } from "@/lib/search/similar";
import { chooseSimilarTerms } from "@/lib/search/similar-terms";
import { syncSearch } from "@/lib/search/sync";
import { createAppDatabase, type TestDatabase } from "./test-db";

const FIXTURES = path.join(process.cwd(), "tests", "fixtures");
const INDEX = `papers_similar_it_${Date.now()}`;
let database: TestDatabase;
let key: string;

/**
 * An admin key for this file's index alone. With the master key, engineConfig would make the one
 * shared search key (its uid comes from the master key only), scoped to whichever test file's
 * index asked first, and the other file's searches would be refused.
 */
async function scopedKey(): Promise<string> {
  const response = await fetch(`${inject("meiliUrl")}/keys`, {
    method: "POST",
    headers: { Authorization: `Bearer ${inject("meiliMasterKey")}`, "Content-Type": "application/json" },
    body: JSON.stringify({ actions: ["search", "documents.*", "indexes.*", "settings.*", "tasks.*"], indexes: [`${INDEX}*`], expiresAt: null }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { key: string }).key;
}

function connectToSharedEngine() {
  setSearchConnection({ url: inject("meiliUrl"), key, index: INDEX });
}

/** A fixture paper, found by a phrase of its title. */
async function paperTitled(phrase: string): Promise<PaperDetail> {
  const { rows } = await database.pool.query<{ id: string }>(`SELECT id FROM paper WHERE title ILIKE $1 ORDER BY id LIMIT 1`, [`%${phrase}%`]);
  const paper = rows[0] && (await getPaper(rows[0].id));
  if (!paper) throw new Error(`no fixture paper titled like "${phrase}"`);
  return paper;
}

/** Title and full abstract of papers, from Postgres (hits carry only an excerpt). */
async function texts(ids: string[]): Promise<Map<string, string>> {
  const { rows } = await database.pool.query<{ id: string; text: string }>(`SELECT id, title || ' ' || abstract AS text FROM paper WHERE id = ANY($1)`, [ids]);
  return new Map(rows.map((row) => [row.id, row.text.toLowerCase()]));
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  database = await createAppDatabase();
  key = await scopedKey();
  connectToSharedEngine();
  await ingestFiles(database.pool, [path.join(FIXTURES, "hf-daily-papers"), path.join(FIXTURES, "arxiv-kaggle")], { today: "2026-07-01" });
  const admin = await engineConfig("admin");
  if (!admin) throw new Error("no engine");
  const report = await syncSearch(database.pool, admin);
  expect(report.indexed).toBeGreaterThan(200);
});

afterAll(async () => {
  await database.drop();
});

describe("similar papers through Meilisearch", () => {
  it("for a paper about attention, lists papers about attention, without the paper itself", async () => {
    const paper = await paperTitled("linear attention");
    const similar = await similarPapers(paper, 5);
    expect(similar).not.toBeNull();
    expect(similar).toHaveLength(5);
    const ids = similar!.map((item) => item.id);
    expect(ids).not.toContain(paper.id);
    expect(new Set(ids).size).toBe(ids.length);
    const text = await texts(ids);
    // The top results share the paper's subject, in their title or abstract.
    for (const id of ids.slice(0, 3)) expect(text.get(id)).toMatch(/attention/);
    expect(ids.filter((id) => /attention|transformer/.test(text.get(id)!)).length).toBeGreaterThanOrEqual(4);
  });

  it("carries each paper's title, first authors, listing day and votes as Postgres has them", async () => {
    const paper = await paperTitled("linear attention");
    const similar = (await similarPapers(paper, 5))!;
    for (const item of similar) {
      const stored = (await getPaper(item.id))!;
      expect(item.title).toBe(stored.title);
      expect(item.listedAt).toBe(stored.listedAt);
      expect(item.votes).toBe(stored.votes);
      expect(item.authors.names).toEqual(stored.authors.slice(0, item.authors.names.length));
      expect(item.authors.names.length + item.authors.more).toBe(stored.authors.length);
      expect(item.authors.names.length).toBeLessThanOrEqual(4);
    }
  });

  it("never lists the paper itself, though a plain search for the same words finds it", async () => {
    const { rows } = await database.pool.query<{ id: string }>(`SELECT id FROM paper ORDER BY md5(id) LIMIT 25`);
    let foundByPlainSearch = 0;
    for (const { id } of rows) {
      const paper = (await getPaper(id))!;
      const similar = await similarPapers(paper, 5);
      expect(similar, id).not.toBeNull();
      expect(similar!.map((item) => item.id), id).not.toContain(id);
      const plain = await searchPapers({ q: chooseSimilarTerms(paper).join(" "), sort: "relevance", limit: 6, offset: 0 });
      if (plain.items.some((hit) => hit.id === id)) foundByPlainSearch++;
    }
    // Otherwise leaving the paper out would prove nothing.
    expect(foundByPlainSearch).toBeGreaterThan(rows.length / 2);
  });

  it("every result shares at least one of the query's words with the paper", async () => {
    // "quark": Meilisearch alone would also match "favor" for "flavor" (one typo).
    for (const phrase of ["linear attention", "diffusion", "world model", "KV cache", "motion capture", "quark"]) {
      const paper = await paperTitled(phrase);
      const terms = chooseSimilarTerms(paper).map((term) => term.replace(/s$/, ""));
      const similar = (await similarPapers(paper, 5))!;
      expect(similar.length, phrase).toBeGreaterThan(0);
      const text = await texts(similar.map((item) => item.id));
      for (const item of similar) expect(terms.some((term) => text.get(item.id)!.includes(term)), `${phrase}: ${item.title}`).toBe(true);
    }
  });

  it("lists at most the limit", async () => {
    const paper = await paperTitled("diffusion");
    for (const limit of [1, 2, 5, 8]) {
      const similar = await similarPapers(paper, limit);
      expect(similar, String(limit)).toHaveLength(limit);
    }
    expect(await similarPapers(paper, 0)).toEqual([]);
  });

  it("is an empty list, not an error, for a paper with no telling words", async () => {
    expect(await similarPapers({ id: "0000.00000", title: "A new method", abstract: "We propose and show results.", keywords: [] }, 5)).toEqual([]);
  });
});

describe("when Meilisearch is degraded", () => {
  it("is null when Meilisearch is unreachable", async () => {
    const paper = await paperTitled("linear attention");
    try {
      setSearchConnection({ url: `http://127.0.0.1:${await closedPort()}`, key, index: INDEX });
      expect(await similarPapers(paper, 5)).toBeNull();
    } finally {
      connectToSharedEngine();
    }
    expect(await similarPapers(paper, 5)).toHaveLength(5);
  });

  it("is null, within the search timeout, when Meilisearch accepts but does not answer", async () => {
    const paper = await paperTitled("linear attention");
    const silent = http.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      setSearchConnection({ url: `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}`, key, index: INDEX });
      const started = performance.now();
      expect(await similarPapers(paper, 5)).toBeNull();
      expect(performance.now() - started).toBeLessThan(3_000);
    } finally {
      connectToSharedEngine();
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it("is null when Meilisearch answers with an error", async () => {
    const paper = await paperTitled("linear attention");
    try {
      setSearchConnection({ url: inject("meiliUrl"), key, index: `${INDEX}_missing` });
      expect(await similarPapers(paper, 5)).toBeNull();
    } finally {
      connectToSharedEngine();
    }
  });
});
