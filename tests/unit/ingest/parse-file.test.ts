import { createWriteStream, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listInputFiles, parseFile } from "@/lib/ingest/parse-file";
import { paperRecordSchema, type ParseEvent } from "@/lib/ingest/paper";

const DAILY = "tests/fixtures/hf-daily-papers/2026-05-01.json";
const KAGGLE = "tests/fixtures/arxiv-kaggle/arxiv-metadata-oai-snapshot.sample.jsonl";
let dir = "";

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "parse-file-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function collect(file: string, maxLineBytes?: number): Promise<ParseEvent[]> {
  const events: ParseEvent[] = [];
  for await (const event of parseFile(file, { today: "2026-11-27", maxLineBytes })) events.push(event);
  return events;
}

async function write(name: string, content: string | Uint8Array): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, content);
  return file;
}

const kinds = (events: ParseEvent[]) => events.map((event) => event.kind);

describe("parseFile on broken JSON arrays", () => {
  it("keeps every complete item before a truncation and names the file and the break", async () => {
    const text = readFileSync(DAILY, "utf8");
    // Cut in the middle of the fourth item's summary.
    const cut = text.indexOf('"summary"', text.indexOf('"2604.27083"'));
    const file = await write("truncated.json", text.slice(0, cut + 40));
    const events = await collect(file);
    expect(kinds(events)).toEqual(["record", "record", "record", "reject"]);
    expect(events[2]).toMatchObject({ kind: "record", candidate: { id: "2604.27711" } });
    expect(events[3]).toEqual({
      kind: "reject",
      location: `${file}#4`,
      reason: expect.stringMatching(/^invalid or truncated JSON after item 3 \(\d+ of \d+ bytes read\): Parser/),
    });
  });

  it("rejects an HTML error page saved as .json in one event", async () => {
    const file = await write("error.json", "<!DOCTYPE html>\n<html><head><title>502</title></head><body>Bad Gateway</body></html>\n");
    expect(await collect(file)).toEqual([
      { kind: "reject", location: file, reason: "an HTML page, not paper data (was an error page saved as .json?)" },
    ]);
  });

  it("rejects each Python-dict string in an array, with its item number", async () => {
    const file = await write("python.json", JSON.stringify(["{'id': '2506.01234', 'title': 'A'}", "{'id': '2506.01235'}"]));
    const events = await collect(file);
    expect(events).toEqual([
      { kind: "reject", location: `${file}#1`, reason: expect.stringContaining("Python dict") },
      { kind: "reject", location: `${file}#2`, reason: expect.stringContaining("Python dict") },
    ]);
  });

  it("rejects an empty file", async () => {
    const file = await write("empty.json", "");
    expect(await collect(file)).toEqual([{ kind: "reject", location: file, reason: "empty file" }]);
  });

  it("reads an Atom feed by its content whatever the file is called; an empty feed holds no papers", async () => {
    const file = await write("feed.json", "<?xml version='1.0'?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"></feed>");
    expect(await collect(file)).toEqual([]);
  });

  it("reads a file with a byte-order mark", async () => {
    const file = await write("bom.json", `\uFEFF${readFileSync(DAILY, "utf8")}`);
    const events = await collect(file);
    expect(events).toHaveLength(16);
    expect(kinds(events).every((kind) => kind === "record")).toBe(true);
  });

  it("maps a Kaggle-shaped object inside a JSON array with the Kaggle mapper", async () => {
    const kaggle = JSON.parse(readFileSync(KAGGLE, "utf8").split("\n")[0] ?? "") as object;
    const daily = (JSON.parse(readFileSync(DAILY, "utf8")) as object[])[0];
    const events = await collect(await write("mixed.json", JSON.stringify([daily, kaggle])));
    expect(events).toMatchObject([
      { kind: "record", candidate: { id: "2604.27351", source: "hf-daily" } },
      { kind: "record", candidate: { id: "0704.0001", source: "arxiv-kaggle" } },
    ]);
  });

  it("passes a <script> title through as plain text and a 1 MB abstract to validation", async () => {
    const items = [
      { paper: { id: "2506.00001", title: "<script>alert(1)</script> Attacks", summary: "ok" } },
      { paper: { id: "2506.00002", title: "Long", summary: "a".repeat(1024 * 1024) } },
    ];
    const events = await collect(await write("odd.json", JSON.stringify(items)));
    expect(events[0]).toMatchObject({ kind: "record", candidate: { title: "<script>alert(1)</script> Attacks" } });
    expect(events[1]?.kind === "record" && (events[1].candidate.abstract as string).length).toBe(1024 * 1024);
    const tooLong = events[1]?.kind === "record" ? paperRecordSchema.safeParse(events[1].candidate) : undefined;
    expect(tooLong?.success).toBe(false);
  });

  it("rejects items with a missing id or title, naming the field", async () => {
    const items = [{ paper: { title: "No id" } }, { paper: { id: "2506.00003" } }];
    const events = await collect(await write("missing.json", JSON.stringify(items)));
    expect(events).toMatchObject([
      { kind: "reject", reason: "missing paper.id" },
      { kind: "reject", reason: "missing paper.title" },
    ]);
  });
});

describe("parseFile on broken JSON Lines", () => {
  it("rejects a bad line with its number and keeps the others, with CRLF endings", async () => {
    const [first, second] = readFileSync(KAGGLE, "utf8").split("\n");
    const file = await write("crlf.jsonl", `${first}\r\n{"id": oops}\r\n\r\n${second}\r\n`);
    const events = await collect(file);
    expect(kinds(events)).toEqual(["record", "reject", "record"]);
    expect(events[1]).toMatchObject({ location: `${file}:2`, reason: expect.stringMatching(/^invalid JSON \(/) });
    expect(events[2]).toMatchObject({ location: `${file}:4`, candidate: { id: "0704.0002" } });
  });

  it("rejects an invalid date with the line's location", async () => {
    const record = { ...JSON.parse(readFileSync(KAGGLE, "utf8").split("\n")[0] ?? ""), versions: [{ created: "never" }] };
    const file = await write("baddate.jsonl", `${JSON.stringify(record)}\n`);
    expect(await collect(file)).toEqual([
      { kind: "reject", location: `${file}:1`, reason: 'versions[0].created is not a date: "never"' },
    ]);
  });

  it("rejects a 50 MB line, parses the lines around it, and stays within bounded memory", async () => {
    const [first, second] = readFileSync(KAGGLE, "utf8").split("\n");
    const file = path.join(dir, "huge.jsonl");
    const out = createWriteStream(file);
    out.write(`${first}\n`);
    const block = `{"id":"2506.99999","abstract":"${"x".repeat(1024 * 1024 - 40)}`;
    const filler = "y".repeat(1024 * 1024);
    out.write(block);
    for (let i = 1; i < 50; i += 1) out.write(filler);
    out.write(`"}\n${second}\n`);
    await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));

    const before = process.memoryUsage();
    let peak = 0;
    const events: ParseEvent[] = [];
    for await (const event of parseFile(file, { today: "2026-11-27" })) {
      events.push(event);
      const now = process.memoryUsage();
      peak = Math.max(peak, now.heapUsed + now.arrayBuffers - before.heapUsed - before.arrayBuffers);
    }
    expect(kinds(events)).toEqual(["record", "reject", "record"]);
    expect(events[1]).toEqual({
      kind: "reject",
      location: `${file}:2`,
      reason: `line is ${block.length + 49 * filler.length + 2} bytes, over the 4 MiB limit`,
    });
    expect(events[2]).toMatchObject({ candidate: { id: "0704.0002" } });
    // Holding the line whole would need 50 MB at once (100 MB as a JS string).
    expect(peak).toBeLessThan(40 * 1024 * 1024);
  });
});

