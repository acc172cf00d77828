import { describe, expect, it } from "vitest";
import { readLines, type Line } from "@/lib/ingest/read-lines";

const encoder = new TextEncoder();

async function* chunks(...parts: (string | Uint8Array)[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield typeof part === "string" ? encoder.encode(part) : part;
}

async function collect(source: AsyncIterable<Uint8Array>, maxLineBytes?: number): Promise<Line[]> {
  const lines: Line[] = [];
  for await (const line of readLines(source, { maxLineBytes })) lines.push(line);
  return lines;
}

describe("readLines", () => {
  it("numbers lines from 1, handles CRLF and a last line without a newline", async () => {
    const lines = await collect(chunks("one\r\ntwo\n\nthr", "ee"));
    expect(lines).toEqual([
      { lineNumber: 1, text: "one" },
      { lineNumber: 2, text: "two" },
      { lineNumber: 3, text: "" },
      { lineNumber: 4, text: "three" },
    ]);
  });

  it("does not yield an extra empty line after a final newline", async () => {
    expect(await collect(chunks("a\nb\n"))).toHaveLength(2);
  });

  it("decodes a UTF-8 character split across chunks", async () => {
    const bytes = encoder.encode("Balázs 漢字\n");
    const cut = bytes.indexOf(0xa1); // the second byte of "á"
    const lines = await collect(chunks(bytes.subarray(0, cut), bytes.subarray(cut, cut + 5), bytes.subarray(cut + 5)));
    expect(lines).toEqual([{ lineNumber: 1, text: "Balázs 漢字" }]);
  });

  it("drops a byte-order mark at the start", async () => {
    const lines = await collect(chunks(new Uint8Array([0xef, 0xbb, 0xbf]), "first\nsecond"));
    expect(lines.map((line) => line.text)).toEqual(["first", "second"]);
  });

  it("reports a line over the limit with its size and keeps the lines around it", async () => {
    const lines = await collect(chunks("short\n", "x".repeat(6), "x".repeat(6), "\r\nafter\n"), 10);
    expect(lines).toEqual([
      { lineNumber: 1, text: "short" },
      { lineNumber: 2, tooLong: true, bytes: 12 },
      { lineNumber: 3, text: "after" },
    ]);
  });

  it("accepts a line of exactly the limit, also with CRLF", async () => {
    const lines = await collect(chunks("0123456789\r\n0123456789\n01234567890\n"), 10);
    expect(lines.map((line) => line.tooLong ?? false)).toEqual([false, false, true]);
  });

  it("survives a source that reuses its buffer", async () => {
    const shared = new Uint8Array(8);
    async function* reusing(): AsyncGenerator<Uint8Array> {
      for (const part of ["ab", "cd\nef", "gh"]) {
        shared.fill(0);
        shared.set(encoder.encode(part));
        yield shared.subarray(0, part.length);
      }
    }
    expect((await collect(reusing())).map((line) => line.text)).toEqual(["abcd", "efgh"]);
  });
});
