// Search documents: the indexed shape of a paper, with reversibly encoded ids (pure).

/** Meilisearch ids allow only [A-Za-z0-9_-]; "_" escapes everything else, so decoding is exact. */
export function encodeDocumentId(paperId: string): string {
  let out = "";
  for (const char of paperId) {
    if (/[A-Za-z0-9-]/.test(char)) out += char;
    else if (char === "_") out += "__";
    else if (char === ".") out += "_d";
    else if (char === "/") out += "_s";
    else out += `_x${char.codePointAt(0)!.toString(16).padStart(6, "0")}`;
  }
  return out;
}

export function decodeDocumentId(documentId: string): string {
  return documentId.replace(/_(_|d|s|x[0-9a-f]{6})/g, (_match, code: string) => {
    if (code === "_") return "_";
    if (code === "d") return ".";
    if (code === "s") return "/";
    return String.fromCodePoint(parseInt(code.slice(1), 16));
  });
}

export type SearchDocument = {
  id: string;
  paperId: string;
  title: string;
  abstract: string;
  authors: string[];
  categories: string[];
  /** Listing day as a Unix timestamp (seconds), for range filters and sorting. */
  listedAt: number | null;
  listedDay: string | null;
  publishedAt: string | null;
  votes: number;
  hasCode: boolean;
  githubRepo: string | null;
  githubStars: number | null;
  projectPage: string | null;
  /** md5 of the indexed fields as Postgres computes it; reconcile compares it. */
  checksum: string;
};

/** A row as lib/search selects it from Postgres (see DOCUMENT_COLUMNS in ./store). */
export type DocumentRow = Omit<SearchDocument, "id" | "listedAt" | "hasCode">;

// Private-use characters mark highlights; no real title or abstract should carry them, and any
// that do are removed so they cannot forge a highlight.
export const HIGHLIGHT_START = "\uE000";
export const HIGHLIGHT_END = "\uE001";
const MARKERS = /[\uE000\uE001]/g;

export function toSearchDocument(row: DocumentRow): SearchDocument {
  return {
    ...row,
    id: encodeDocumentId(row.paperId),
    title: row.title.replace(MARKERS, ""),
    abstract: row.abstract.replace(MARKERS, ""),
    listedAt: row.listedDay ? Date.parse(`${row.listedDay}T00:00:00Z`) / 1000 : null,
    hasCode: row.githubRepo !== null,
  };
}

export type Segment = { text: string; highlight: boolean };

/** Splits text carrying highlight markers into plain and highlighted runs (rendered as React text). */
export function toSegments(marked: string): Segment[] {
  const segments: Segment[] = [];
  let highlight = false;
  for (const part of marked.split(/([\uE000\uE001])/)) {
    if (part === HIGHLIGHT_START) highlight = true;
    else if (part === HIGHLIGHT_END) highlight = false;
    else if (part) {
      const last = segments[segments.length - 1];
      if (last && last.highlight === highlight) last.text += part;
      else segments.push({ text: part, highlight });
    }
  }
  return wholeWords(segments);
}

const WORD_CHAR = /^[\p{L}\p{N}]$/u;

/** Where the word that `text` ends with starts (text.length when it ends in no word). */
function trailingWordStart(text: string): number {
  let at = text.length;
  while (at > 0) {
    // Step back one code point (a letter outside the BMP is two UTF-16 units).
    const low = text.charCodeAt(at - 1);
    const width = at > 1 && low >= 0xdc00 && low <= 0xdfff ? 2 : 1;
    if (!WORD_CHAR.test(text.slice(at - width, at))) break;
    at -= width;
  }
  return at;
}

/** Where the word that `text` begins with ends (0 when it begins with no word). */
function leadingWordEnd(text: string): number {
  let at = 0;
  while (at < text.length) {
    const width = text.codePointAt(at)! > 0xffff ? 2 : 1;
    if (!WORD_CHAR.test(text.slice(at, at + width))) break;
    at += width;
  }
  return at;
}

/**
 * Meilisearch marks only the matched part of a word ("Transforme" of "Transformers", for the
 * query "transfomer"); widen each highlight to whole words, which reads better. Scans only the
 * letters next to each highlight (an end-anchored regex would rescan the whole run every time).
 */
function wholeWords(segments: Segment[]): Segment[] {
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if (!segment.highlight) continue;
    const before = segments[i - 1];
    const after = segments[i + 1];
    if (before && !before.highlight) {
      const start = trailingWordStart(before.text);
      segment.text = before.text.slice(start) + segment.text;
      before.text = before.text.slice(0, start);
    }
    if (after && !after.highlight) {
      const end = leadingWordEnd(after.text);
      segment.text += after.text.slice(0, end);
      after.text = after.text.slice(end);
    }
  }
  return segments.filter((segment) => segment.text.length > 0);
}
