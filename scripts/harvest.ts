// npm run harvest -- [--source hf-daily|arxiv-oai]...: fetch the live sources now, as the daily job does.
import { parseArgs } from "node:util";
import { connectDatabase } from "@/lib/db/connect";
import { closeDb, db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { describeHarvest, runHarvest } from "@/lib/harvest/run";
import type { LiveSource } from "@/lib/harvest/state";
import { connectSearch } from "@/lib/search/connect";
import { engineConfig } from "@/lib/search/engine";
import { syncSearchNow } from "@/lib/search/sync";
import { runCli } from "./cli";

const SOURCES: LiveSource[] = ["hf-daily", "arxiv-oai"];
const USAGE = "usage: npm run harvest -- [--source hf-daily|arxiv-oai]...";

async function main(): Promise<number> {
  let sources: LiveSource[];
  try {
    const { values } = parseArgs({ args: process.argv.slice(2).filter((arg) => arg !== "--"), options: { source: { type: "string", multiple: true } } });
    const asked = values.source ?? env.INGEST_SOURCES;
    const unknown = asked.filter((source) => !SOURCES.includes(source as LiveSource));
    if (unknown.length > 0) throw new Error(`unknown source ${unknown.join(", ")}`);
    sources = asked as LiveSource[];
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (sources.length === 0) {
    console.error(`No sources: INGEST_SOURCES is empty.\n${USAGE}`);
    return 2;
  }
  const log = (message: string) => console.error(message);
  const database = await connectDatabase({ log });
  const search = await connectSearch({ log });
  const controller = new AbortController();
  process.once("SIGINT", () => controller.abort());
  try {
    const outcomes = await runHarvest(db.pool, { sources, log, signal: controller.signal });
    for (const outcome of outcomes) console.log(describeHarvest(outcome));
    console.log(await syncSearchNow(db.pool, await engineConfig("admin").catch(() => undefined)));
    return outcomes.every((outcome) => outcome.ok) ? 0 : 1;
  } finally {
    await closeDb();
    await search?.embedded?.stop();
    await database.embedded?.stop();
  }
}

runCli(main);
