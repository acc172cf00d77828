// Runs an ingest: files -> parse events -> validated records -> batched upserts, with a summary and a logged run.
import { stat } from "node:fs/promises";
import type pg from "pg";
import { describeIssues, paperRecordSchema, type PaperRecord } from "./paper";
import { listInputFiles, parseFile } from "./parse-file";
import { upsertPapers, type UpsertCounts } from "./upsert";

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

export type IngestOptions = {
  /** The day stamped on records whose format carries no dates (YYYY-MM-DD). */
  today: string;
  batchSize?: number;
  onProgress?: (progress: IngestProgress) => void;
  /** Called for each rejection as it happens (the summary keeps only the first ones). */
  onReject?: (rejection: Rejection) => void;
};

// Kept in the run log and the summary; the count covers them all.
const MAX_KEPT_REJECTIONS = 1_000;

export async function ingestFiles(pool: pg.Pool, inputs: string[], options: IngestOptions): Promise<IngestSummary> {
  const batchSize = options.batchSize ?? 2_000;
  const run = await pool.query<{ id: string }>(`INSERT INTO ingest_run (inputs) VALUES ($1) RETURNING id::text`, [inputs]);
  const runId = run.rows[0]!.id;
  const summary: IngestSummary = {
    runId, files: 0, read: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0, rejections: [], notices: [],
  };
  const reject = (rejection: Rejection) => {
    summary.rejected += 1;
    if (summary.rejections.length < MAX_KEPT_REJECTIONS) summary.rejections.push(rejection);
    options.onReject?.(rejection);
  };

  const { files, errors } = await listInputFiles(inputs);
  for (const error of errors) reject({ location: error.split(": ")[0] ?? error, reason: error });
  summary.files = files.length;
  const sizes = await Promise.all(files.map((file) => stat(file).then((info) => info.size)));
  const progress: IngestProgress = { bytesDone: 0, bytesTotal: sizes.reduce((a, b) => a + b, 0), read: 0, rejected: 0 };
  const report = () => options.onProgress?.({ ...progress, read: summary.read, rejected: summary.rejected });

  // One batch is written while the next is parsed; ids are unique within a batch because one
  // statement cannot merge the same paper twice.
  let batch = new Map<string, PaperRecord>();
  let writing: Promise<void> = Promise.resolve();
  // A failed write is held here and thrown at the next flush, so it is never an unhandled rejection.
  let failure: unknown;
  const flush = async () => {
    const records = [...batch.values()];
    batch = new Map();
    await writing;
    if (failure) throw failure;
    writing = upsertPapers(pool, records).then(
      (counts) => {
        summary.inserted += counts.inserted;
        summary.updated += counts.updated;
        summary.unchanged += counts.unchanged;
      },
      (error: unknown) => {
        failure = error;
      },
    );
  };

  try {
    for (const file of files) {
      const events = parseFile(file, {
        today: options.today,
        onBytes: (bytes) => {
          progress.bytesDone += bytes;
        },
      });
      for await (const event of events) {
        if (event.kind === "notice") {
          summary.notices.push(event.message);
          continue;
        }
        summary.read += 1;
        if (event.kind === "reject") {
          reject({ location: event.location, reason: event.reason });
          continue;
        }
        const parsed = paperRecordSchema.safeParse(event.candidate);
        if (!parsed.success) {
          reject({ location: event.location, reason: describeIssues(parsed.error) });
          continue;
        }
        if (batch.has(parsed.data.id)) await flush();
        batch.set(parsed.data.id, parsed.data);
        if (batch.size >= batchSize) {
          await flush();
          report();
        }
      }
      report();
    }
    await flush();
    await writing;
    if (failure) throw failure;
  } catch (error) {
    await finishRun(pool, summary, "failed");
    throw error;
  }
  await finishRun(pool, summary, acceptedCount(summary) > 0 ? "succeeded" : "failed");
  return summary;
}

async function finishRun(pool: pg.Pool, summary: IngestSummary, status: string): Promise<void> {
  await pool.query(
    `UPDATE ingest_run SET finished_at = now(), status = $2, read = $3, inserted = $4, updated = $5, unchanged = $6, rejected = $7, report = $8
     WHERE id = $1`,
    [
      summary.runId, status, summary.read, summary.inserted, summary.updated, summary.unchanged, summary.rejected,
      JSON.stringify({ rejections: summary.rejections, notices: summary.notices }),
    ],
  );
}

/** Accepted records: what made it into Postgres (inserted, updated or already there). */
export function acceptedCount(summary: IngestSummary): number {
  return summary.inserted + summary.updated + summary.unchanged;
}
