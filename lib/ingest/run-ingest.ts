// Runs an ingest: files -> parse events -> validated records -> batched upserts, or for big runs a
// bulk load, with a summary and a logged run. The statements are the ingest store's (lib/ingest/store.ts).
import { stat } from "node:fs/promises";
import type pg from "pg";
import { announceChangeOrLog } from "@/lib/cache/notify";
import { PAPER_DATA_TAGS } from "@/lib/cache/tags";
import { describeIssues, paperRecordSchema, type ParseEvent, type PaperRecord } from "./paper";
import { BulkLoad } from "./bulk-load";
import { listInputFiles, parseFile } from "./parse-file";
import { ingestStore, type RunStatus, type UpsertCounts } from "./store";

export type Rejection = { location: string; reason: string };

export type IngestSummary = UpsertCounts & {
  files: number;
  /** Records found in the inputs, good or bad. */
  read: number;
  rejected: number;
  rejections: Rejection[];
  notices: string[];
  runId: string;
};

export type IngestProgress = { bytesDone: number; bytesTotal: number; read: number; rejected: number };

export type IngestOptions = WriterOptions & {
  /** The day stamped on records whose format carries no dates (YYYY-MM-DD). */
  today: string;
  onProgress?: (progress: IngestProgress) => void;
};

export type WriterOptions = {
  batchSize?: number;
  /** Records waiting to be written that make the run take the bulk path (default BULK_THRESHOLD). */
  bulkThreshold?: number;
  /** Called for each rejection as it happens (the summary keeps only the first ones). */
  onReject?: (rejection: Rejection) => void;
};

// Kept in the run log and the summary; the count covers them all.
const MAX_KEPT_REJECTIONS = 1_000;

/**
 * A run that brings at least this many records is written by the bulk path (COPY into a staging
 * table, then one merge); smaller ones, such as a daily harvest, in batches. See README, Decisions.
 */
export const BULK_THRESHOLD = 10_000;

/**
 * Takes parse events from any source (files, live fetches), validates them and writes them, one
 * logged `ingest_run` per writer. Records are held until `bulkThreshold` of them wait (then this
 * run streams them, and every later one, through COPY into a staging table while parsing goes on,
 * merged into paper when the run drains or finishes) or until the run drains or finishes first
 * (then they are written in batches of `batchSize`, one batch while the next is parsed). Both
 * paths merge by the same rules (lib/ingest/merge.ts).
 */
export class IngestWriter {
  readonly summary: IngestSummary;
  private held: PaperRecord[] = [];
  private bulk: BulkLoad | undefined;
  private batch = new Map<string, PaperRecord>();
  private writing: Promise<void> = Promise.resolve();
  // A failed write is held here and thrown at the next flush, so it is never an unhandled rejection.
  private failure: unknown;

  private constructor(
    private readonly pool: pg.Pool,
    runId: string,
    private readonly options: { batchSize: number; bulkThreshold: number; onReject?: (rejection: Rejection) => void },
  ) {
    this.summary = { runId, files: 0, read: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0, rejections: [], notices: [] };
  }

  /** `inputs` name what is read (files, URLs) in the run log. */
  static async start(pool: pg.Pool, inputs: string[], options: WriterOptions = {}): Promise<IngestWriter> {
    const runId = await ingestStore.startRun(pool, inputs);
    return new IngestWriter(pool, runId, {
      batchSize: options.batchSize ?? 2_000,
      bulkThreshold: options.bulkThreshold ?? BULK_THRESHOLD,
      onReject: options.onReject,
    });
  }

  reject(rejection: Rejection): void {
    this.summary.rejected += 1;
    if (this.summary.rejections.length < MAX_KEPT_REJECTIONS) this.summary.rejections.push(rejection);
    this.options.onReject?.(rejection);
  }

  /** Takes one event; resolves once it is queued (a full batch waits for the previous write). */
  async add(event: ParseEvent, keep?: (record: PaperRecord) => boolean): Promise<void> {
    if (event.kind === "notice") {
      this.summary.notices.push(event.message);
      return;
    }
    if (event.kind === "reject") {
      this.summary.read += 1;
      this.reject({ location: event.location, reason: event.reason });
      return;
    }
    const parsed = paperRecordSchema.safeParse(event.candidate);
    if (!parsed.success) {
      this.summary.read += 1;
      this.reject({ location: event.location, reason: describeIssues(parsed.error) });
      return;
    }
    // Good records outside what the caller keeps (a harvest's categories) are not counted.
    if (keep && !keep(parsed.data)) return;
    this.summary.read += 1;
    await this.take(parsed.data);
  }

