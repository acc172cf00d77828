// Maps an arXiv API response (Atom feed from export.arxiv.org/api/query) to paper candidates.
import { normalizeArxivId } from "@/lib/papers/identity";
import { candidate, LISTED_RANK, type ParseEvent } from "../paper";
import { collapse, isObject, toInstant } from "./fields";
import { attribute, child, field, list, optionalText, readXml, readXmlOrThrow, textOf } from "./arxiv-xml";

/** arXiv answers a bad query with HTTP 200 and a one-entry feed whose id points here. */
const API_ERROR_ID = /^https?:\/\/(export\.)?arxiv\.org\/api\/errors/i;

export type AtomPage = { totalResults: number | null; startIndex: number | null; itemsPerPage: number | null };

/** The opensearch paging numbers a fetcher needs to ask for the next page. Throws on malformed XML or another root element. */
export function readAtomPage(xml: string): AtomPage {
  const root = readXmlOrThrow(xml);
  if (!("feed" in root)) throw new Error("XML without an Atom <feed> root element");
  const feed = child(root, "feed");
  return {
    totalResults: count(feed.totalResults),
    startIndex: count(feed.startIndex),
    itemsPerPage: count(feed.itemsPerPage),
  };
}

/**
 * One event per `<entry>`, located `file#N`. An empty result is no events; arXiv's error feed and
 * a document that is not well-formed XML are one reject for the whole response.
 */
export function parseAtomXml(xml: string, fileName: string): ParseEvent[] {
  const document = readXml(xml);
  if (!document.ok) return [{ kind: "reject", location: fileName, reason: document.reason }];
  if (!("feed" in document.root)) {
    return [{ kind: "reject", location: fileName, reason: "XML without an Atom <feed> root element" }];
  }
  // An empty <feed/> reads as "", not an object; child() makes it {} and so no entries.
  const entries = list(child(document.root, "feed").entry);
  const apiError = entries.filter(isObject).find((entry) => API_ERROR_ID.test(textOf(entry.id) ?? ""));
  if (apiError) {
    const message = optionalText(apiError.summary) ?? optionalText(apiError.title) ?? "no message";
    return [{ kind: "reject", location: fileName, reason: `arXiv API error: ${message}` }];
  }
  return entries.map((entry, index) => mapAtomEntry(entry, `${fileName}#${index + 1}`));
}

/** listedAt is the day of the first version, as for the Kaggle dump (see arxiv-kaggle.ts). */
export function mapAtomEntry(entry: unknown, location: string): ParseEvent {
  if (!isObject(entry)) return { kind: "reject", location, reason: "entry is empty" };
  const rawId = textOf(entry.id);
  if (!rawId) return { kind: "reject", location, reason: "missing id" };
  const title = optionalText(entry.title);
  if (!title) return { kind: "reject", location, reason: "missing title" };
  const published = textOf(entry.published);
  const publishedAt = toInstant(published);
  if (publishedAt === "invalid") {
    return { kind: "reject", location, reason: `published is not a date: ${JSON.stringify(published)}` };
  }
  const updatedAt = toInstant(textOf(entry.updated));

  return {
    kind: "record",
    location,
    candidate: candidate({
      // "http://arxiv.org/abs/astro-ph/0601001v1" -> "astro-ph/0601001"; anything else goes to validation as is.
      id: normalizeArxivId(rawId) ?? rawId.trim(),
      title,
      abstract: optionalText(entry.summary) ?? "",
      authors: list(entry.author)
        .map((author) => optionalText(field(author, "name")))
        .filter((name): name is string => name !== null),
      categories: categories(entry),
      comment: optionalText(entry.comment),
      journalRef: optionalText(entry.journal_ref),
      doi: optionalText(entry.doi),
      publishedAt,
      sourceUpdatedAt: updatedAt === "invalid" ? null : (updatedAt ?? publishedAt),
      listedAt: publishedAt ? publishedAt.slice(0, 10) : null,
      listedRank: LISTED_RANK.arxiv,
      source: "arxiv-api",
      externalId: collapse(rawId),
    }),
  };
}

/** The primary category first, then the others in feed order, each once. */
function categories(entry: Record<string, unknown>): string[] | null {
  const primary = attribute(entry.primary_category, "term");
  const terms = list(entry.category).map((category) => attribute(category, "term"));
  const unique = [...new Set([primary, ...terms].filter((term): term is string => term !== null).map(collapse))];
  return unique.length > 0 ? unique : null;
}

function count(node: unknown): number | null {
  const value = textOf(node);
  return value !== null && /^\d+$/.test(value.trim()) ? Number(value) : null;
}
