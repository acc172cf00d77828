// npm run ingest -- <file|dir>...: ingest paper files into Postgres, with a progress bar and a summary.
import { SingleBar, Presets } from "cli-progress";
import { connectDatabase } from "@/lib/db/connect";
import { closeDb, db } from "@/lib/db/client";
import { acceptedCount, ingestFiles } from "@/lib/ingest/run-ingest";
import { formatSummary } from "@/lib/ingest/summary";
import { env } from "@/lib/env";
import { today } from "@/lib/time";

async function main(): Promise<number> {
  const inputs = process.argv.slice(2).filter((arg) => arg !== "--");
  if (inputs.length === 0) {
    console.error("usage: npm run ingest -- <file|dir>...");
    return 2;
  }
  const database = await connectDatabase({ log: (message) => console.error(message) });
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
    return acceptedCount(summary) > 0 ? 0 : 1;
  } finally {
    bar?.stop();
    await closeDb();
    await database.embedded?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
