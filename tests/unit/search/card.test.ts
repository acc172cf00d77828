import { describe, expect, it } from "vitest";
import { toRuns, toSearchCard, toSearchCards } from "@/lib/search/card";
import type { PaperHit } from "@/lib/search/types";

const plain = (text: string) => ({ text, highlight: false });
const match = (text: string) => ({ text, highlight: true });

describe("highlight runs", () => {
  it("alternate plain and matched text, starting with plain", () => {
    expect(toRuns([plain("Deep "), match("transformers"), plain(" for "), match("graphs")])).toEqual(["Deep ", "transformers", " for ", "graphs"]);
  });

  it("start with an empty plain run when the text starts with a match", () => {
    expect(toRuns([match("Diffusion"), plain(" models")])).toEqual(["", "Diffusion", " models"]);
  });

  it("join neighbours of the same kind, so parity always says which runs matched", () => {
    expect(toRuns([plain("a"), plain("b"), match("c"), match("d"), plain("e")])).toEqual(["ab", "cd", "e"]);
  });

  it("keep every character in order", () => {
    const segments = [match("x"), plain(" <script>"), match("y"), plain("")];
    expect(toRuns(segments).join("")).toBe(segments.map((segment) => segment.text).join(""));
  });

  it("are one empty run for no text", () => {
    expect(toRuns([])).toEqual([""]);
  });
});

const hit: PaperHit = {
  id: "2506.01234",
  title: "Graph transformers",
  abstract: "We study graph transformers at length.",
  authors: ["A", "B", "C", "D", "E", "F", "G"],
  categories: ["cs.LG", "cs.AI", "stat.ML", "cs.CV"],
  publishedAt: "2025-06-01T00:00:00.000Z",
  listedAt: "2025-06-02",
  votes: 3,
  githubRepo: "https://github.com/a/b",
  githubStars: 10,
  projectPage: null,
  url: "http://localhost:3000/papers/2506.01234",
  arxivUrl: "https://arxiv.org/abs/2506.01234",
  highlights: { title: [plain("Graph "), match("transformers")], abstract: [plain("We study graph "), match("transformers"), plain(" at length.")] },
};

describe("search cards", () => {
  it("carry what a card shows: runs, four authors and a count, three categories, links", () => {
    expect(toSearchCard(hit)).toEqual({
      id: "2506.01234",
      title: ["Graph ", "transformers"],
      excerpt: ["We study graph ", "transformers", " at length."],
      authors: ["A", "B", "C", "D"],
      moreAuthors: 3,
      categories: ["cs.LG", "cs.AI", "stat.ML"],
      votes: 3,
      listedAt: "2025-06-02",
      githubRepo: "https://github.com/a/b",
      githubStars: 10,
      projectPage: null,
      arxivUrl: "https://arxiv.org/abs/2506.01234",
    });
  });

  it("leave out the plain title, abstract, URL and publication time the runs and id make redundant", () => {
    const card = toSearchCard(hit) as Record<string, unknown>;
    for (const key of ["abstract", "url", "publishedAt", "highlights"]) expect(card).not.toHaveProperty(key);
  });

  it("carry their formulas as MathML only when the title or excerpt has one", () => {
    expect(toSearchCard(hit)).not.toHaveProperty("titleMath");
    expect(toSearchCard(hit)).not.toHaveProperty("excerptMath");
    const card = toSearchCard({ ...hit, highlights: { title: [plain("Graph "), match("transformers"), plain(" in $O(n)$")], abstract: hit.highlights.abstract } });
    expect(card.titleMath?.map((part) => ("text" in part ? part.text : "math"))).toEqual(["Graph ", "transformers", " in ", "math"]);
    expect(card.titleMath?.[3]).toMatchObject({ marked: false, html: expect.stringContaining("<math") });
    expect(card).not.toHaveProperty("excerptMath");
  });

  it("keep a page's total, offset, limit and degraded flag", () => {
    const cards = toSearchCards({ items: [hit], total: 41, offset: 20, limit: 20, degraded: true, tookMs: 5 });
    expect(cards).toMatchObject({ total: 41, offset: 20, limit: 20, degraded: true });
    expect(cards.items).toHaveLength(1);
    expect(cards).not.toHaveProperty("tookMs");
  });
});
