// What `npm run ingest` can be given besides files: arXiv ids and the live sources' URLs.
import type pg from "pg";
import { normalizeArxivId } from "@/lib/papers/identity";
import type { IngestWriter } from "@/lib/ingest/run-ingest";
import { isValidDay } from "@/lib/time";
import { fetchArxivIds, fetchArxivQuery } from "./arxiv-api";
import { readOaiList } from "./arxiv-oai";
import { fetchDailyPapers } from "./hf-daily";

export type RemoteInput =
  | { kind: "arxiv-id"; id: string }
  | { kind: "arxiv-query"; url: string }
  | { kind: "oai"; url: string }
  | { kind: "hf-day"; baseUrl: string; day: string };

/**
 * Reads one command-line input: `arxiv:<id>`, an arxiv.org/abs or /pdf link, a huggingface.co/papers
 * link, an arXiv API query URL, an OAI-PMH request URL, or a daily-papers URL with `date`. Returns
 * null for anything else (a file path), or an error for a URL we cannot fetch.
 */
export function readRemoteInput(input: string): RemoteInput | { error: string } | null {
  if (/^arxiv:/i.test(input)) {
    const id = normalizeArxivId(input);
    return id ? { kind: "arxiv-id", id } : { error: `${input}: not an arXiv id (expected arxiv:2506.01234 or arxiv:hep-th/9901001)` };
  }
  if (!/^https?:\/\//i.test(input)) return null;
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return { error: `${input}: not a valid URL` };
  }
  const host = url.hostname.replace(/^www\./, "");
  if (/^(export\.)?arxiv\.org$/.test(host) && /^\/(abs|pdf)\//.test(url.pathname)) {
    const id = normalizeArxivId(`https://arxiv.org${url.pathname}`);
    // A PDF link names the paper; its metadata comes from the API (the PDF itself is never fetched).
    return id ? { kind: "arxiv-id", id } : { error: `${input}: no arXiv id in this link` };
  }
  if (host === "huggingface.co" && url.pathname.startsWith("/papers/")) {
    const id = normalizeArxivId(url.pathname.slice("/papers/".length));
    return id ? { kind: "arxiv-id", id } : { error: `${input}: no arXiv id in this link` };
  }
  if (url.searchParams.has("verb")) {
    const verb = url.searchParams.get("verb");
    return verb === "ListRecords" || verb === "GetRecord" ? { kind: "oai", url: url.toString() } : { error: `${input}: OAI-PMH ${verb} holds no papers; use ListRecords or GetRecord` };
  }
  if (url.searchParams.has("search_query") || url.searchParams.has("id_list")) return { kind: "arxiv-query", url: url.toString() };
  if (url.pathname.endsWith("/daily_papers")) {
    const day = url.searchParams.get("date") ?? "";
    if (!isValidDay(day)) return { error: `${input}: a daily papers URL needs ?date=YYYY-MM-DD` };
    return { kind: "hf-day", baseUrl: `${url.origin}${url.pathname}`, day };
  }
  return { error: `${input}: not a URL we can read (arXiv abs/pdf links, arXiv API queries, OAI-PMH requests, Hugging Face daily papers)` };
}

/** Fetches the inputs into the writer; a failed fetch is reported as a rejection of that input and the rest go on. */
export async function ingestRemote(pool: pg.Pool, writer: IngestWriter, inputs: RemoteInput[], log?: (message: string) => void): Promise<void> {
  const ids = inputs.flatMap((input) => (input.kind === "arxiv-id" ? [input.id] : []));
  const guarded = async (location: string, run: () => Promise<unknown>) => {
    try {
      await run();
    } catch (error) {
      writer.reject({ location, reason: (error as Error).message });
    }
  };
  if (ids.length > 0) await guarded(`arxiv:${ids.join(",")}`, () => fetchArxivIds(pool, writer, ids, { log }));
  for (const input of inputs) {
    if (input.kind === "arxiv-query") await guarded(input.url, () => fetchArxivQuery(pool, writer, input.url, { log }));
    if (input.kind === "oai") await guarded(input.url, () => readOaiList(pool, writer, input.url, { log }));
    if (input.kind === "hf-day") await guarded(`${input.baseUrl}?date=${input.day}`, () => fetchDailyPapers(pool, writer, input.baseUrl, input.day, { log }));
  }
}
