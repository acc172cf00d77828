import { describe, expect, it } from "vitest";
import { paperIdFromSegments } from "@/lib/papers/paper-id";
import { paperPath } from "@/lib/papers/present";
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

describe("trending cursors", () => {
  it("round-trip an offset", () => {
    expect(decodeCursor(encodeCursor(60))).toBe(60);
  });

  it("reject anything else", () => {
    expect(() => decodeCursor("bm9wZQ")).toThrow(InvalidCursorError);
  });
});
