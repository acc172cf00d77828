// Incremental harvest of arXiv over OAI-PMH: ListRecords from the date the last good harvest of this
// set started (the server's responseDate), resumption tokens to the end of the list, every page's
// records written as they arrive. The saved position moves only when the whole list was read.
import type pg from "pg";
import { env } from "@/lib/env";
import { IngestWriter, type IngestSummary } from "@/lib/ingest/run-ingest";
import type { PaperRecord } from "@/lib/ingest/paper";
import { parseOaiXml, readOaiPage } from "@/lib/ingest/parsers/arxiv-oai";
import { addDays } from "@/lib/time";
import { FetchError, politeFetch } from "./fetch";
import { markAttempt, markFailure, markSuccess, readPosition } from "./store";

/** arXiv's API and OAI-PMH are one service to be polite to: one gate for both. */
export const ARXIV_GATE = "arxiv.org";
/** Restarts from the saved `from` after the server forgets a resumption token, before giving up. */
const MAX_RESTARTS = 2;

export type OaiHarvestOptions = {
  baseUrl?: string;
  metadataPrefix?: "arXiv" | "arXivRaw";
  /** An OAI set such as "cs" or "physics:hep-th"; null harvests all of arXiv. */
  set: string | null;
  /** Keep only papers in one of these categories (empty: all). */
  categories?: string[];
  /** The UTC day the harvest runs (the first harvest of a set starts HARVEST_BACKFILL_DAYS before it). */
  today: string;
  log?: (message: string) => void;
  signal?: AbortSignal;
};

export type HarvestOutcome = {
  source: string;
  scope: string;
  ok: boolean;
  /** What was asked for, for reports ("cs from 2026-11-25"). */
  description: string;
  pages: number;
  position: string | null;
  summary: IngestSummary;
  error: string | null;
};

export function listRecordsUrl(baseUrl: string, params: Record<string, string>): string {
  const url = new URL(baseUrl);
  url.searchParams.set("verb", "ListRecords");
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.toString();
}

/** The next page's URL: the first one's, with the list's arguments replaced by the resumption token. */
export function resumeUrl(first: string, token: string): string {
  const url = new URL(first);
  for (const argument of ["metadataPrefix", "from", "until", "set", "identifier"]) url.searchParams.delete(argument);
  url.searchParams.set("verb", "ListRecords");
  url.searchParams.set("resumptionToken", token);
  return url.toString();
}

/** A page is usable when it is well-formed OAI-PMH; anything else is retried, then reported. */
export function checkOaiPage(body: string): string | null {
  try {
    readOaiPage(body);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

export function keepCategories(categories: string[]): ((record: PaperRecord) => boolean) | undefined {
  if (categories.length === 0) return undefined;
  const wanted = new Set(categories);
  return (record) => (record.categories ?? []).some((category) => wanted.has(category));
}

type ListOptions = {
  keep?: (record: PaperRecord) => boolean;
  log?: (message: string) => void;
  signal?: AbortSignal;
  /** Restarts from `first` when the server forgets a resumption token (0: report it as an error). */
  maxRestarts?: number;
  onPage?: () => void;
};

/**
 * Reads a ListRecords (or GetRecord) answer to its end, following resumption tokens, and writes
 * every page's records. Returns the responseDate of the list's first page. OAI-PMH errors other
 * than noRecordsMatch throw.
 */
export async function readOaiList(pool: pg.Pool, writer: IngestWriter, first: string, options: ListOptions = {}): Promise<{ responseDate: string | null }> {
  const log = options.log ?? (() => undefined);
  let url = first;
  let restarts = 0;
  let responseDate: string | null = null;
  for (let pages = 1; ; pages++) {
    const xml = await politeFetch(pool, url, { gate: ARXIV_GATE, minIntervalMs: env.ARXIV_MIN_INTERVAL_MS, check: checkOaiPage, log, signal: options.signal });
    options.onPage?.();
    const page = readOaiPage(xml);
    if (page.error?.code === "badResumptionToken" && url !== first) {
      if (restarts >= (options.maxRestarts ?? 0)) throw new Error(`OAI-PMH error badResumptionToken: ${page.error.message} (after ${restarts} restarts)`);
      restarts += 1;
      log(`${first}: the server no longer knows the resumption token (${page.error.message}); starting the list again`);
      url = first;
      responseDate = null;
      continue;
    }
    if (page.error && page.error.code !== "noRecordsMatch") throw new Error(`OAI-PMH error ${page.error.code}: ${page.error.message}`);
    responseDate ??= page.responseDate;
    for (const event of parseOaiXml(xml, url)) await writer.add(event, options.keep);
    const token = page.resumptionToken?.token;
    if (!token) return { responseDate };
    const { cursor, completeListSize } = page.resumptionToken ?? {};
    log(`${first}: page ${pages}${cursor !== undefined && completeListSize !== undefined ? ` (${cursor} of ${completeListSize})` : ""}`);
    url = resumeUrl(first, token);
  }
}

export async function harvestOai(pool: pg.Pool, options: OaiHarvestOptions): Promise<HarvestOutcome> {
  const baseUrl = options.baseUrl ?? env.ARXIV_OAI_URL;
  const metadataPrefix = options.metadataPrefix ?? env.ARXIV_OAI_FORMAT;
  const scope = options.set ?? "";
  const log = options.log ?? (() => undefined);
  const from = (await readPosition(pool, "arxiv-oai", scope)) ?? addDays(options.today, -env.HARVEST_BACKFILL_DAYS);
  const first = listRecordsUrl(baseUrl, { metadataPrefix, from, ...(options.set ? { set: options.set } : {}) });
  const description = `arXiv OAI-PMH ${options.set ?? "all sets"} (${metadataPrefix}) from ${from}`;
  const writer = await IngestWriter.start(pool, [first]);
  const keep = keepCategories(options.categories ?? []);
  await markAttempt(pool, "arxiv-oai", scope);

  let pages = 0;
  try {
    const list = await readOaiList(pool, writer, first, {
      keep,
      log,
      signal: options.signal,
      maxRestarts: MAX_RESTARTS,
      onPage: () => {
        pages += 1;
      },
    });
    const startedAt = list.responseDate;
    const summary = await writer.finish(undefined, { emptyIsFine: true });
    const position = /^\d{4}-\d{2}-\d{2}/.exec(startedAt ?? "")?.[0] ?? options.today;
    await markSuccess(pool, "arxiv-oai", scope, position, summary.inserted + summary.updated + summary.unchanged);
    return { source: "arxiv-oai", scope, ok: true, description, pages, position, summary, error: null };
  } catch (error) {
    const summary = await writer.finish(error);
    if (options.signal?.aborted) throw error;
    const message = error instanceof FetchError || error instanceof Error ? error.message : String(error);
    await markFailure(pool, "arxiv-oai", scope, message);
    return { source: "arxiv-oai", scope, ok: false, description, pages, position: from, summary, error: message };
  }
}