describe("listInputFiles", () => {
  it("expands directories recursively in sorted order, skips dotfiles and reports missing paths", async () => {
    const root = path.join(dir, "tree");
    await mkdir(path.join(root, "b", "deep"), { recursive: true });
    await mkdir(path.join(root, ".hidden"), { recursive: true });
    await writeFile(path.join(root, "b", "deep", "z.json"), "[]");
    await writeFile(path.join(root, "b", "a.json"), "[]");
    await writeFile(path.join(root, "a.jsonl"), "");
    await writeFile(path.join(root, ".DS_Store"), "");
    await writeFile(path.join(root, ".hidden", "x.json"), "[]");
    const missing = path.join(dir, "nope.json");
    const { files, errors } = await listInputFiles([root, missing, path.join(root, "a.jsonl")]);
    expect(files).toEqual([path.join(root, "a.jsonl"), path.join(root, "b", "a.json"), path.join(root, "b", "deep", "z.json")]);
    expect(errors).toEqual([`${missing}: no such file or directory`]);
  });
});

describe("parseFile on unreadable input", () => {
  it("turns a file it cannot open into one reject", async () => {
    const missing = path.join(dir, "gone.json");
    expect(await collect(missing)).toEqual([
      { kind: "reject", location: missing, reason: expect.stringMatching(/^cannot read the file: ENOENT/) },
    ]);
  });
});
