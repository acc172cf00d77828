// The only module that imports "meilisearch": keys, index settings, documents, search. Vendor types stay here.
import { createHash } from "node:crypto";
import { setMaxListeners } from "node:events";
import http from "node:http";
import https from "node:https";
import { Meilisearch, MeilisearchApiError, type Index, type Task } from "meilisearch";
import { HIGHLIGHT_END, HIGHLIGHT_START, type SearchDocument } from "./document";
import { EXCERPT_WORDS, toPaperHit } from "./hits";
import type { EngineResult, SearchQuery } from "./types";

export type EngineConfig = { url: string; key: string; index: string; timeoutMs: number };

export class SearchEngineError extends Error {}

const SETTINGS = {
  // Order is weight: a match in the title counts more than one in the abstract, then authors.
  searchableAttributes: ["title", "abstract", "authors", "paperId"],
  filterableAttributes: ["categories", "listedAt", "hasCode", "paperId"],
  sortableAttributes: ["listedAt", "votes"],
  // "sort" first: an explicit sort (newest, most voted) orders strictly; without one it is a no-op.
  rankingRules: ["sort", "words", "typo", "proximity", "attribute", "exactness"],
  typoTolerance: { enabled: true, disableOnAttributes: ["paperId"] },
  pagination: { maxTotalHits: 1_000 },
};

const TASK_TIMEOUT_MS = 120_000;

// Node's own HTTP client with keep-alive: through the global fetch, about half of the requests to
// Meilisearch stalled some 40 ms here (measured by npm run bench:search), which is most of a search.
const agents = { http: new http.Agent({ keepAlive: true, maxSockets: 64 }), https: new https.Agent({ keepAlive: true, maxSockets: 64 }) };

type Exchange = { method: string; headers: Record<string, string>; body?: string; signal?: AbortSignal; timeoutMs?: number };

/**
 * One request to Meilisearch over the keep-alive agents: its JSON answer (undefined when empty),
 * or for an error status the error the vendor client raises. With `timeoutMs`, rejected at that
 * deadline even while the request still waits for a free socket.
 */
function exchange(url: URL, { method, headers, body, signal, timeoutMs }: Exchange): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const secure = url.protocol === "https:";
    let timer: NodeJS.Timeout | undefined;
    const fail = (error: Error) => {
      clearTimeout(timer);
      reject(error);
    };
    const request = (secure ? https : http).request(url, { method, headers, signal, agent: secure ? agents.https : agents.http }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("error", fail);
      response.on("end", () => {
        clearTimeout(timer);
        const text = Buffer.concat(chunks).toString("utf8");
        const status = response.statusCode ?? 500;
        let parsed: unknown;
        try {
          parsed = text === "" ? undefined : JSON.parse(text);
        } catch (error) {
          // An error page that is not JSON (a proxy's 502, say) is still reported by its status.
          if (status < 400) return reject(error);
        }
        // The vendor client leaves error statuses to a custom HTTP client; raise the error it would.
        if (status >= 400) return reject(new MeilisearchApiError(new Response(text, { status, statusText: response.statusMessage }), parsed as never));
        resolve(parsed);
      });
    });
    if (timeoutMs !== undefined) {
      timer = setTimeout(() => {
        // Destroying a request still queued for a socket reports nothing until it gets one.
        const error = new SearchEngineError(`Meilisearch did not answer within ${timeoutMs} ms`);
        reject(error);
        request.destroy(error);
      }, timeoutMs);
    }
    request.on("error", fail);
    request.end(body);
  });
}

/** The vendor client's HTTP client: its fetch-shaped calls, through `exchange`. */
function nodeHttpClient(input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]): Promise<unknown> {
  // The client shares one timeout signal among concurrent requests (a reindex of 100,000 papers
  // polls some 1,700 tasks at once): each adds a listener while in flight, which is expected, not a
  // leak, so the signal gets no listener limit (0).
  if (init?.signal) setMaxListeners(0, init.signal);
  return exchange(new URL(input instanceof Request ? input.url : String(input)), {
    method: init?.method ?? "GET",
    headers: Object.fromEntries(new Headers(init?.headers).entries()),
    body: typeof init?.body === "string" ? init.body : undefined,
    signal: init?.signal ?? undefined,
  });
}

