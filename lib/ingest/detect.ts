// Decides which parser a file needs from its first bytes; the file name is only used in messages.
import { MAX_TITLE_CHARS } from "./paper";

export const HEAD_BYTES = 64 * 1024;

export type InputFormat = "hf-daily-json" | "arxiv-jsonl" | "hf-search-page" | "arxiv-atom" | "arxiv-oai";
export type Detection = InputFormat | { error: string };

/** Lines the saved Hugging Face Papers page starts with, before the first title. */
export const SEARCH_PAGE_HEADER_LINES = [
  "Get trending papers in your email inbox once a day!",
  "Get trending papers in your email inbox!",
];

/**
 * `head` is the file's first 64 KiB decoded as UTF-8. Content decides, not the extension:
 * the Kaggle dump is JSON Lines named `.json`, and an error page saved as `.json` is HTML.
 */
export function detectFormat(head: string, fileName: string): Detection {
  const text = head.replace(/^\uFEFF/, "").trimStart();
  if (text === "") return { error: "empty file" };
  if (looksBinary(text)) return { error: describeBinary(text, fileName) };
  if (text.startsWith("<")) return detectMarkup(text);
  if (text.startsWith("[")) return "hf-daily-json";
  if (text.startsWith("{")) {
    // A pretty-printed single object opens with a lone "{"; JSON Lines put a whole record on line 1.
    const firstLine = text.slice(0, text.indexOf("\n") === -1 ? undefined : text.indexOf("\n")).trim();
    if (firstLine === "{") return { error: "a single JSON object, not a JSON array or JSON Lines of papers" };
    return "arxiv-jsonl";
  }
  if (looksLikeSearchPage(text)) return "hf-search-page";
  return { error: "plain text that is neither JSON nor the Hugging Face Papers search page (title line, abstract line)" };
}

function detectMarkup(text: string): Detection {
  const start = text.slice(0, 4096);
  if (/<!doctype html|<html[\s>]/i.test(start)) {
    return { error: "an HTML page, not paper data (was an error page saved as .json?)" };
  }
  if (/<feed[\s>]/.test(start)) return "arxiv-atom";
  if (/<OAI-PMH[\s>]/.test(start)) return "arxiv-oai";
  return { error: "XML or markup that is neither an arXiv Atom feed nor an OAI-PMH response" };
}

function looksBinary(text: string): boolean {
  const sample = text.slice(0, 4096);
  if (sample.includes("\u0000")) return true;
  // U+FFFD marks bytes that are not UTF-8; a few can be a cut at the 64 KiB edge, many mean binary.
  const replaced = sample.match(/\uFFFD/g)?.length ?? 0;
  return replaced > 8 || replaced > sample.length / 100;
}

function describeBinary(text: string, fileName: string): string {
  if (text.startsWith("\u001f\uFFFD")) return `gzip-compressed data: decompress ${fileName} first`;
  if (text.startsWith("PK\u0003\u0004")) return `a zip archive: extract ${fileName} first`;
  return "binary data, not paper text";
}

/** Without the header, a title line followed by a longer abstract line is what identifies the page. */
function looksLikeSearchPage(text: string): boolean {
  const lines = text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== "");
  if (lines.some((line) => SEARCH_PAGE_HEADER_LINES.includes(line))) return true;
  // The last line of the head may be cut at 64 KiB, so only whole pairs before it count.
  const pairs = lines.slice(0, Math.min(lines.length - 1, 20));
  if (pairs.length < 2) return lines.length === 2 && isPair(lines[0], lines[1]);
  for (let i = 0; i + 1 < pairs.length; i += 2) {
    if (!isPair(pairs[i], pairs[i + 1])) return false;
  }
  return true;
}

function isPair(title: string | undefined, abstract: string | undefined): boolean {
  if (title === undefined || abstract === undefined) return false;
  return title.length <= MAX_TITLE_CHARS && !title.includes("\t") && abstract.length > title.length;
}
