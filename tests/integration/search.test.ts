import fs from "node:fs";
import http from "node:http";
import type net from "node:net";
import os from "node:os";
import path from "node:path";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { inject } from "vitest";
import { env } from "@/lib/env";
import { ingestFiles } from "@/lib/ingest/run-ingest";
import { searchPapers, type SearchQuery } from "@/lib/search";
import { encodeDocumentId } from "@/lib/search/document";
import { setSearchConnection, engineConfig } from "@/lib/search/engine";
import { similarPapers } from "@/lib/search/similar";
import { indexedChecksumsOf } from "@/lib/search/meilisearch";
import { reconcileSearch, reindexSearch, syncSearch } from "@/lib/search/sync";
import { startEmbeddedMeilisearch } from "@/lib/services/embedded-meilisearch";
import { GET as searchApi } from "@/app/api/search/route";
import { GET as healthApi } from "@/app/api/health/route";
import { createAppDatabase, type TestDatabase } from "./test-db";
import { fromSomeClient } from "./client";

const FIXTURES = path.join(process.cwd(), "tests", "fixtures");
const INDEX = `papers_it_${Date.now()}`;
let database: TestDatabase;
let tmp: string;

function connectToSharedEngine() {
  setSearchConnection({ url: inject("meiliUrl"), key: inject("meiliMasterKey"), index: INDEX });
}

async function admin() {
  const engine = await engineConfig("admin");
  if (!engine) throw new Error("no engine");
  return engine;
}

function query(q: string, extra: Partial<SearchQuery> = {}): SearchQuery {
  return { q, sort: "relevance", limit: 20, offset: 0, ...extra };
}

function text(segments: { text: string }[]): string {
  return segments.map((segment) => segment.text).join("");
}

/** Date.now (the search breaker's clock), moved forward on demand; the real clock keeps running under it. */
function shiftableClock() {
  const realNow = Date.now;
  let offset = 0;
  const spy = vi.spyOn(Date, "now").mockImplementation(() => realNow.call(Date) + offset);
  return {
    skip: (ms: number) => {
      offset += ms;
    },
    restore: () => spy.mockRestore(),
  };
}

beforeAll(async () => {
  database = await createAppDatabase();
  connectToSharedEngine();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "search-it-"));
  const hostile = [
    {
      id: "2607.00101",
      title: "Robust <script>alert(1)</script> Transformers",
      abstract: 'We study transformers with <img src=x onerror="alert(2)"> inputs and attention.',
      authors_parsed: [["Doe", "Jane", ""]],
      categories: "cs.CR",
      versions: [{ version: "v1", created: "Wed, 1 Jul 2026 10:00:00 GMT" }],
    },
    {
      id: "2607.00102",
      title: "Zyxquorp kernels in $\\mathcal{O}(n)$ <b>time</b>",
      abstract: "Zyxquorp kernels cost $O(n \\log n)$ per step and \\$5 per run.",
      authors_parsed: [["Roe", "Max", ""]],
      categories: "math.CO",
      versions: [{ version: "v1", created: "Wed, 1 Jul 2026 10:00:00 GMT" }],
    },
  ];
  fs.writeFileSync(path.join(tmp, "hostile.jsonl"), hostile.map((line) => JSON.stringify(line)).join("\n"));
  await ingestFiles(database.pool, [path.join(FIXTURES, "hf-daily-papers"), path.join(FIXTURES, "arxiv-kaggle"), path.join(tmp, "hostile.jsonl")], { today: "2026-07-01" });
  const report = await syncSearch(database.pool, await admin());
  expect(report.indexed).toBeGreaterThan(200);
});

