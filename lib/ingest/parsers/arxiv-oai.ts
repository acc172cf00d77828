// Maps an arXiv OAI-PMH response (ListRecords or GetRecord, metadataPrefix arXiv or arXivRaw) to paper candidates.
import { normalizeArxivId } from "@/lib/papers/identity";
import { candidate, LISTED_RANK, type ParseEvent } from "../paper";
import { collapse, isObject, toInstant, type Json } from "./fields";
import { attribute, child, field, list, optionalText, readXml, readXmlOrThrow, splitCategories, textOf } from "./arxiv-xml";

export type OaiError = { code: string; message: string };
export type OaiResumptionToken = { token: string | null; completeListSize?: number; cursor?: number };
export type OaiPage = { responseDate: string | null; resumptionToken: OaiResumptionToken | null; error: OaiError | null };

/** The OAI-PMH answer to "nothing in this range": a normal empty page, not a failure. */
const NO_RECORDS = "noRecordsMatch";
const LIST_VERBS = ["ListRecords", "ListIdentifiers", "ListSets"] as const;
const OAI_ID_PREFIX = /^oai:arXiv\.org:/i;
const DELETED_IDS_SHOWN = 5;

/**
 * What a harvester needs to continue: the server's clock (for the next `from`), the resumption token
 * (null when an empty `<resumptionToken/>` closes the list; the whole field null when the page has
 * none), and the first OAI-PMH error. Throws on malformed XML or another root element.
 */
export function readOaiPage(xml: string): OaiPage {
  const root = readXmlOrThrow(xml);
  if (!("OAI-PMH" in root)) throw new Error("XML without an <OAI-PMH> root element");
  const oai = child(root, "OAI-PMH");
  const errors = oaiErrors(oai);
  const token = LIST_VERBS.map((verb) => oai[verb]).find(isObject)?.resumptionToken;
  return {
    responseDate: textOf(oai.responseDate),
    resumptionToken: token === undefined ? null : resumptionToken(token),
    error: errors[0] ?? null,
  };
}

/**
 * One event per `<record>`, located `file#N`. Deleted records are skipped and counted in one
 * notice; an OAI-PMH error other than noRecordsMatch, or malformed XML, is one reject for the file.
 */
export function parseOaiXml(xml: string, fileName: string): ParseEvent[] {
  const document = readXml(xml);
  if (!document.ok) return [{ kind: "reject", location: fileName, reason: document.reason }];
  if (!("OAI-PMH" in document.root)) {
    return [{ kind: "reject", location: fileName, reason: "XML without an <OAI-PMH> root element" }];
  }
  const oai = child(document.root, "OAI-PMH");

  const allErrors = oaiErrors(oai);
  const errors = allErrors.filter((error) => error.code !== NO_RECORDS);
  if (errors.length > 0) {
    const reason = errors.map((error) => `OAI-PMH error ${error.code}: ${error.message}`).join("; ");
    return [{ kind: "reject", location: fileName, reason }];
  }
  if (allErrors.length > 0) return [];
  const records = oai.ListRecords ?? oai.GetRecord;
  if (records === undefined) {
    const verb = attribute(oai.request, "verb") ?? "unknown";
    return [{ kind: "reject", location: fileName, reason: `OAI-PMH ${verb} response: only ListRecords and GetRecord hold papers` }];
  }

  const events: ParseEvent[] = [];
  const deleted: string[] = [];
  list(field(records, "record")).forEach((record, index) => {
    const header = child(record, "header");
    if (attribute(header, "status") === "deleted") {
      deleted.push(textOf(header.identifier) ?? `#${index + 1}`);
      return;
    }
    events.push(mapOaiRecord(record, `${fileName}#${index + 1}`));
  });
  if (deleted.length > 0) {
    const shown = deleted.slice(0, DELETED_IDS_SHOWN).join(", ") + (deleted.length > DELETED_IDS_SHOWN ? ", ..." : "");
    events.push({ kind: "notice", message: `${fileName}: skipped ${deleted.length} records deleted at the source (${shown})` });
  }
  return events;
}

type Dates = { publishedAt: string | null; sourceUpdatedAt: string | null };
type Format = { authors: string[]; dates: Dates | { invalid: string } };

/**
 * The header datestamp is when arXiv last touched the record, not when the paper was listed, so
 * listedAt is the first version's day, as for the Kaggle dump (see arxiv-kaggle.ts).
 */
