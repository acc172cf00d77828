// npm run ingest -- <file|dir|arxiv:ID|URL>...: ingest paper files, arXiv papers by id, and arXiv API,
// OAI-PMH and Hugging Face daily-papers URLs into Postgres, with a progress bar and a summary.
import { SingleBar, Presets } from "cli-progress";
import { connectDatabase } from "@/lib/db/connect";
import { closeDb, db } from "@/lib/db/client";
import { ingestRemote, readRemoteInput, type RemoteInput } from "@/lib/harvest/inputs";
import { acceptedCount, ingestFiles, IngestWriter } from "@/lib/ingest/run-ingest";
import { formatSummary } from "@/lib/ingest/summary";
import { env } from "@/lib/env";
import { connectSearch } from "@/lib/search/connect";
import { engineConfig } from "@/lib/search/engine";
import { syncSearchNow } from "@/lib/search/sync";
import { today } from "@/lib/time";
import { runCli } from "./cli";

async function main(): Promise<number> {
  const args = process.argv.slice(2).filter((arg) => arg !== "--");
  if (args.length === 0) {
    console.error("usage: npm run ingest -- <file|dir|arxiv:ID|URL>...");
    return 2;
  }
  const inputs: string[] = [];
  const remote: RemoteInput[] = [];
  for (const arg of args) {
    const read = readRemoteInput(arg);
    if (read === null) inputs.push(arg);
    else if ("error" in read) {
      console.error(read.error);
      return 2;
    } else remote.push(read);
  }
  const database = await connectDatabase({ log: (message) => console.error(message) });
  const search = await connectSearch({ log: (message) => console.error(message) });
  const bar = process.stderr.isTTY
    ? new SingleBar({ format: "{bar} {percentage}% | {read} records | {rejected} rejected | ETA {eta_formatted}", hideCursor: true }, Presets.shades_classic)
    : undefined;
  let started = false;
  try {
    let accepted = 0;
    if (remote.length > 0) {
      const writer = await IngestWriter.start(db.pool, args.filter((arg) => !inputs.includes(arg)), { batchSize: env.INGEST_BATCH_SIZE });
      await ingestRemote(db.pool, writer, remote, (message) => console.error(message));
      const summary = await writer.finish();
      console.log(formatSummary(summary));
      accepted += acceptedCount(summary);
    }
    if (inputs.length === 0) {
      await updateSearch();
      return accepted > 0 ? 0 : 1;
    }
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
    return accepted + acceptedCount(summary) > 0 ? 0 : 1;
  } finally {
    bar?.stop();
    await closeDb();
    await search?.embedded?.stop();
    await database.embedded?.stop();
  }
}

/** Changed papers are queued for search in Postgres; push them now so they are findable at once. */
async function updateSearch(): Promise<void> {
  console.log(await syncSearchNow(db.pool, await engineConfig("admin").catch(() => undefined)));
}

runCli(main);
