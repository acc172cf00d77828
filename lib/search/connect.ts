// Resolves Meilisearch for scripts: MEILI_URL when set, else the embedded server (started or reused).
import path from "node:path";
import { env } from "@/lib/env";
import { startEmbeddedMeilisearch, type EmbeddedMeilisearch } from "@/lib/services/embedded-meilisearch";
import { setSearchConnection } from "./engine";

export type SearchConnection = { url: string; key: string; embedded: EmbeddedMeilisearch | undefined } | undefined;

/** Undefined (with a logged reason) when no Meilisearch can be had: search then runs on Postgres. */
export async function connectSearch(options: { log?: (message: string) => void } = {}): Promise<SearchConnection> {
  const log = options.log ?? (() => undefined);
  if (env.MEILI_URL) {
    if (!env.MEILI_MASTER_KEY) {
      log("MEILI_URL is set without MEILI_MASTER_KEY; search will answer from Postgres.");
      return undefined;
    }
    setSearchConnection({ url: env.MEILI_URL, key: env.MEILI_MASTER_KEY });
    return { url: env.MEILI_URL, key: env.MEILI_MASTER_KEY, embedded: undefined };
  }
  try {
    const embedded = await startEmbeddedMeilisearch({ dataDir: path.join(env.DATA_DIR, "meili"), port: env.EMBEDDED_MEILI_PORT, log });
    setSearchConnection({ url: embedded.url, key: embedded.masterKey });
    return { url: embedded.url, key: embedded.masterKey, embedded };
  } catch (error) {
    log(`No Meilisearch (${(error as Error).message}); search will answer from Postgres.`);
    return undefined;
  }
}
