import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { detectFormat } from "@/lib/ingest/detect";

const shared = (file: string) => readFileSync(`tests/fixtures/${file}`, "utf8").slice(0, 64 * 1024);

describe("detectFormat", () => {
  it("recognises the real files by content", () => {
    expect(detectFormat(shared("hf-daily-papers/2026-05-01.json"), "2026-05-01.json")).toBe("hf-daily-json");
    expect(detectFormat(shared("arxiv-kaggle/arxiv-metadata-oai-snapshot.sample.jsonl"), "x.jsonl")).toBe("arxiv-jsonl");
    expect(detectFormat(shared("hf-papers-search-page.txt"), "page.txt")).toBe("hf-search-page");
  });

  it("ignores the extension: the Kaggle dump is JSON Lines named .json", () => {
    expect(detectFormat('{"id":"0704.0001"}\n{"id":"0704.0002"}\n', "arxiv-metadata-oai-snapshot.json")).toBe(
      "arxiv-jsonl",
    );
  });

  it("recognises the search page without its header lines", () => {
    const page = "A Title\nA much longer abstract line about the paper.\nSecond Title\nAnother long abstract line here.\n";
    expect(detectFormat(page, "page.txt")).toBe("hf-search-page");
  });

  it("tells arXiv Atom from OAI-PMH", () => {
    const atom = "<?xml version='1.0' encoding='UTF-8'?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">";
    const oai = '<?xml version="1.0" encoding="UTF-8"?>\n<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">';
    expect(detectFormat(atom, "a.xml")).toBe("arxiv-atom");
    expect(detectFormat(oai, "b.xml")).toBe("arxiv-oai");
    expect(detectFormat("<?xml version='1.0'?><rss>", "c.xml")).toEqual({ error: expect.stringContaining("XML") });
  });

  it("names what is wrong with files that are not paper data", () => {
    expect(detectFormat("", "a.json")).toEqual({ error: "empty file" });
    expect(detectFormat(" \n\t\n", "a.json")).toEqual({ error: "empty file" });
    expect(detectFormat("\uFEFF", "a.json")).toEqual({ error: "empty file" });
    expect(detectFormat("<!DOCTYPE html>\n<html><body>502 Bad Gateway</body></html>", "a.json")).toEqual({
      error: "an HTML page, not paper data (was an error page saved as .json?)",
    });
    expect(detectFormat("\u001f\uFFFD\b\u0000\u0000", "a.json.gz")).toEqual({
      error: "gzip-compressed data: decompress a.json.gz first",
    });
    expect(detectFormat("abc\u0000def", "a.bin")).toEqual({ error: "binary data, not paper text" });
    expect(detectFormat('{\n  "papers": []\n}', "a.json")).toEqual({ error: expect.stringContaining("single JSON object") });
    expect(detectFormat("id,title,abstract\n1,a,b\n", "a.csv")).toEqual({ error: expect.stringContaining("plain text") });
  });

  it("strips a byte-order mark before looking", () => {
    expect(detectFormat('\uFEFF[{"paper":{}}]', "a.json")).toBe("hf-daily-json");
  });
});
