// Keeps the Meilisearch index equal to Postgres: drains the outbox, reconciles drift, rebuilds with a swap.
import type pg from "pg";
import { announceChangeOrLog } from "@/lib/cache/notify";
import { PAPERS_TAG } from "@/lib/cache/tags";
import { decodeDocumentId, encodeDocumentId, toSearchDocument } from "./document";
import { deleteDocuments, indexedChecksums, prepareIndex, putDocuments, rebuildIndex, type EngineConfig } from "./meilisearch";
import { allChecksums, allDocumentRows, dequeuePapers, loadDocumentRows, lockSync, queuePapers, queuedPapers, tryLockSync, unlockSync } from "./store";

const BATCH = 1_000;

export type SyncReport = { indexed: number; removed: number; /** Another process held the sync and does the work. */ skipped: boolean };

/**
 * Pushes queued papers to the index in batches, waiting for each Meilisearch task to succeed.
 * Outbox rows are deleted only after success, and only if the paper did not change again
 * meanwhile, so nothing is lost on failure: the next run retries.
 */
export async function syncSearch(pool: pg.Pool, engine: EngineConfig): Promise<SyncReport> {
  const client = await pool.connect();
  const report: SyncReport = { indexed: 0, removed: 0, skipped: false };
  try {
    // One syncer at a time per database; others skip instead of pushing the same papers twice.
    if (!(await tryLockSync(client))) return { ...report, skipped: true };
    try {
      await prepareIndex(engine);
      for (;;) {
        const queued = await queuedPapers(client, BATCH);
        if (queued.length === 0) return report;
        const ids = queued.map((row) => row.paperId);
        const rows = await loadDocumentRows(client, ids);
        const present = new Set(rows.map((row) => row.paperId));
        const gone = ids.filter((id) => !present.has(id));
        await putDocuments(engine, rows.map(toSearchDocument));
        await deleteDocuments(engine, gone.map(encodeDocumentId));
        await dequeuePapers(client, queued);
        report.indexed += rows.length;
        report.removed += gone.length;
      }
    } finally {
      await unlockSync(client);
    }
  } finally {
    client.release();
  }
}

export type ReconcileReport = { missing: number; stale: number; extra: number };

/**
 * Compares every paper's checksum of indexed fields with the index's copy and queues what differs
 * for the next sync: missing and stale documents, and documents of papers that no longer exist
 * (the sync removes those). Queuing rather than deleting here means a paper inserted while this
 * runs cannot lose its fresh document.
 */
export async function reconcileSearch(pool: pg.Pool, engine: EngineConfig): Promise<ReconcileReport> {
  await prepareIndex(engine);
  const [expected, indexed] = await Promise.all([allChecksums(pool), indexedChecksums(engine)]);
  const repair: string[] = [];
  let missing = 0;
  let stale = 0;
  for (const [paperId, checksum] of expected) {
    const found = indexed.get(encodeDocumentId(paperId));
    if (found === undefined) missing++;
    else if (found !== checksum) stale++;
    else continue;
    repair.push(paperId);
  }
  const extra = [...indexed.keys()].map(decodeDocumentId).filter((paperId) => !expected.has(paperId));
  repair.push(...extra);
  if (repair.length > 0) await queuePapers(pool, repair);
  return { missing, stale, extra: extra.length };
}

/**
 * Rebuilds the whole index from Postgres into a new index and swaps it in; searches never stop.
 * Holds the sync lock throughout, so no sync writes to the old index while the new one fills;
 * changes made meanwhile stay queued and reach the new index with the next sync.
 */
export async function reindexSearch(pool: pg.Pool, engine: EngineConfig): Promise<number> {
  const client = await pool.connect();
  try {
    await lockSync(client);
    try {
      async function* pages() {
        for await (const rows of allDocumentRows(pool)) yield rows.map(toSearchDocument);
      }
      const indexed = await rebuildIndex(engine, pages());
      // Paper pages show similar papers from the index: they are rendered anew.
      await announceChangeOrLog([PAPERS_TAG], pool);
      return indexed;
    } finally {
      await unlockSync(client);
    }
  } finally {
    client.release();
  }
}

/**
 * Pushes queued changes now, for scripts and jobs that just wrote papers, and says what happened.
 * A running worker doing the same work, or Meilisearch being away, is not an error: the queue in
 * Postgres keeps the changes until someone pushes them.
 */
export async function syncSearchNow(pool: pg.Pool, engine: EngineConfig | undefined): Promise<string> {
  if (!engine) return "search: no search engine configured";
  try {
    const report = await syncSearch(pool, engine);
    return report.skipped ? "search: the running worker is indexing the changes" : `search: ${report.indexed} papers indexed`;
  } catch (error) {
    return `search: not updated now (${(error as Error).message}); the worker catches up when Meilisearch answers.`;
  }
}
