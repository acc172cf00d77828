// arXiv's API (Atom): id_list lookups and search_query paging with start/max_results, through the
// same gate as OAI-PMH. arXiv's error feed (a bad id) comes back as a reject with arXiv's message.
import type pg from "pg";
import { env } from "@/lib/env";
import type { IngestWriter } from "@/lib/ingest/run-ingest";
import { normalizeArxivId } from "@/lib/papers/identity";
import { parseAtomXml, readAtomPage } from "@/lib/ingest/parsers/arxiv-atom";
import { ARXIV_GATE } from "./arxiv-oai";
import { politeFetch } from "./fetch";

/** Ids per id_list request, and results per search page (arXiv allows up to 2,000 per page). */
const IDS_PER_REQUEST = 100;
const SEARCH_PAGE_SIZE = 100;
/** The most results one search reads (arXiv's API caps paging at 30,000). */
export const MAX_SEARCH_RESULTS = 30_000;

export function checkAtomFeed(body: string): string | null {
  try {
    readAtomPage(body);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

type ApiOptions = { baseUrl?: string; log?: (message: string) => void; signal?: AbortSignal };

function fetchFeed(pool: pg.Pool, url: string, options: ApiOptions): Promise<string> {
  return politeFetch(pool, url, { gate: ARXIV_GATE, minIntervalMs: env.ARXIV_MIN_INTERVAL_MS, check: checkAtomFeed, log: options.log, signal: options.signal });
}

/** Fetches papers by arXiv id (any form normalizeArxivId reads) into the writer; ids arXiv does not return are reported. */
export async function fetchArxivIds(pool: pg.Pool, writer: IngestWriter, ids: string[], options: ApiOptions = {}): Promise<void> {
  const baseUrl = options.baseUrl ?? env.ARXIV_API_URL;
  for (let start = 0; start < ids.length; start += IDS_PER_REQUEST) {
    const chunk = ids.slice(start, start + IDS_PER_REQUEST);
    const url = new URL(baseUrl);
    url.searchParams.set("id_list", chunk.join(","));
    url.searchParams.set("max_results", String(chunk.length));
    const xml = await fetchFeed(pool, url.toString(), options);
    const events = parseAtomXml(xml, url.toString());
    const found = new Set<string>();
    for (const event of events) {
      if (event.kind === "record" && typeof event.candidate.id === "string") found.add(event.candidate.id);
      await writer.add(event);
    }
    if (events.some((event) => event.kind === "reject" && event.location === url.toString())) continue;
    for (const id of chunk) {
      const normalized = normalizeArxivId(id) ?? id;
      if (!found.has(normalized)) writer.reject({ location: `arxiv:${id}`, reason: "arXiv has no paper with this id" });
    }
  }
}

/**
 * Reads an API query URL (search_query and/or id_list) page by page: `start` and `max_results` in
 * the URL say which results are wanted (arXiv's default: the first 10), fetched SEARCH_PAGE_SIZE at a time.
 */
export async function fetchArxivQuery(pool: pg.Pool, writer: IngestWriter, queryUrl: string, options: ApiOptions = {}): Promise<number> {
  const base = new URL(queryUrl);
  const first = Number(base.searchParams.get("start") ?? 0) || 0;
  const wanted = Math.min(Number(base.searchParams.get("max_results") ?? 10) || 10, MAX_SEARCH_RESULTS);
  let read = 0;
  let pages = 0;
  while (read < wanted) {
    const url = new URL(base);
    url.searchParams.set("start", String(first + read));
    url.searchParams.set("max_results", String(Math.min(SEARCH_PAGE_SIZE, wanted - read)));
    const xml = await fetchFeed(pool, url.toString(), options);
    pages += 1;
    const events = parseAtomXml(xml, url.toString());
    for (const event of events) await writer.add(event);
    const entries = events.filter((event) => event.kind !== "notice").length;
    read += entries;
    const { totalResults } = readAtomPage(xml);
    // An error feed, an empty page or the end of the results ends the query.
    if (entries === 0 || events.some((event) => event.kind === "reject" && event.location === url.toString())) break;
    if (totalResults !== null && first + read >= totalResults) break;
    options.log?.(`${queryUrl}: ${first + read} of ${totalResults ?? "?"} results read`);
  }
  return pages;
}
