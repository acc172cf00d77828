import { describe, expect, it } from "vitest";
import { isArxivId, isPaperId, normalizeArxivId, paperIdFromSegments, paperPath } from "@/lib/papers/identity";
import { SOURCES, sourceLabel } from "@/lib/papers/sources";
import { decodeCursor, encodeCursor, InvalidCursorError } from "@/lib/papers/trending";

describe("paper ids in URLs", () => {
  it.each([
    [["2506.01234"], "2506.01234"],
    [["2506.01234v3"], "2506.01234"],
    [["hep-th", "9901001"], "hep-th/9901001"],
    [["hep-th%2F9901001"], "hep-th/9901001"],
    [["math.AG", "0601001v2"], "math.AG/0601001"],
    [["local-0123456789abcdef"], "local-0123456789abcdef"],
  ])("%j names %s", (segments, id) => {
    expect(paperIdFromSegments(segments)).toBe(id);
  });

  it.each([[["%zz"]], [["..", "etc", "passwd"]], [["2506.1"]], [["<script>"]]])("%j names no paper", (segments) => {
    expect(paperIdFromSegments(segments)).toBeNull();
  });

  it("keeps the slash of old-style ids in paths", () => {
    expect(paperPath("hep-th/9901001")).toBe("/papers/hep-th/9901001");
  });
});

describe("arXiv ids in text", () => {
  it.each([
    ["2506.01234", "2506.01234"],
    ["2506.01234v2", "2506.01234"],
    ["  arXiv:2506.01234  ", "2506.01234"],
    ["https://arxiv.org/abs/2506.01234v2", "2506.01234"],
    ["http://export.arxiv.org/pdf/2506.01234v1.pdf", "2506.01234"],
    ["https://www.arxiv.org/abs/hep-th/9901001", "hep-th/9901001"],
    ["math.AG/0601001v3", "math.AG/0601001"],
  ])("%j is %s", (raw, id) => {
    expect(normalizeArxivId(raw)).toBe(id);
  });

  it.each(["", "2506.1", "local-0123456789abcdef", "https://example.org/abs/2506.01234", "HEP-TH/9901001"])("%j is none", (raw) => {
    expect(normalizeArxivId(raw)).toBeNull();
  });

  it("tells arXiv ids from local ones; both are paper ids", () => {
    expect({ arxiv: isArxivId("2506.01234"), paper: isPaperId("2506.01234") }).toEqual({ arxiv: true, paper: true });
    expect({ arxiv: isArxivId("hep-th/9901001"), paper: isPaperId("hep-th/9901001") }).toEqual({ arxiv: true, paper: true });
    expect({ arxiv: isArxivId("local-0123456789abcdef"), paper: isPaperId("local-0123456789abcdef") }).toEqual({ arxiv: false, paper: true });
    expect({ arxiv: isArxivId("2506.01234v2"), paper: isPaperId("2506.01234v2") }).toEqual({ arxiv: false, paper: false });
  });
});

describe("source names", () => {
  it("has a label for every source, and shows an unknown name as it is", () => {
    for (const source of SOURCES) expect(sourceLabel(source)).not.toBe(source);
    expect(sourceLabel("hf-daily")).toBe("Hugging Face daily papers");
    expect(sourceLabel("some-old-source")).toBe("some-old-source");
  });
});

describe("trending cursors", () => {
  it("round-trip an offset", () => {
    expect(decodeCursor(encodeCursor(60))).toBe(60);
  });

  it("reject anything else", () => {
    expect(() => decodeCursor("bm9wZQ")).toThrow(InvalidCursorError);
  });
});