/** The HTTP status of a Meilisearch error (the client wraps our HTTP client's errors), if any. */
function apiStatus(error: unknown): number | undefined {
  const api = error instanceof MeilisearchApiError ? error : (error as { cause?: unknown } | null)?.cause;
  return api instanceof MeilisearchApiError ? api.response.status : undefined;
}

/** Meilisearch answered that this one request is wrong (400, 413): that says nothing about its health. */
export function isQueryError(error: unknown): boolean {
  const status = apiStatus(error);
  return status === 400 || status === 413;
}

function client(config: Pick<EngineConfig, "url" | "key" | "timeoutMs">): Meilisearch {
  return new Meilisearch({ host: config.url, apiKey: config.key, timeout: config.timeoutMs, httpClient: nodeHttpClient });
}

/** A stable UUID per (master key, purpose), so creating the scoped keys is idempotent. */
function keyUid(masterKey: string, purpose: string): string {
  const hex = createHash("sha256").update(`${purpose}:${masterKey}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export type EngineKeys = { admin: string; search: string };

/**
 * With a master key, makes (once) an admin key and a search key scoped to our indexes and returns
 * them; the master key is used for nothing else. With any other key, uses that key for both.
 */
export async function resolveKeys(url: string, key: string, indexName: string): Promise<EngineKeys> {
  const master = client({ url, key, timeoutMs: 5_000 });
  try {
    await master.getKeys({ limit: 1 });
  } catch (error) {
    const status = apiStatus(error);
    if (status === 401 || status === 403) {
      return { admin: key, search: key };
    }
    throw new SearchEngineError(`Meilisearch at ${url} is not answering: ${(error as Error).message}`);
  }
  const ensure = async (purpose: string, actions: string[], indexes: string[], description: string) => {
    const uid = keyUid(key, purpose);
    try {
      return (await master.getKey(uid)).key;
    } catch {
      const created = await master.createKey({ uid, name: `trending-papers-${purpose}`, description, actions, indexes, expiresAt: null });
      return created.key;
    }
  };
  return {
    // All indexes: Meilisearch shows an index swap's task (which belongs to no single index) only
    // to keys that may see every index. The key still cannot manage keys or take dumps.
    admin: await ensure("admin", ["search", "documents.*", "indexes.*", "settings.*", "tasks.*", "stats.get"], ["*"], "Trending Papers: indexing"),
    // Named by its index too: a key made for another MEILI_INDEX would be refused on this one.
    search: await ensure(`search:${indexName}`, ["search"], [`${indexName}*`], "Trending Papers: search (server side only)"),
  };
}

async function finished(promise: Promise<Task>, what: string): Promise<Task> {
  let task: Task;
  try {
    task = await promise;
  } catch (error) {
    throw new SearchEngineError(`${what}: ${(error as Error).message}`);
  }
  // Tasks are asynchronous: an enqueued write can still fail, and only its final status says so.
  if (task.status !== "succeeded") {
    throw new SearchEngineError(`${what}: task ${task.uid} ${task.status}${task.error ? `: ${task.error.message}` : ""}`);
  }
  return task;
}

export async function isEngineHealthy(config: EngineConfig): Promise<boolean> {
  try {
    return (await client(config).health()).status === "available";
  } catch {
    return false;
  }
}

async function ensureIndex(meili: Meilisearch, name: string): Promise<Index<SearchDocument>> {
  try {
    await meili.getRawIndex(name);
  } catch (error) {
    if (apiStatus(error) !== 404) throw error;
    await finished(meili.createIndex(name, { primaryKey: "id" }).waitTask({ timeout: TASK_TIMEOUT_MS }), `create index ${name}`);
  }
  const index = meili.index<SearchDocument>(name);
  await finished(index.updateSettings(SETTINGS).waitTask({ timeout: TASK_TIMEOUT_MS }), `settings of ${name}`);
  return index;
}

// Settings are applied once per process and index, not before every sync batch.
const prepared = new Set<string>();

export async function prepareIndex(config: EngineConfig): Promise<void> {
  const key = `${config.url} ${config.index}`;
  if (prepared.has(key)) return;
  await ensureIndex(client(config), config.index);
  prepared.add(key);
}

export async function putDocuments(config: EngineConfig, documents: SearchDocument[], indexName = config.index): Promise<void> {
  if (documents.length === 0) return;
  const index = client(config).index<SearchDocument>(indexName);
  await finished(index.addDocuments(documents, { primaryKey: "id" }).waitTask({ timeout: TASK_TIMEOUT_MS }), `index ${documents.length} papers`);
}

export async function deleteDocuments(config: EngineConfig, documentIds: string[]): Promise<void> {
  if (documentIds.length === 0) return;
  const index = client(config).index<SearchDocument>(config.index);
  await finished(index.deleteDocuments(documentIds).waitTask({ timeout: TASK_TIMEOUT_MS }), `remove ${documentIds.length} papers`);
}

/** Which database an index holds the papers of (see index-owner.ts); kept beside it, never in it, so searches never see it. */
export type IndexOwnerRecord = { cluster: string | null; database: string; claimedAt: string };

function ownerIndexName(indexName: string): string {
  // Within `${index}*`, so the keys made for the index (and keys scoped like them) reach it.
  return `${indexName}_owner`;
}

/** The owner recorded for the index, or undefined when none is (a new index, or one older versions made). */
export async function readIndexOwner(config: EngineConfig): Promise<IndexOwnerRecord | undefined> {
  try {
    const { cluster, database, claimedAt } = await client(config).index(ownerIndexName(config.index)).getDocument<IndexOwnerRecord & { id: string }>("owner");
    return { cluster: cluster ?? null, database, claimedAt };
  } catch (error) {
    if (apiStatus(error) === 404) return undefined;
    throw new SearchEngineError(`owner of ${config.index}: ${(error as Error).message}`);
  }
}

export async function writeIndexOwner(config: EngineConfig, owner: IndexOwnerRecord): Promise<void> {
  const meili = client(config);
  const name = ownerIndexName(config.index);
  // Adding the document creates the index when it is missing.
  await finished(meili.index(name).addDocuments([{ id: "owner", ...owner }], { primaryKey: "id" }).waitTask({ timeout: TASK_TIMEOUT_MS }), `record the owner of ${config.index}`);
}

/** document id -> checksum of those of `documentIds` the index holds, for reconcile. */
export async function indexedChecksumsOf(config: EngineConfig, documentIds: string[]): Promise<Map<string, string>> {
  const index = client({ ...config, timeoutMs: 60_000 }).index<SearchDocument>(config.index);
  // A filter, even an empty one, makes the client POST to /documents/fetch: thousands of ids do not fit in a URL.
  const page = await index.getDocuments<Pick<SearchDocument, "id" | "checksum">>({ ids: documentIds, filter: [], fields: ["id", "checksum"], limit: documentIds.length });
  return new Map(page.results.map((document) => [document.id, document.checksum]));
}

/**
 * The id of every document in the index, `limit` at a time, for reconcile. Pages by offset: a
 * document added or removed meanwhile can shift a page, which costs at most a repair left to the
 * next reconcile.
 */
export async function* indexedIdPages(config: EngineConfig, limit = 10_000): AsyncGenerator<string[]> {
  const index = client({ ...config, timeoutMs: 60_000 }).index<SearchDocument>(config.index);
  for (let offset = 0; ; offset += limit) {
    const page = await index.getDocuments<Pick<SearchDocument, "id">>({ fields: ["id"], limit, offset });
    if (page.results.length > 0) yield page.results.map((document) => document.id);
    if (page.results.length < limit) return;
  }
}

/**
 * Rebuilds the index under a temporary name from `pages` of documents and swaps it in atomically:
 * searches keep answering from the old index until the swap.
 */
export async function rebuildIndex(config: EngineConfig, pages: AsyncIterable<SearchDocument[]>): Promise<number> {
  const meili = client({ ...config, timeoutMs: 60_000 });
  const next = `${config.index}_next`;
  await finished(meili.deleteIndex(next).waitTask({ timeout: TASK_TIMEOUT_MS }), `drop ${next}`).catch(() => undefined);
  const index = await ensureIndex(meili, next);
  const pending: Promise<Task>[] = [];
  let count = 0;
  try {
    for await (const documents of pages) {
      count += documents.length;
      pending.push(index.addDocuments(documents, { primaryKey: "id" }).waitTask({ timeout: TASK_TIMEOUT_MS * 10 }));
    }
  } finally {
    // Every enqueued task is awaited (and so observed) even when reading Postgres failed midway.
    const results = await Promise.allSettled(pending.map((task) => finished(task, `fill ${next}`)));
    const failed = results.find((result) => result.status === "rejected");
    if (failed) throw failed.reason;
  }
  await ensureIndex(meili, config.index);
  await finished(meili.swapIndexes([{ indexes: [config.index, next], rename: false }]).waitTask({ timeout: TASK_TIMEOUT_MS }), "swap indexes");
  await finished(meili.deleteIndex(next).waitTask({ timeout: TASK_TIMEOUT_MS }), `drop old ${next}`);
  return count;
}

function quote(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

function dayToSeconds(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) / 1000;
}

export function buildFilter(query: SearchQuery): string[] {
  const filter: string[] = [];
  if (query.categories?.length) filter.push(`categories IN [${query.categories.map(quote).join(", ")}]`);
  if (query.from) filter.push(`listedAt >= ${dayToSeconds(query.from)}`);
  if (query.to) filter.push(`listedAt <= ${dayToSeconds(query.to)}`);
  if (query.hasCode !== undefined) filter.push(`hasCode = ${query.hasCode}`);
  return filter;
}

const SORTS = { relevance: undefined, newest: ["listedAt:desc"], votes: ["votes:desc"] } as const;

// Everything a hit shows except the full abstract: the crop in `_formatted` stands in for it, and
// leaving the abstract out roughly halves what Meilisearch serialises and we parse per search.
const RETRIEVED: (keyof SearchDocument)[] = [
  "id", "paperId", "title", "authors", "categories", "listedAt", "listedDay", "publishedAt",
  "votes", "hasCode", "githubRepo", "githubStars", "projectPage",
];

/** The search parameters we send for a query (the benchmark sends the same to Meilisearch directly). */
export function searchRequest(query: SearchQuery) {
  const sort = SORTS[query.sort];
  return {
    filter: buildFilter(query),
    sort: sort ? [...sort] : undefined,
    limit: query.limit,
    offset: query.offset,
    attributesToRetrieve: RETRIEVED,
    attributesToHighlight: ["title", "abstract"],
    highlightPreTag: HIGHLIGHT_START,
    highlightPostTag: HIGHLIGHT_END,
    attributesToCrop: ["abstract"],
    cropLength: EXCERPT_WORDS,
    cropMarker: "…",
    // A sorted list should hold only papers matching every word; relevance may drop the last ones.
    matchingStrategy: sort ? ("all" as const) : ("last" as const),
  };
}

type SearchResponse = {
  hits: (Omit<SearchDocument, "abstract"> & { _formatted?: Partial<Record<"title" | "abstract", string>> })[];
  estimatedTotalHits?: number;
};

/**
 * One search: the hot path, so a direct POST rather than through the vendor client, whose per-call
 * set-up (a client, a Headers object, abort signals and their listeners) cost about as much CPU as
 * reading the answer (measured with npm run bench:search).
 */
export async function searchEngine(config: EngineConfig, query: SearchQuery): Promise<EngineResult> {
  const url = new URL(`${config.url.replace(/\/+$/, "")}/indexes/${encodeURIComponent(config.index)}/search`);
  const response = (await exchange(url, {
    method: "POST",
    headers: { Authorization: `Bearer ${config.key}`, "Content-Type": "application/json" },
    body: JSON.stringify({ q: query.q, ...searchRequest(query) }),
    timeoutMs: config.timeoutMs,
  })) as SearchResponse;
  const hits = response.hits.map((hit) => toPaperHit(hit, hit._formatted));
  return { hits, total: response.estimatedTotalHits ?? hits.length };
}
