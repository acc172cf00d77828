// Reads arXiv XML responses (API Atom feeds, OAI-PMH pages) into plain objects, safely; shared by both parsers.
import { XMLParser, XMLValidator, type EntityDecoderOptions } from "fast-xml-parser";
import { collapse, isObject, text, type Json } from "./fields";

/** Elements that may repeat; declared up front so one occurrence still reads as a list. */
const REPEATED = new Set(["entry", "author", "category", "link", "record", "version", "setSpec", "error"]);

const XML_ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/**
 * Decodes only what XML itself defines: the five named entities and numeric references, in one
 * pass so "&amp;#233;" stays "&#233;". Entities a DOCTYPE declares are dropped unread, which
 * rules out entity-expansion attacks (billion laughs); fast-xml-parser's own decoder expands
 * them, and with `htmlEntities: false` it leaves numeric references undecoded.
 */
const builtInEntities: EntityDecoderOptions = {
  setExternalEntities: () => {},
  addInputEntities: () => {},
  reset: () => {},
  setXmlVersion: () => {},
  decode: (value) =>
    value.includes("&")
      ? value.replace(/&(?:#(\d{1,7})|#x([0-9a-fA-F]{1,6})|(amp|lt|gt|quot|apos));/g, (match, dec, hex, name) => {
          if (name) return XML_ENTITIES[name as string] ?? match;
          const code = dec ? Number.parseInt(dec as string, 10) : Number.parseInt(hex as string, 16);
          return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : match;
        })
      : value,
};

const xmlParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  // The documents use three or four namespaces whose local names do not clash (feed/entry, arxiv:,
  // opensearch:; OAI-PMH, arXiv, arXivRaw), so prefixes carry no information we need.
  removeNSPrefix: true,
  // Everything stays a string: a title "0" or an id "0704.0471" must not become a number.
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: true,
  htmlEntities: false,
  entityDecoder: builtInEntities,
  isArray: (name, _path, _isLeaf, isAttribute) => !isAttribute && REPEATED.has(name),
});

export type XmlDocument = { ok: true; root: Json } | { ok: false; reason: string };

const SPACE = /\s+/y;
const DOCTYPE = /<!DOCTYPE/iy;
/** What may stand in the prolog besides whitespace, by its opening and closing marks. */
const PROLOG_MARKUP = [["<?", "?>"], ["<!--", "-->"]] as const;

/**
 * Does a document type declaration open after the prolog's whitespace, processing instructions
 * (the XML declaration among them) and comments, the only place one may stand? One pass: each
 * instruction and comment is read up to its first end marker, as XML reads it. A single regular
 * expression for this backtracked exponentially over a run of instructions with no DOCTYPE after them.
 */
export function hasDoctypeInProlog(xml: string): boolean {
  let at = 0;
  for (;;) {
    SPACE.lastIndex = at;
    if (SPACE.test(xml)) at = SPACE.lastIndex;
    const markup = PROLOG_MARKUP.find(([open]) => xml.startsWith(open, at));
    if (!markup) break; // the prolog ends here
    const [open, close] = markup;
    const end = xml.indexOf(close, at + open.length);
    if (end === -1) return false; // unterminated: nothing can follow it (and the validator rejects the document)
    at = end + close.length;
  }
  DOCTYPE.lastIndex = at;
  return DOCTYPE.test(xml);
}

/**
 * Well-formedness is checked first because the parser itself is lenient: a response cut off
 * mid-element would otherwise read as a shorter, valid-looking page.
 */
export function readXml(xml: string): XmlDocument {
  const body = xml.replace(/^\uFEFF/, "");
  // arXiv never sends a DTD; one in a saved response means it is not what it claims to be.
  if (hasDoctypeInProlog(body)) {
    return { ok: false, reason: "XML with a <!DOCTYPE> declaration: arXiv responses have none, and DTDs are not processed" };
  }
  const validation = XMLValidator.validate(body);
  if (validation !== true) {
    const { msg, line, col } = validation.err;
    // The validator leaves the column out for some errors (a missing root element, for one).
    const position = typeof col === "number" ? `line ${line}, column ${col}` : `line ${line}`;
    return { ok: false, reason: `invalid or truncated XML at ${position}: ${msg}` };
  }
  try {
    const root: unknown = xmlParser.parse(body);
    return isObject(root) ? { ok: true, root } : { ok: false, reason: "XML without a root element" };
  } catch (error) {
    return { ok: false, reason: `invalid XML: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** Like readXml, for callers that have no reject to report (the page readers): a bad document throws. */
export function readXmlOrThrow(xml: string): Json {
  const document = readXml(xml);
  if (!document.ok) throw new Error(document.reason);
  return document.root;
}

/** An element's text, whether it was read as a bare string or as an object with attributes. */
export function textOf(node: unknown): string | null {
  if (typeof node === "string") return text(node);
  if (isObject(node)) return text(node["#text"]);
  return null;
}

/** Collapsed text, or null when the element is absent or blank. */
export function optionalText(node: unknown): string | null {
  const value = textOf(node);
  return value === null ? null : collapse(value) || null;
}

export function attribute(node: unknown, name: string): string | null {
  return isObject(node) ? text(node[`@_${name}`]) : null;
}

/** A child element as the parser read it (string, object or list), or undefined. */
export function field(node: unknown, name: string): unknown {
  return isObject(node) ? node[name] : undefined;
}

/** A child element read as an object; absent, empty (`<x/>`) or text-only elements are {}. */
export function child(node: unknown, name: string): Json {
  const value = field(node, name);
  return isObject(value) ? value : {};
}

/** Repeated elements (see REPEATED) as a list, whatever the parser made of them. */
export function list(node: unknown): unknown[] {
  if (Array.isArray(node)) return node;
  return node === undefined || node === null ? [] : [node];
}

/** Space-separated arXiv categories ("hep-th math-ph"), or null when the source gives none. */
export function splitCategories(value: string | null): string[] | null {
  const categories = value?.split(/\s+/).filter(Boolean) ?? [];
  return categories.length > 0 ? categories : null;
}
