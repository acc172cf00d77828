// Keeps the Meilisearch index equal to Postgres: drains the outbox, reconciles drift, rebuilds with a swap.
import type pg from "pg";
import { announceChangeOrLog } from "@/lib/cache/notify";
import { PAPERS_TAG } from "@/lib/cache/tags";
import { decodeDocumentId, encodeDocumentId, toSearchDocument } from "./document";
import { claimIndex, IndexOwnerError } from "./index-owner";
import { deleteDocuments, indexedChecksumsOf, indexedIdPages, prepareIndex, putDocuments, rebuildIndex, type EngineConfig } from "./meilisearch";
import { allDocumentRows, checksumPages, dequeuePapers, existingPaperIds, loadDocumentRows, lockSync, queuePapers, queuedPapers, tryLockSync, unlockSync } from "./store";

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
      // Checked on every sync, not once: a reindex from another database may take the index over meanwhile.
      await claimIndex(pool, engine);
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
 *
 * Holds one page at a time, never the whole of either side: papers `pageSize` at a time in id
 * order, each page's documents fetched by id; then the index's ids a page at a time, each page
 * checked against Postgres for papers that are gone.
 */
export async function reconcileSearch(pool: pg.Pool, engine: EngineConfig, pageSize = 5_000): Promise<ReconcileReport> {
  // Another database's index would look like drift everywhere, and queue all of it for removal.
  await claimIndex(pool, engine);
  await prepareIndex(engine);
  let missing = 0;
  let stale = 0;
  let extra = 0;
  for await (const papers of checksumPages(pool, pageSize)) {
    const indexed = await indexedChecksumsOf(engine, papers.map((paper) => encodeDocumentId(paper.id)));
    const repair: string[] = [];
    for (const paper of papers) {
      const found = indexed.get(encodeDocumentId(paper.id));
      if (found === undefined) missing++;
      else if (found !== paper.checksum) stale++;
      else continue;
      repair.push(paper.id);
    }
    if (repair.length > 0) await queuePapers(pool, repair);
  }
  for await (const documentIds of indexedIdPages(engine, pageSize)) {
    const paperIds = documentIds.map(decodeDocumentId);
    const existing = await existingPaperIds(pool, paperIds);
    const gone = paperIds.filter((paperId) => !existing.has(paperId));
    extra += gone.length;
    if (gone.length > 0) await queuePapers(pool, gone);
  }
  return { missing, stale, extra };
}

/**
 * Rebuilds the whole index from Postgres into a new index and swaps it in; searches never stop.
 * Holds the sync lock throughout, so no sync writes to the old index while the new one fills;
 * changes made meanwhile stay queued and reach the new index with the next sync.
 *
 * An index another database claimed is refused like any write, unless `takeOver`: then this
 * database claims it first (so the other database's syncs stop writing to it) and rebuilds it.
 */
export async function reindexSearch(pool: pg.Pool, engine: EngineConfig, options: { takeOver?: boolean } = {}): Promise<number> {
  const client = await pool.connect();
  try {
    await lockSync(client);
    try {
      await claimIndex(pool, engine, { takeOver: options.takeOver });
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
    // Waiting does not help here: someone has to choose an index.
    if (error instanceof IndexOwnerError) return `search: not updated (${error.message}) The changes stay queued.`;
    return `search: not updated now (${(error as Error).message}); the worker catches up when Meilisearch answers.`;
  }
}
