// How a write tells every web process which cached pages it changed: a Postgres NOTIFY on one
// channel, carrying the tags (lib/cache/tags.ts). The web server LISTENs (lib/cache/listen.ts), so a
// change made by any web process, the worker or a CLI reaches every page cache that shares the
// database, with no server beyond the one the site already has.
import { db } from "@/lib/db/client";

export const CACHE_CHANNEL = "trending_papers_cache";

/** Postgres refuses a NOTIFY payload of 8000 bytes or more; tags are sent in batches below that. */
const MAX_PAYLOAD_BYTES = 7_000;

type Queryable = { query(text: string, values?: unknown[]): Promise<unknown> };

/** The payloads that carry these tags, each a JSON array under the size Postgres accepts. */
export function payloads(tags: Iterable<string>): string[] {
  const batches: string[][] = [[]];
  let size = 2;
  for (const tag of new Set(tags)) {
    const cost = Buffer.byteLength(JSON.stringify(tag)) + 1;
    const current = batches.at(-1)!;
    if (current.length > 0 && size + cost > MAX_PAYLOAD_BYTES) {
      batches.push([tag]);
      size = 2 + cost;
    } else {
      current.push(tag);
      size += cost;
    }
  }
  return batches.filter((batch) => batch.length > 0).map((batch) => JSON.stringify(batch));
}

/** The tags a payload carries, or null for one this version did not send (ignored, never thrown). */
export function readPayload(payload: string | undefined): string[] | null {
  if (!payload) return null;
  try {
    const value: unknown = JSON.parse(payload);
    return Array.isArray(value) && value.every((tag) => typeof tag === "string") ? value : null;
  } catch {
    return null;
  }
}

/** Announces, now, that these tags changed. Call it after the change is committed. */
export async function announceChange(tags: Iterable<string>, queryable: Queryable = db.pool): Promise<void> {
  for (const payload of payloads(tags)) await queryable.query("SELECT pg_notify($1, $2)", [CACHE_CHANNEL, payload]);
}

/**
 * Announces these tags and never throws: the change they follow is committed whatever happens to the
 * announcement, and a lost one leaves pages stale for their cache lifetime at most.
 */
export async function announceChangeOrLog(tags: Iterable<string>, queryable: Queryable = db.pool, log: (message: string) => void = console.error): Promise<void> {
  await announceChange(tags, queryable).catch((error: unknown) => log(`cache announcement failed: ${(error as Error).message}`));
}

/** Announcements of votes go out at most this often: a burst of votes costs one re-render. */
export const COALESCE_MS = 500;

const pending = new Set<string>();
let timer: NodeJS.Timeout | undefined;
let lastSent = 0;

function flush(): void {
  timer = undefined;
  lastSent = Date.now();
  const batch = [...pending];
  pending.clear();
  void announceChangeOrLog(batch);
}

/**
 * Announces these tags now if nothing was announced for COALESCE_MS, else together with whatever
 * else arrives until then (votes: a lone vote shows at once, and a crowd voting costs each page one
 * render per half second). A failed announcement is logged; the page caches' lifetimes bound how
 * stale it leaves them.
 */
export function announceChangeSoon(tags: Iterable<string>): void {
  for (const tag of tags) pending.add(tag);
  if (timer) return;
  const wait = lastSent + COALESCE_MS - Date.now();
  if (wait <= 0) flush();
  else timer = setTimeout(flush, wait);
}