afterAll(async () => {
  await database.drop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("search through Meilisearch", () => {
  it("every paper reached the index through the outbox, which is now empty", async () => {
    const { rows } = await database.pool.query(`SELECT count(*)::int AS n FROM search_outbox`);
    expect(rows[0].n).toBe(0);
  });

  it("/api/health reports search as up", async () => {
    expect(await (await healthApi()).json()).toMatchObject({ status: "ok", search: { engine: "meilisearch", ok: true, degraded: false } });
  });

  it("tolerates typos", async () => {
    const result = await searchPapers(query("transfomer"));
    expect(result.degraded).toBe(false);
    expect(result.items.length).toBeGreaterThan(0);
    // One typo away ("transformer") ranks above two ("transfer").
    const first = result.items[0]!;
    const marked = [...first.highlights.title, ...first.highlights.abstract].filter((segment) => segment.highlight);
    expect(marked.length).toBeGreaterThan(0);
    expect(marked.map((segment) => segment.text)).toEqual(expect.arrayContaining([expect.stringMatching(/^transformers?$/i)]));
    expect(first.title + first.abstract).toMatch(/transformer/i);
  });

  it("carries an excerpt of each abstract around the matches, not the whole abstract", async () => {
    const result = await searchPapers(query("diffusion", { limit: 20 }));
    expect(result.items.length).toBeGreaterThan(5);
    const { rows } = await database.pool.query<{ id: string; abstract: string }>(`SELECT id, abstract FROM paper WHERE id = ANY($1)`, [result.items.map((hit) => hit.id)]);
    const full = new Map(rows.map((row) => [row.id, row.abstract]));
    for (const hit of result.items) {
      expect(hit.abstract).toBe(hit.highlights.abstract.map((segment) => segment.text).join(""));
      expect(hit.abstract.split(/\s+/).length).toBeLessThanOrEqual(52);
      expect(hit.abstract.length).toBeLessThanOrEqual(full.get(hit.id)!.length + 2);
    }
    expect(result.items.some((hit) => hit.abstract.length < full.get(hit.id)!.length - 100)).toBe(true);
  });

  it("filters by category, code and listing dates", async () => {
    const physics = await searchPapers(query("", { categories: ["hep-ph"], limit: 50 }));
    expect(physics.items.length).toBeGreaterThan(0);
    expect(physics.items.every((hit) => hit.categories.includes("hep-ph"))).toBe(true);

    const withCode = await searchPapers(query("model", { hasCode: true, limit: 50 }));
    expect(withCode.items.length).toBeGreaterThan(0);
    expect(withCode.items.every((hit) => hit.githubRepo !== null)).toBe(true);

    const june = await searchPapers(query("", { from: "2026-06-10", to: "2026-06-10", limit: 50 }));
    expect(june.items.length).toBeGreaterThan(0);
    expect(june.items.every((hit) => hit.listedAt === "2026-06-10")).toBe(true);
  });

  it("sorts by newest and by votes", async () => {
    const newest = await searchPapers(query("language", { sort: "newest", limit: 50 }));
    const days = newest.items.map((hit) => hit.listedAt ?? "");
    expect(days).toEqual([...days].sort().reverse());
    const voted = await searchPapers(query("language", { sort: "votes", limit: 50 }));
    const votes = voted.items.map((hit) => hit.votes);
    expect(votes).toEqual([...votes].sort((a, b) => b - a));
  });

  it.each([["2606.14777"], ["2606.14777v2"], ["https://arxiv.org/abs/2606.14777v1"], ["arXiv:2606.14777"]])("%s puts that paper first", async (q) => {
    const result = await searchPapers(query(q));
    expect(result.items[0]?.id).toBe("2606.14777");
  });

  it("a named paper is pinned only if it passes the filters, and paging neither repeats nor skips it", async () => {
    const filtered = await searchPapers(query("2606.14777", { categories: ["hep-ph"] }));
    expect(filtered.items.map((hit) => hit.id)).not.toContain("2606.14777");
    const first = await searchPapers(query("2606.14777", { limit: 5 }));
    const second = await searchPapers(query("2606.14777", { limit: 5, offset: 5 }));
    expect(first.items[0]?.id).toBe("2606.14777");
    expect(second.items.map((hit) => hit.id)).not.toContain("2606.14777");
    const ids = [...first.items, ...second.items].map((hit) => hit.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("an exact title puts that paper first", async () => {
    const { rows } = await database.pool.query(`SELECT title FROM paper WHERE id = '0704.0001'`);
    const result = await searchPapers(query(rows[0].title.toLowerCase()));
    expect(result.items[0]?.id).toBe("0704.0001");
  });

  it("pins by id and by title from two copies of the search module sharing one pool (as a build's route and page do)", async () => {
    const { rows } = await database.pool.query(`SELECT title FROM paper WHERE id = '0704.0001'`);
    const byTitle = query(rows[0].title);
    const byId = query("2606.14777");
    vi.resetModules();
    const other = (await import("@/lib/search")).searchPapers;
    // Meilisearch ranks these papers first on its own, so a failed lookup would only show in the log.
    const errors = vi.spyOn(console, "error");
    try {
      // Sequential queries reuse the pool's last idle connection, so each copy prepares its lookup
      // on a connection that already holds the other copy's.
      for (let round = 0; round < 2; round++) {
        expect((await searchPapers(byTitle)).items[0]?.id).toBe("0704.0001");
        expect((await other(byId)).items[0]?.id).toBe("2606.14777");
        expect((await other(byTitle)).items[0]?.id).toBe("0704.0001");
        expect((await searchPapers(byId)).items[0]?.id).toBe("2606.14777");
      }
      expect(errors).not.toHaveBeenCalled();
    } finally {
      errors.mockRestore();
    }
  });

  it("returns hostile text as data: tags in titles and abstracts stay text, only our markers highlight", async () => {
    const response = await searchApi(new NextRequest("http://localhost/api/search?q=robust+transformers+onerror", { headers: fromSomeClient() }));
    const body = await response.json();
    const hit = body.items.find((item: { id: string }) => item.id === "2607.00101");
    expect(text(hit.highlights.title)).toBe("Robust <script>alert(1)</script> Transformers");
    expect(text(hit.highlights.abstract)).toContain('<img src=x onerror="alert(2)">');
    expect(JSON.stringify(hit.highlights)).not.toMatch(/[\uE000\uE001]|<mark>|<em>/);
    expect(hit.highlights.title).toContainEqual(expect.objectContaining({ highlight: true, text: "Robust" }));
  });

  it("view=cards answers the search page's cards: highlight runs, formulas as MathML beside them, no full results", async () => {
    const response = await searchApi(new NextRequest("http://localhost/api/search?q=zyxquorp&view=cards", { headers: fromSomeClient() }));
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ offset: 0, limit: 20, degraded: false });
    expect(body).not.toHaveProperty("tookMs");
    const card = body.items.find((item: { id: string }) => item.id === "2607.00102");
    for (const key of ["highlights", "abstract", "url"]) expect(card).not.toHaveProperty(key);
    expect(card.title.join("")).toBe("Zyxquorp kernels in $\\mathcal{O}(n)$ <b>time</b>");
    type Part = { text?: string; html?: string; marked: boolean };
    const titleMath = card.titleMath as Part[];
    expect(titleMath.filter((part) => part.html !== undefined)).toHaveLength(1);
    expect(titleMath.find((part) => part.html !== undefined)?.html).toContain("<math");
    // The markup around the formula is text for React to escape, never HTML.
    expect(titleMath.map((part) => part.text ?? "").join("")).toBe("Zyxquorp kernels in  <b>time</b>");
    expect(titleMath.find((part) => part.marked)?.text).toMatch(/^zyxquorp$/i);
    const excerptMath = card.excerptMath as Part[];
    expect(excerptMath.some((part) => part.html?.includes("<math"))).toBe(true);
    expect(excerptMath.map((part) => part.text ?? "").join("")).toContain("per step and $5 per run.");
  });

  it("an update reaches the index through the outbox", async () => {
    await database.pool.query(`UPDATE paper SET title = 'Quasicrystalline zebrafish lattices', updated_at = now() WHERE id = '0704.0002'`);
    expect((await database.pool.query(`SELECT count(*)::int AS n FROM search_outbox`)).rows[0].n).toBe(1);
    await syncSearch(database.pool, await admin());
    const result = await searchPapers(query("zebrafish quasicrystalline"));
    expect(result.items[0]?.id).toBe("0704.0002");
  });

  it("reconcile repairs documents deleted or changed behind the app's back", async () => {
    const engine = await admin();
    const headers = { Authorization: `Bearer ${engine.key}`, "Content-Type": "application/json" };
    const deleted = await fetch(`${engine.url}/indexes/${INDEX}/documents/delete-batch`, {
      method: "POST", headers, body: JSON.stringify([encodeDocumentId("0704.0003"), encodeDocumentId("0704.0004")]),
    });
    const staled = await fetch(`${engine.url}/indexes/${INDEX}/documents`, {
      method: "PUT", headers, body: JSON.stringify([{ id: encodeDocumentId("0704.0005"), checksum: "tampered" }]),
    });
    const ghost = await fetch(`${engine.url}/indexes/${INDEX}/documents`, {
      method: "POST", headers, body: JSON.stringify([{ id: "ghost_d00001", paperId: "ghost.00001", title: "ghost", checksum: "x" }]),
    });
    for (const response of [deleted, staled, ghost]) {
      const { taskUid } = (await response.json()) as { taskUid: number };
      let status = "enqueued";
      for (let i = 0; i < 200 && status !== "succeeded"; i++) {
        status = ((await (await fetch(`${engine.url}/tasks/${taskUid}`, { headers })).json()) as { status: string }).status;
        if (status === "failed") throw new Error(`task ${taskUid} failed`);
        if (status !== "succeeded") await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(status).toBe("succeeded");
    }
    expect((await searchPapers(query("0704.0003"))).items[0]?.id).toBe("0704.0003"); // pinned from Postgres
    // A page's ids go in a POST body: 5,000 of them (the default page) would not fit in a URL.
    const many = Array.from({ length: 5_000 }, (_, i) => encodeDocumentId(`2601.${String(i).padStart(5, "0")}`));
    expect((await indexedChecksumsOf(engine, [...many, encodeDocumentId("0704.0001")])).size).toBe(1);
    // A page of 2 splits both sides across many pages: the same differences are found.
    expect(await reconcileSearch(database.pool, engine, 2)).toEqual({ missing: 2, stale: 1, extra: 1 });
    const report = await reconcileSearch(database.pool, engine);
    expect(report).toEqual({ missing: 2, stale: 1, extra: 1 });
    await syncSearch(database.pool, engine);
    expect(await reconcileSearch(database.pool, engine)).toEqual({ missing: 0, stale: 0, extra: 0 });
  });

  it("a reindex swaps in a fresh index while searches keep answering", async () => {
    let stop = false;
    const answers: number[] = [];
    const searching = (async () => {
      while (!stop) {
        const result = await searchPapers(query("language model"));
        expect(result.degraded).toBe(false);
        answers.push(result.items.length);
      }
    })();
    const count = await reindexSearch(database.pool, await admin());
    stop = true;
    await searching;
    const { rows } = await database.pool.query(`SELECT count(*)::int AS n FROM paper`);
    expect(count).toBe(rows[0].n);
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.every((n) => n > 0)).toBe(true);
    expect((await searchPapers(query("language model"))).items.length).toBeGreaterThan(0);
  });
});

describe("when Meilisearch is down", () => {
  it("answers from Postgres, flagged degraded, finds titles with typos, and the index catches up on restart", async () => {
    const dir = path.join(tmp, "meili-own");
    let meili = await startEmbeddedMeilisearch({ dataDir: dir, port: 0 });
    const clock = shiftableClock();
    try {
      setSearchConnection({ url: meili.url, key: meili.masterKey, index: "papers" });
      await reindexSearch(database.pool, await admin());
      const port = new URL(meili.url).port;
      await meili.stop();

      const { rows } = await database.pool.query<{ title: string }>(`SELECT title FROM paper WHERE id = '2606.14777'`);
      const typo = rows[0]!.title.replace(/([a-z])([a-z])([a-z]+)/i, "$1$3"); // drop one letter of the first word
      const fallback = await searchPapers(query(typo));
      expect(fallback.degraded).toBe(true);
      expect(fallback.items.map((hit) => hit.id)).toContain("2606.14777");

      // Filters alone (no words) still list papers, as they do in Meilisearch.
      const byCategory = await searchPapers(query("", { categories: ["hep-ph"] }));
      expect(byCategory.degraded).toBe(true);
      expect(byCategory.items.length).toBeGreaterThan(0);
      expect(byCategory.items.every((hit) => hit.categories.includes("hep-ph"))).toBe(true);

      const degradedApi = await (await searchApi(new NextRequest("http://localhost/api/search?q=attention", { headers: fromSomeClient() }))).json();
      expect(degradedApi.degraded).toBe(true);
      expect(await (await healthApi()).json()).toMatchObject({ status: "degraded", search: { ok: false, degraded: true } });

      // Ingest keeps working; the change waits in the outbox.
      fs.writeFileSync(
        path.join(tmp, "late.jsonl"),
        JSON.stringify({ id: "2607.00202", title: "Xylophone spectroscopy of late papers", abstract: "Catching up.", versions: [{ version: "v1", created: "Thu, 2 Jul 2026 10:00:00 GMT" }] }),
      );
      await ingestFiles(database.pool, [path.join(tmp, "late.jsonl")], { today: "2026-07-02" });
      await expect(syncSearch(database.pool, await admin())).rejects.toThrow();
      expect((await database.pool.query(`SELECT count(*)::int AS n FROM search_outbox WHERE paper_id = '2607.00202'`)).rows[0].n).toBe(1);

      meili = await startEmbeddedMeilisearch({ dataDir: dir, port: Number(port) });
      await syncSearch(database.pool, await admin());
      // Searches skip Meilisearch for SEARCH_BREAKER_MS after the failure; then one tries it again.
      expect((await searchPapers(query("xylophone spectroscopy"))).degraded).toBe(true);
      clock.skip(env.SEARCH_BREAKER_MS);
      const recovered = await searchPapers(query("xylophone spectroscopy"));
      expect(recovered.degraded).toBe(false);
      expect(recovered.items[0]?.id).toBe("2607.00202");
    } finally {
      // A failed assertion must not leave a Meilisearch running.
      clock.restore();
      await meili.stop();
      connectToSharedEngine();
    }
  });
});

describe("when Meilisearch misbehaves", () => {
  // Takes every search but never answers it, or answers it with an error; refuses the master key
  // (so the app uses the key as a search key, as with a key it was given).
  async function misbehaving(): Promise<{ url: string; close: () => Promise<void> }> {
    const server = http.createServer((request, response) => {
      if (request.method === "POST" && request.url?.includes("/indexes/stalled/search")) return;
      // The error answer has the shape of a search result, so only its status can tell it apart.
      if (request.method === "POST") return response.writeHead(500, { "Content-Type": "application/json" }).end(JSON.stringify({ hits: [], estimatedTotalHits: 0 }));
      response.writeHead(403, { "Content-Type": "application/json" }).end(JSON.stringify({ message: "no", code: "invalid_api_key", type: "auth", link: "" }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return {
      url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
      close: () => {
        server.closeAllConnections();
        return new Promise<void>((resolve) => server.close(() => resolve()));
      },
    };
  }

  it("answers from Postgres when a search is not answered within SEARCH_TIMEOUT_MS (1.5 s) or gets an error", async () => {
    const engine = await misbehaving();
    try {
      for (const index of ["stalled", "broken"]) {
        setSearchConnection({ url: engine.url, key: "a-key", index });
        const started = performance.now();
        const result = await searchPapers(query("attention"));
        const seconds = (performance.now() - started) / 1000;
        expect(result.degraded, index).toBe(true);
        expect(result.items.length, index).toBeGreaterThan(0);
        // The stalled search ends at its deadline, not at some socket timeout minutes later.
        if (index === "stalled") expect(seconds).toBeGreaterThanOrEqual(1.4);
        expect(seconds, index).toBeLessThan(6);
      }
    } finally {
      connectToSharedEngine();
      await engine.close();
    }
  });
});

describe("after Meilisearch fails (the circuit breaker)", () => {
  type Mode = "hang" | "healthy" | "reject";

  /**
   * A Meilisearch stand-in that counts the searches reaching it and hangs them, passes them to this
   * file's index on the shared Meilisearch, or rejects them as a malformed query (400). It refuses
   * the key as a master key, so the app uses it as a search key.
   */
  async function flaky(): Promise<{ url: string; searches: () => number; set: (mode: Mode) => void; close: () => Promise<void> }> {
    let mode: Mode = "hang";
    let searches = 0;
    const server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", async () => {
        const json = (status: number, body: unknown) => response.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
        if (request.method === "POST" && request.url?.endsWith("/search")) {
          searches++;
          if (mode === "hang") return;
          if (mode === "reject") return json(400, { message: "Invalid query.", code: "invalid_search_q", type: "invalid_request", link: "" });
          const upstream = await fetch(`${inject("meiliUrl")}/indexes/${INDEX}/search`, {
            method: "POST",
            headers: { Authorization: `Bearer ${inject("meiliMasterKey")}`, "Content-Type": "application/json" },
            body: Buffer.concat(chunks),
          });
          return json(upstream.status, await upstream.json());
        }
        if (request.url === "/health") return mode === "hang" ? json(503, { status: "unavailable" }) : json(200, { status: "available" });
        json(403, { message: "no", code: "invalid_api_key", type: "auth", link: "" });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return {
      url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
      searches: () => searches,
      set: (next) => {
        mode = next;
      },
      close: () => {
        server.closeAllConnections();
        return new Promise<void>((resolve) => server.close(() => resolve()));
      },
    };
  }

  const paper = { id: "0000.00001", title: "Linear attention for long sequences", abstract: "Attention over long sequences, made linear.", keywords: [] };

  it("searches and similar papers skip a hanging Meilisearch until one probe finds it healthy again", async () => {
    const engine = await flaky();
    const clock = shiftableClock();
    try {
      setSearchConnection({ url: engine.url, key: "a-key", index: "breaker" });
      // The first search waits out SEARCH_TIMEOUT_MS, answers from Postgres and opens the breaker.
      const started = performance.now();
      const first = await searchPapers(query("attention"));
      expect(first.degraded).toBe(true);
      expect(performance.now() - started).toBeGreaterThanOrEqual(env.SEARCH_TIMEOUT_MS - 100);
      expect(engine.searches()).toBe(1);

      // While it is open, nothing more reaches Meilisearch.
      for (const q of ["attention", "diffusion", "language model"]) {
        const result = await searchPapers(query(q));
        expect(result, q).toMatchObject({ degraded: true });
        expect(result.items.length, q).toBeGreaterThan(0);
      }
      expect(await similarPapers(paper, 5)).toBeNull();
      expect(engine.searches()).toBe(1);
      expect(await (await healthApi()).json()).toMatchObject({
        status: "degraded",
        search: { degraded: true, breaker: { state: "open", openUntil: expect.any(String), lastFailureAt: expect.any(String) } },
      });

      // Once SEARCH_BREAKER_MS has passed, exactly one search probes it; the others meanwhile use Postgres.
      clock.skip(env.SEARCH_BREAKER_MS);
      const probe = searchPapers(query("attention"));
      const meanwhile = await Promise.all([searchPapers(query("diffusion")), searchPapers(query("transformer")), similarPapers(paper, 5)]);
      expect(meanwhile.map((result) => result && "degraded" in result && result.degraded)).toEqual([true, true, null]);
      expect(engine.searches()).toBe(2);
      // Still hanging: the probe fails and the breaker opens again, for twice as long.
      expect((await probe).degraded).toBe(true);
      engine.set("healthy");
      clock.skip(env.SEARCH_BREAKER_MS);
      expect((await searchPapers(query("attention"))).degraded).toBe(true);
      expect(engine.searches()).toBe(2);

      clock.skip(env.SEARCH_BREAKER_MS * 2);
      const recovered = await searchPapers(query("transfomer"));
      expect(recovered.degraded).toBe(false);
      expect(recovered.items.length).toBeGreaterThan(0);
      expect(engine.searches()).toBe(3);
      // Closed again: every search and similar-papers query asks Meilisearch.
      expect((await searchPapers(query("diffusion"))).degraded).toBe(false);
      expect(await similarPapers(paper, 5)).not.toBeNull();
      expect(engine.searches()).toBe(5);
      expect(await (await healthApi()).json()).toMatchObject({ status: "ok", search: { ok: true, degraded: false, breaker: { state: "closed", openUntil: null, lastFailureAt: expect.any(String) } } });
    } finally {
      clock.restore();
      connectToSharedEngine();
      await engine.close();
    }
  });

  it("an answer refusing one query (400) does not open it: Meilisearch is up", async () => {
    const engine = await flaky();
    try {
      engine.set("reject");
      setSearchConnection({ url: engine.url, key: "a-key", index: "breaker-reject" });
      for (const q of ["attention", "diffusion"]) expect((await searchPapers(query(q))).degraded, q).toBe(true);
      expect(engine.searches()).toBe(2);
      expect(await (await healthApi()).json()).toMatchObject({ search: { breaker: { state: "closed" } } });
    } finally {
      connectToSharedEngine();
      await engine.close();
    }
  });
});

describe("GET /api/search input checks", () => {
  it.each([
    ["sort=random", "sort"],
    ["limit=10000", "limit"],
    [`q=${"a".repeat(20_000)}`, "q"],
    ["from=2026-13-01", "from"],
    ["from=2026-07-01&to=2026-06-01", "from"],
    ["q=a%00b", "q"],
    ["q=a%0D%0Ab", "q"],
    ["category=cs.LG%3Bdrop", "category"],
    ["hasCode=maybe", "hasCode"],
    ["offset=-1", "offset"],
    ["view=everything", "view"],
  ])("%s is a 400 naming %s", async (params, name) => {
    const response = await searchApi(new NextRequest(`http://localhost/api/search?${params}`, { headers: fromSomeClient() }));
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error.code).toBe("invalid_request");
    expect(body.error.message).toContain(name);
  });
});
