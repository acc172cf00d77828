import { describe, expect, it } from "vitest";
import { fallbackMatch } from "@/lib/search/postgres-search";
import { looseTsquery } from "@/lib/search/store";

describe("fallbackMatch", () => {
  it("takes an arXiv id (versioned, prefixed or a link) as that paper, nothing as every paper, anything else as words", () => {
    expect(fallbackMatch("2506.01234v2")).toEqual({ paperId: "2506.01234" });
    expect(fallbackMatch("arXiv:hep-th/9901001")).toEqual({ paperId: "hep-th/9901001" });
    expect(fallbackMatch("https://arxiv.org/abs/2506.01234")).toEqual({ paperId: "2506.01234" });
    expect(fallbackMatch("  ")).toEqual({ everything: true });
    expect(fallbackMatch("graph neural networks")).toEqual({ words: "graph neural networks" });
  });
});

describe("looseTsquery", () => {
  it("is null when fewer than 3 words would be left, where it would match too much", () => {
    expect(looseTsquery([], 1)).toBeNull();
    expect(looseTsquery(["graph", "neural"], 1)).toBeNull();
    expect(looseTsquery(["graph", "neural", "network", "learn", "model"], 2)).toBeNull();
  });

  it("lets any one word be missing, longest words first", () => {
    expect(looseTsquery(["graph", "neural", "network"], 1)).toBe("('neural' & 'graph') | ('network' & 'graph') | ('network' & 'neural')");
  });

  it("lets two be missing from 6 words on, keeps the 8 longest, and leaves hyphenated compounds out", () => {
    const query = looseTsquery(["vision-language-act", "vision", "languag", "action", "model", "open", "larg", "motoinvla", "benchmark", "agent", "survey"], 2)!;
    expect(query).not.toContain("vision-language-act");
    const clauses = query.split(" | ");
    expect(clauses).toHaveLength(28); // 8 choose 2
    for (const clause of clauses) expect(clause.split(" & ")).toHaveLength(6);
    expect(query).not.toMatch(/'(open|larg)'/); // the shortest words are not among the 8 kept
  });

  it("quotes lexemes so that quotes and backslashes are taken as they are", () => {
    expect(looseTsquery(["o'neil", "back\\slash", "third"], 1)).toContain("'o''neil'");
    expect(looseTsquery(["o'neil", "back\\slash", "third"], 1)).toContain("'back\\\\slash'");
  });
});
