// Hugging Face daily papers: one request per day not fetched yet, and the last few days again so
// upvotes, stars and code links stay fresh. Days are recorded one by one, so a failed run fetches
// only what is still missing next time.
import type pg from "pg";
import { env } from "@/lib/env";
import { IngestWriter } from "@/lib/ingest/run-ingest";
import { mapDailyItem } from "@/lib/ingest/parsers/hf-daily";
import { addDays, daysBetween } from "@/lib/time";
import { politeFetch } from "./fetch";
import type { HarvestOutcome } from "./arxiv-oai";
import { fetchedHfDays, markAttempt, markFailure, markSuccess, recordHfDay } from "./store";

export const HF_GATE = "huggingface.co";
/** Items per request (the API's page size), and the most pages read for one day. */
const PAGE_SIZE = 100;
const MAX_PAGES_PER_DAY = 10;
/** Days an instance catches up after being off, before it settles for the most recent ones. */
const MAX_CATCH_UP_DAYS = 60;

export type HfHarvestOptions = {
  baseUrl?: string;
  today: string;
  log?: (message: string) => void;
  signal?: AbortSignal;
};

export function dailyPapersUrl(baseUrl: string, day: string, page: number): string {
  const url = new URL(baseUrl);
  url.searchParams.set("date", day);
  url.searchParams.set("limit", String(PAGE_SIZE));
  if (page > 0) url.searchParams.set("p", String(page));
  return url.toString();
}

export function checkDailyPapers(body: string): string | null {
  try {
    const value: unknown = JSON.parse(body);
    return Array.isArray(value) ? null : `expected a JSON array of papers, got ${value === null ? "null" : typeof value}`;
  } catch (error) {
    return `invalid or truncated JSON: ${(error as Error).message}`;
  }
}

/**
 * The days to fetch, oldest first: every day after the newest fetched one (at most
 * MAX_CATCH_UP_DAYS back; HARVEST_BACKFILL_DAYS on the first run) and the last HF_REFRESH_DAYS again.
 */
export function daysToFetch(today: string, fetched: string[], backfillDays: number, refreshDays: number): string[] {
  const newest = fetched.reduce<string | null>((latest, day) => (latest === null || day > latest ? day : latest), null);
  const oldestAllowed = addDays(today, -MAX_CATCH_UP_DAYS);
  let start = newest === null ? addDays(today, -backfillDays) : addDays(newest, 1);
  if (start < oldestAllowed) start = oldestAllowed;
  const refreshFrom = addDays(today, -refreshDays);
  if (refreshFrom < start) start = refreshFrom;
  const have = new Set(fetched);
  const days: string[] = [];
  for (let offset = 0; offset <= daysBetween(start, today); offset++) {
    const day = addDays(start, offset);
    if (!have.has(day) || day >= refreshFrom) days.push(day);
  }
  return days;
}

/** Fetches one day of daily papers (all its pages) into the writer. */
export async function fetchDailyPapers(
  pool: pg.Pool,
  writer: IngestWriter,
  baseUrl: string,
  day: string,
  options: { log?: (message: string) => void; signal?: AbortSignal } = {},
): Promise<{ papers: number; pages: number }> {
  let papers = 0;
  let pages = 0;
  const seen = new Set<string>();
  for (let page = 0; page < MAX_PAGES_PER_DAY; page++) {
    const url = dailyPapersUrl(baseUrl, day, page);
    const body = await politeFetch(pool, url, { gate: HF_GATE, minIntervalMs: env.HF_MIN_INTERVAL_MS, check: checkDailyPapers, log: options.log, signal: options.signal });
    pages += 1;
    const items = JSON.parse(body) as unknown[];
    // A server that ignores the page parameter sends the same items again: stop there.
    const ids = items.map((item) => JSON.stringify((item as { paper?: { id?: unknown } } | null)?.paper?.id ?? null));
    if (items.length > 0 && ids.every((id) => seen.has(id))) break;
    ids.forEach((id) => seen.add(id));
    for (const [index, item] of items.entries()) await writer.add(mapDailyItem(item, `${url}#${index + 1}`));
    papers += items.length;
    if (items.length < PAGE_SIZE) break;
  }
  return { papers, pages };
}

export async function harvestHfDaily(pool: pg.Pool, options: HfHarvestOptions): Promise<HarvestOutcome> {
  const baseUrl = options.baseUrl ?? env.HF_DAILY_URL;
  const log = options.log ?? (() => undefined);
  const fetchedDays = await fetchedHfDays(pool, addDays(options.today, -MAX_CATCH_UP_DAYS));
  const days = daysToFetch(options.today, fetchedDays, env.HARVEST_BACKFILL_DAYS, env.HF_REFRESH_DAYS);
  const description = `Hugging Face daily papers, ${days.length === 1 ? days[0] : `${days[0]} to ${days.at(-1)}`}`;
  const writer = await IngestWriter.start(pool, days.map((day) => dailyPapersUrl(baseUrl, day, 0)));
  await markAttempt(pool, "hf-daily", "");
  let pages = 0;
  const failures: string[] = [];
  for (const day of days) {
    try {
      const fetched = await fetchDailyPapers(pool, writer, baseUrl, day, { log, signal: options.signal });
      pages += fetched.pages;
      const papers = fetched.papers;
      await writer.drain();
      await recordHfDay(pool, day, papers);
    } catch (error) {
      if (options.signal?.aborted) {
        await writer.finish(error);
        throw error;
      }
      failures.push(`${day}: ${(error as Error).message}`);
      log(`${description}: ${day} failed (${(error as Error).message})`);
    }
  }
  const error = failures.length ? `${failures.length} of ${days.length} days failed: ${failures.join("; ")}` : null;
  const summary = await writer.finish(error ?? undefined, { emptyIsFine: true });
  if (error) await markFailure(pool, "hf-daily", "", error);
  else await markSuccess(pool, "hf-daily", "", options.today, summary.inserted + summary.updated + summary.unchanged);
  return { source: "hf-daily", scope: "", ok: error === null, description, pages, position: options.today, summary, error };
}
