// Turns one input file into parse events: reads its head, picks the parser, reads the rest
// (streamed for JSON and text; XML responses are small and read whole).
import { createReadStream } from "node:fs";
import { Readable, Transform } from "node:stream";
import { open, readdir, readFile, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { chain } from "stream-chain";
import { parser } from "stream-json";
import { streamArray } from "stream-json/streamers/stream-array.js";
import { detectFormat, HEAD_BYTES } from "./detect";
import type { ParseEvent } from "./paper";
import { parseAtomXml } from "./parsers/arxiv-atom";
import { mapKaggleRecord } from "./parsers/arxiv-kaggle";
import { parseOaiXml } from "./parsers/arxiv-oai";
import { mapDailyItem } from "./parsers/hf-daily";
import { parseSearchPage } from "./parsers/search-page";
import { DEFAULT_MAX_LINE_BYTES, readLines } from "./read-lines";

export type ParseFileOptions = {
  today: string;
  maxLineBytes?: number;
  /** Called with each chunk's size as the file is read, for progress bars over big files. */
  onBytes?: (bytes: number) => void;
};

function openStream(file: string, options: ParseFileOptions): Readable {
  const stream = createReadStream(file, { highWaterMark: 1024 * 1024 });
  const onBytes = options.onBytes;
  if (!onBytes) return stream;
  // A counting pass-through keeps backpressure intact (a "data" listener would not).
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      onBytes(chunk.length);
      done(null, chunk);
    },
  });
  stream.once("error", (error) => counter.destroy(error));
  return stream.pipe(counter);
}

/**
 * Locations are `file#N` (N = 1-based item number in a JSON array) or `file:N` (1-based line number).
 * Memory stays flat: JSON arrays are parsed item by item, lines are capped at `maxLineBytes`.
 */
export async function* parseFile(file: string, options: ParseFileOptions): AsyncGenerator<ParseEvent> {
  let head: string;
  try {
    head = await readHead(file);
  } catch (error) {
    // An unreadable file (permissions, a directory) is one bad input, not a reason to stop the run.
    yield { kind: "reject", location: file, reason: `cannot read the file: ${message(error)}` };
    return;
  }
  const format = detectFormat(head, path.basename(file));
  if (typeof format === "object") {
    yield { kind: "reject", location: file, reason: format.error };
    return;
  }
  switch (format) {
    case "hf-daily-json":
      yield* parseJsonArray(file, options);
      return;
    case "arxiv-jsonl":
      yield* parseJsonLines(file, options);
      return;
    case "hf-search-page": {
      const lines = readLines(openStream(file, options), { maxLineBytes: options.maxLineBytes });
      yield* parseSearchPage(lines, { fileName: file, today: options.today });
      return;
    }
    case "arxiv-atom":
    case "arxiv-oai": {
      // Read whole, not streamed: an OAI-PMH page holds at most ~1,000 records and an API response
      // at most 2,000 entries, a few MB. The cap keeps a mislabelled bulk dump from exhausting memory.
      const maxXmlBytes = 64 * 1024 * 1024;
      const { size } = await stat(file);
      if (size > maxXmlBytes) {
        yield { kind: "reject", location: file, reason: `${size} bytes of XML, over the ${formatBytes(maxXmlBytes)} limit for one arXiv response` };
        return;
      }
      const xml = await readFile(file, "utf8");
      options.onBytes?.(size);
      yield* format === "arxiv-atom" ? parseAtomXml(xml, file) : parseOaiXml(xml, file);
      return;
    }
  }
}

/** One JSON object from either source: a daily-papers item wraps `paper`, a Kaggle record does not. */
export function mapPaperObject(value: unknown, location: string): ParseEvent {
  const isKaggle =
    typeof value === "object" &&
    value !== null &&
    !("paper" in value) &&
    ("authors_parsed" in value || "versions" in value || "abstract" in value);
  return isKaggle ? mapKaggleRecord(value, location) : mapDailyItem(value, location);
}

async function readHead(file: string): Promise<string> {
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    return new TextDecoder("utf-8").decode(buffer.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

/** A truncated file still yields every complete item before the cut, then one reject saying where. */
async function* parseJsonArray(file: string, options: ParseFileOptions): AsyncGenerator<ParseEvent> {
  let bytesRead = 0;
  const source = openStream(file, {
    ...options,
    onBytes: (bytes) => {
      bytesRead += bytes;
      options.onBytes?.(bytes);
    },
  });
  const items = chain([source, parser(), streamArray()]);
  let count = 0;
  try {
    for await (const item of items as AsyncIterable<{ key: number; value: unknown }>) {
      count = item.key + 1;
      yield mapPaperObject(item.value, `${file}#${count}`);
    }
  } catch (error) {
    const { size } = await stat(file);
    yield {
      kind: "reject",
      location: `${file}#${count + 1}`,
      reason: `invalid or truncated JSON after item ${count} (${bytesRead} of ${size} bytes read): ${message(error)}`,
    };
  } finally {
    items.destroy();
    source.destroy();
  }
}

async function* parseJsonLines(file: string, options: ParseFileOptions): AsyncGenerator<ParseEvent> {
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  for await (const line of readLines(openStream(file, options), { maxLineBytes })) {
    const location = `${file}:${line.lineNumber}`;
    if (line.tooLong) {
      yield { kind: "reject", location, reason: `line is ${line.bytes} bytes, over the ${formatBytes(maxLineBytes)} limit` };
      continue;
    }
    if (line.text.trim() === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(line.text);
    } catch (error) {
      yield { kind: "reject", location, reason: `invalid JSON (${message(error)})` };
      continue;
    }
    yield mapPaperObject(value, location);
  }
}

/**
 * Expands directories recursively (sorted, dotfiles skipped) so a run over `data/` is repeatable.
 * A path that does not exist is an error for the caller to report, not a reason to stop the others.
 */
export async function listInputFiles(paths: string[]): Promise<{ files: string[]; errors: string[] }> {
  const files = new Set<string>();
  const errors: string[] = [];
  const visitedDirectories = new Set<string>();

  const visit = async (entry: string): Promise<void> => {
    try {
      const info = await stat(entry);
      if (info.isFile()) files.add(entry);
      if (!info.isDirectory()) return;
      // A symlink loop would otherwise recurse forever.
      const real = await realpath(entry);
      if (visitedDirectories.has(real)) return;
      visitedDirectories.add(real);
      const names = (await readdir(entry)).filter((name) => !name.startsWith(".")).sort();
      for (const name of names) await visit(path.join(entry, name));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      errors.push(code === "ENOENT" ? `${entry}: no such file or directory` : `${entry}: ${message(error)}`);
    }
  };

  for (const given of paths) await visit(given);
  return { files: [...files], errors };
}

function formatBytes(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  return Number.isInteger(mib) ? `${mib} MiB` : `${bytes} bytes`;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
