// Which Meilisearch this process talks to and with which keys (resolved once, server side only).
import { env } from "@/lib/env";
import { resolveKeys, type EngineConfig, type EngineKeys } from "./meilisearch";

type Connection = { url: string; key: string; index?: string };

const globalForEngine = globalThis as unknown as { trendingPapersSearch?: Connection; trendingPapersKeys?: Promise<EngineKeys> };

/** Scripts that start an embedded Meilisearch call this before the first search or sync. */
export function setSearchConnection(connection: Connection): void {
  globalForEngine.trendingPapersSearch = connection;
  globalForEngine.trendingPapersKeys = undefined;
}

function connection(): Connection | undefined {
  if (globalForEngine.trendingPapersSearch) return globalForEngine.trendingPapersSearch;
  if (env.MEILI_URL && env.MEILI_MASTER_KEY) return { url: env.MEILI_URL, key: env.MEILI_MASTER_KEY };
  return undefined;
}

/** Which engine and index searches go to, known before any key is resolved; undefined when none. */
export function searchTarget(): string | undefined {
  if (env.MEILI_URL && env.MEILI_SEARCH_KEY && !globalForEngine.trendingPapersSearch) return `${env.MEILI_URL} ${env.MEILI_INDEX}`;
  const current = connection();
  return current && `${current.url} ${current.index ?? env.MEILI_INDEX}`;
}

/** The engine for `purpose`, or undefined when none is configured (search then uses Postgres). */
export async function engineConfig(purpose: "search" | "admin"): Promise<EngineConfig | undefined> {
  const current = connection();
  // The web server gets only a search key: it never holds a key that can change the index.
  if (purpose === "search" && env.MEILI_URL && env.MEILI_SEARCH_KEY && !globalForEngine.trendingPapersSearch) {
    return { url: env.MEILI_URL, key: env.MEILI_SEARCH_KEY, index: env.MEILI_INDEX, timeoutMs: env.SEARCH_TIMEOUT_MS };
  }
  if (!current) return undefined;
  const keys = (globalForEngine.trendingPapersKeys ??= resolveKeys(current.url, current.key, current.index ?? env.MEILI_INDEX).catch((error: unknown) => {
    // Retry on the next call rather than caching a failure while Meilisearch is down.
    globalForEngine.trendingPapersKeys = undefined;
    throw error;
  }));
  const resolved = await keys;
  const index = current.index ?? env.MEILI_INDEX;
  return { url: current.url, key: purpose === "admin" ? resolved.admin : resolved.search, index, timeoutMs: env.SEARCH_TIMEOUT_MS };
}
