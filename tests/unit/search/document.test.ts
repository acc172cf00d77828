import { describe, expect, it } from "vitest";
import { decodeDocumentId, encodeDocumentId, toSearchDocument, toSegments } from "@/lib/search/document";

describe("search document ids", () => {
  it.each(["2506.01234", "hep-th/9901001", "math.AG/0601001", "cond-mat/9907001", "local-0123456789abcdef", "a_b", "x__y._s"])(
    "%s round-trips and uses only the characters Meilisearch allows",
    (id) => {
      const encoded = encodeDocumentId(id);
      expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeDocumentId(encoded)).toBe(id);
    },
  );

  it("never maps two ids to the same document id", () => {
    const ids = ["a.b", "a_db", "a/b", "a_sb", "a_b", "a__b"];
    expect(new Set(ids.map(encodeDocumentId)).size).toBe(ids.length);
  });

  it("encodes characters outside the arXiv alphabet too", () => {
    expect(decodeDocumentId(encodeDocumentId("ü:😀"))).toBe("ü:😀");
  });
});

describe("highlight segments", () => {
  it("splits marked text into plain and highlighted runs", () => {
    expect(toSegments("Deep \uE000transformers\uE001 for \uE000graphs\uE001")).toEqual([
      { text: "Deep ", highlight: false },
      { text: "transformers", highlight: true },
      { text: " for ", highlight: false },
      { text: "graphs", highlight: true },
    ]);
  });

  it("widens a highlight to the whole word", () => {
    expect(toSegments("Vision \uE000Transforme\uE001rs (ViT)")).toEqual([
      { text: "Vision ", highlight: false },
      { text: "Transformers", highlight: true },
      { text: " (ViT)", highlight: false },
    ]);
    expect(toSegments("\uE000graph\uE001")).toEqual([{ text: "graph", highlight: true }]);
  });

  it("widens to the left and right, over accented letters, digits and letters outside the BMP", () => {
    expect(toSegments("the Schr\uE000ödinger\uE001's equation")).toEqual([
      { text: "the ", highlight: false },
      { text: "Schrödinger", highlight: true },
      { text: "'s equation", highlight: false },
    ]);
    expect(toSegments("GPT\uE0004o\uE001-mini and 𝒜lg\uE000ebra\uE001𝒳 x")).toEqual([
      { text: "GPT4o", highlight: true },
      { text: "-mini and ", highlight: false },
      { text: "𝒜lgebra𝒳", highlight: true },
      { text: " x", highlight: false },
    ]);
    // A highlight between two others gains nothing from its highlighted neighbours.
    expect(toSegments("\uE000a\uE001 \uE000b\uE001")).toEqual([
      { text: "a", highlight: true },
      { text: " ", highlight: false },
      { text: "b", highlight: true },
    ]);
  });

  it("keeps markup as text: only the private markers make highlights", () => {
    expect(toSegments("<em>x</em> <script>\uE000y\uE001")).toEqual([
      { text: "<em>x</em> <script>", highlight: false },
      { text: "y", highlight: true },
    ]);
  });

  it("strips markers that arrive inside a paper's own text, so they cannot forge a highlight", () => {
    const document = toSearchDocument({
      paperId: "2506.01234", title: "A \uE000forged\uE001 title", abstract: "x", authors: [], categories: [], listedDay: "2026-06-16",
      publishedAt: null, votes: 0, githubRepo: null, githubStars: null, projectPage: null, checksum: "c",
    });
    expect(document.title).toBe("A forged title");
    expect(document.listedAt).toBe(Date.UTC(2026, 5, 16) / 1000);
    expect(document.id).toBe("2506_d01234");
  });
});
