// npm run ingest -- <file|dir>...: ingest paper files into Postgres, with a progress bar and a summary.
import { SingleBar, Presets } from "cli-progress";
import { connectDatabase } from "@/lib/db/connect";
import { closeDb, db } from "@/lib/db/client";
import { acceptedCount, ingestFiles } from "@/lib/ingest/run-ingest";
import { formatSummary } from "@/lib/ingest/summary";
import { env } from "@/lib/env";
import { connectSearch } from "@/lib/search/connect";
import { engineConfig } from "@/lib/search/engine";
import { syncSearch } from "@/lib/search/sync";
import { today } from "@/lib/time";

async function main(): Promise<number> {
  const inputs = process.argv.slice(2).filter((arg) => arg !== "--");
  if (inputs.length === 0) {
    console.error("usage: npm run ingest -- <file|dir>...");
    return 2;
  }
  const database = await connectDatabase({ log: (message) => console.error(message) });
  const search = await connectSearch({ log: (message) => console.error(message) });
  const bar = process.stderr.isTTY
    ? new SingleBar({ format: "{bar} {percentage}% | {read} records | {rejected} rejected | ETA {eta_formatted}", hideCursor: true }, Presets.shades_classic)
    : undefined;
  let started = false;
  try {
    const summary = await ingestFiles(db.pool, inputs, {
      today: today(),
      batchSize: env.INGEST_BATCH_SIZE,
      onProgress: (progress) => {
        if (!bar) return;
        if (!started) bar.start(Math.max(progress.bytesTotal, 1), 0, { read: 0, rejected: 0 });
        started = true;
        bar.update(progress.bytesDone, { read: progress.read, rejected: progress.rejected });
      },
    });
    bar?.stop();
    console.log(formatSummary(summary));
    await updateSearch();
    return acceptedCount(summary) > 0 ? 0 : 1;
  } finally {
    bar?.stop();
    await closeDb();
    await search?.embedded?.stop();
    await database.embedded?.stop();
  }
}

/** Changed papers are queued for search in Postgres; push them now so they are findable at once. */
async function updateSearch(): Promise<void> {
  try {
    const engine = await engineConfig("admin");
    if (!engine) return;
    const report = await syncSearch(db.pool, engine);
    console.log(report.skipped ? "search: the running worker is indexing the changes" : `search: ${report.indexed} papers indexed`);
  } catch (error) {
    console.error(`search: not updated now (${(error as Error).message}); the worker catches up when Meilisearch answers.`);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