export function mapOaiRecord(record: unknown, location: string): ParseEvent {
  const identifier = textOf(child(record, "header").identifier);
  const metadata = child(record, "metadata");
  const arXiv = metadata.arXiv;
  const raw = metadata.arXivRaw;
  const meta = isObject(arXiv) ? arXiv : isObject(raw) ? raw : null;
  if (!meta) {
    const found = Object.keys(metadata).filter((key) => !key.startsWith("@_") && key !== "#text");
    const reason = found.length > 0 ? `metadata format ${found.join(", ")} is neither arXiv nor arXivRaw` : "record without metadata";
    return { kind: "reject", location, reason };
  }
  const format: Format = meta === arXiv ? readArxivFormat(meta) : readArxivRawFormat(meta);

  const rawId = textOf(meta.id) ?? identifier?.replace(OAI_ID_PREFIX, "") ?? null;
  if (!rawId) return { kind: "reject", location, reason: "missing id" };
  const title = optionalText(meta.title);
  if (!title) return { kind: "reject", location, reason: "missing title" };
  if ("invalid" in format.dates) return { kind: "reject", location, reason: format.dates.invalid };
  const { publishedAt, sourceUpdatedAt } = format.dates;

  return {
    kind: "record",
    location,
    candidate: candidate({
      id: normalizeArxivId(rawId) ?? rawId.trim(),
      title,
      abstract: optionalText(meta.abstract) ?? "",
      authors: format.authors,
      categories: splitCategories(textOf(meta.categories)),
      comment: optionalText(meta.comments),
      journalRef: optionalText(meta["journal-ref"]),
      doi: optionalText(meta.doi),
      license: optionalText(meta.license),
      publishedAt,
      sourceUpdatedAt,
      listedAt: publishedAt ? publishedAt.slice(0, 10) : null,
      listedRank: LISTED_RANK.arxiv,
      source: "arxiv-oai",
      externalId: identifier ?? rawId,
    }),
  };
}

/** metadataPrefix=arXiv: structured authors, bare `created`/`updated` days (midnight UTC). */
function readArxivFormat(meta: Json): Format {
  const authors = list(child(meta, "authors").author)
    .map((author) => {
      const part = (name: string) => optionalText(field(author, name));
      return collapse([part("forenames"), part("keyname"), part("suffix")].filter(Boolean).join(" "));
    })
    .filter(Boolean);
  const created = textOf(meta.created);
  const publishedAt = toInstant(created);
  if (publishedAt === "invalid") return { authors, dates: { invalid: `created is not a date: ${JSON.stringify(created)}` } };
  const updated = toInstant(textOf(meta.updated));
  return { authors, dates: { publishedAt, sourceUpdatedAt: updated === "invalid" ? publishedAt : (updated ?? publishedAt) } };
}

/** metadataPrefix=arXivRaw: one authors string, and a dated `<version>` per revision (RFC 2822). */
function readArxivRawFormat(meta: Json): Format {
  const authors = splitAuthors(textOf(meta.authors) ?? "");
  const versions = list(meta.version);
  const first = versions[0];
  const firstDate = textOf(field(first, "date"));
  const publishedAt = toInstant(firstDate);
  if (publishedAt === "invalid") {
    const name = attribute(first, "version") ?? "v1";
    return { authors, dates: { invalid: `version ${name} date is not a date: ${JSON.stringify(firstDate)}` } };
  }
  const last = toInstant(textOf(field(versions.at(-1), "date")));
  return { authors, dates: { publishedAt, sourceUpdatedAt: last === "invalid" ? publishedAt : (last ?? publishedAt) } };
}

/**
 * "A. One, B. Two, and C. Three" -> three names. Commas and "and" separate names only outside
 * parentheses, which hold affiliations ("A. One (MIT), B. Two ((1) CERN, (2) DESY)") and are dropped.
 */
export function splitAuthors(value: string): string[] {
  let depth = 0;
  let outside = "";
  for (const char of value) {
    if (char === "(") depth += 1;
    else if (char === ")") depth = Math.max(0, depth - 1);
    else if (depth === 0) outside += char;
  }
  return outside
    .split(/\s*,\s*(?:and\s+)?|\s+and\s+/)
    .map(collapse)
    .filter(Boolean);
}

function oaiErrors(oai: Json): OaiError[] {
  return list(oai.error).map((error) => ({
    code: attribute(error, "code") ?? "unknown",
    message: optionalText(error) ?? "",
  }));
}

function resumptionToken(node: unknown): OaiResumptionToken {
  const token: OaiResumptionToken = { token: textOf(node)?.trim() ?? null };
  const completeListSize = wholeNumber(attribute(node, "completeListSize"));
  const cursor = wholeNumber(attribute(node, "cursor"));
  if (completeListSize !== undefined) token.completeListSize = completeListSize;
  if (cursor !== undefined) token.cursor = cursor;
  return token;
}

function wholeNumber(value: string | null): number | undefined {
  return value !== null && /^\d+$/.test(value.trim()) ? Number(value) : undefined;
}