  /** Writes what is queued and waits for every write so far. */
  async drain(): Promise<void> {
    const held = this.held;
    this.held = [];
    for (const record of held) await this.queue(record);
    await this.flush();
    await this.writing;
    if (this.failure) throw this.failure;
    if (this.bulk) this.count(await this.bulk.merge());
  }

  /**
   * Writes what is queued and logs the run: failed when `error` is given (what was read before it is
   * still written), or when nothing was accepted unless `emptyIsFine`.
   */
  async finish(error?: unknown, { emptyIsFine = false }: { emptyIsFine?: boolean } = {}): Promise<IngestSummary> {
    try {
      await this.drain();
    } catch (drainError) {
      await this.bulk?.close();
      await this.finishRun("failed");
      await this.announce();
      if (error === undefined) throw drainError;
      return this.summary;
    }
    await this.bulk?.close();
    const succeeded = error === undefined && (acceptedCount(this.summary) > 0 || (emptyIsFine && this.summary.rejected === 0));
    await this.finishRun(succeeded ? "succeeded" : "failed");
    await this.announce();
    return this.summary;
  }

  /** Tells the web processes' page caches that papers changed (the pages' lifetimes bound a failure). */
  private async announce(): Promise<void> {
    if (this.summary.inserted + this.summary.updated === 0) return;
    await announceChangeOrLog(PAPER_DATA_TAGS, this.pool);
  }

  private finishRun(status: RunStatus): Promise<void> {
    return ingestStore.finishRun(this.pool, this.summary.runId, status, this.summary);
  }

  private count(counts: UpsertCounts): void {
    this.summary.inserted += counts.inserted;
    this.summary.updated += counts.updated;
    this.summary.unchanged += counts.unchanged;
  }

  /** Sends a valid record down the path this run takes (holding it while that is not known yet). */
  private async take(record: PaperRecord): Promise<void> {
    if (this.bulk) return this.bulk.write(record);
    this.held.push(record);
    if (this.held.length < this.options.bulkThreshold) return;
    this.bulk = await BulkLoad.open(this.pool);
    const held = this.held;
    this.held = [];
    for (const record of held) await this.bulk.write(record);
  }

  /** Adds a record to the next batch of the batched path. */
  private async queue(record: PaperRecord): Promise<void> {
    // Ids are unique within a batch because one statement cannot merge the same paper twice.
    if (this.batch.has(record.id)) await this.flush();
    this.batch.set(record.id, record);
    if (this.batch.size >= this.options.batchSize) await this.flush();
  }

  private async flush(): Promise<void> {
    const records = [...this.batch.values()];
    this.batch = new Map();
    await this.writing;
    if (this.failure) throw this.failure;
    if (records.length === 0) return;
    this.writing = ingestStore.upsertPapers(this.pool, records).then(
      (counts) => this.count(counts),
      (error: unknown) => {
        this.failure = error;
      },
    );
  }
}

export async function ingestFiles(pool: pg.Pool, inputs: string[], options: IngestOptions): Promise<IngestSummary> {
  const writer = await IngestWriter.start(pool, inputs, { batchSize: options.batchSize, bulkThreshold: options.bulkThreshold, onReject: options.onReject });
  const { summary } = writer;
  const { files, errors } = await listInputFiles(inputs);
  for (const error of errors) writer.reject({ location: error.split(": ")[0] ?? error, reason: error });
  summary.files = files.length;
  const sizes = await Promise.all(files.map((file) => stat(file).then((info) => info.size)));
  const progress: IngestProgress = { bytesDone: 0, bytesTotal: sizes.reduce((a, b) => a + b, 0), read: 0, rejected: 0 };
  const report = () => options.onProgress?.({ ...progress, read: summary.read, rejected: summary.rejected });
  const batchSize = options.batchSize ?? 2_000;

  try {
    for (const file of files) {
      const events = parseFile(file, {
        today: options.today,
        onBytes: (bytes) => {
          progress.bytesDone += bytes;
        },
      });
      for await (const event of events) {
        await writer.add(event);
        if (summary.read % batchSize === 0) report();
      }
      report();
    }
  } catch (error) {
    await writer.finish(error);
    throw error;
  }
  return writer.finish();
}

/** Accepted records: what made it into Postgres (inserted, updated or already there). */
export function acceptedCount(summary: IngestSummary): number {
  return summary.inserted + summary.updated + summary.unchanged;
}
