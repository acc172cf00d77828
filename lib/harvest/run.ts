// The daily harvest: every configured live source (INGEST_SOURCES; one OAI-PMH harvest per set),
// one after another, each recording its own outcome. A failing source does not stop the others.
import type pg from "pg";
import { env } from "@/lib/env";
import { formatSummary } from "@/lib/ingest/summary";
import { today as utcToday } from "@/lib/time";
import { harvestOai, type HarvestOutcome } from "./arxiv-oai";
import { harvestHfDaily } from "./hf-daily";
import type { LiveSource } from "./state";

export type HarvestOptions = {
  sources?: LiveSource[];
  today?: string;
  log?: (message: string) => void;
  signal?: AbortSignal;
};

export async function runHarvest(pool: pg.Pool, options: HarvestOptions = {}): Promise<HarvestOutcome[]> {
  const sources = options.sources ?? env.INGEST_SOURCES;
  const today = options.today ?? utcToday();
  const outcomes: HarvestOutcome[] = [];
  for (const source of sources) {
    if (options.signal?.aborted) break;
    if (source === "hf-daily") {
      outcomes.push(await harvestHfDaily(pool, { today, log: options.log, signal: options.signal }));
      continue;
    }
    for (const set of env.ARXIV_SETS.length ? env.ARXIV_SETS : [null]) {
      if (options.signal?.aborted) break;
      outcomes.push(await harvestOai(pool, { set, categories: env.ARXIV_CATEGORIES, today, log: options.log, signal: options.signal }));
    }
  }
  return outcomes;
}

/** One paragraph per source: what was asked, what was stored and rejected, and the error if it failed. */
export function describeHarvest(outcome: HarvestOutcome): string {
  const head = `${outcome.description}: ${outcome.ok ? "done" : "FAILED"}, ${outcome.pages} page${outcome.pages === 1 ? "" : "s"} read`;
  const lines = [head, formatSummary(outcome.summary)];
  if (outcome.error) lines.push(`error: ${outcome.error}`, outcome.source === "arxiv-oai" ? `the next harvest starts again from ${outcome.position}` : "");
  return lines.filter(Boolean).join("\n");
}
