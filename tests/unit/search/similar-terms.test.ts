import { describe, expect, it } from "vitest";
import { chooseSimilarTerms, MAX_SIMILAR_TERMS, sharesTerm } from "@/lib/search/similar-terms";

const attention = {
  title: "Dynamic Linear Attention for Long Sequences",
  abstract:
    "We propose a novel method that makes linear attention dynamic. Standard attention is quadratic in the sequence " +
    "length; linear attention is cheap but forgets. Our attention merges states by token importance, and the results " +
    "show that the proposed approach outperforms existing methods on many benchmarks.",
  keywords: [],
};

describe("chooseSimilarTerms", () => {
  it("leads with the paper's subject: title words repeated in the abstract", () => {
    const terms = chooseSimilarTerms(attention);
    expect(terms[0]).toBe("attention");
    expect(terms.slice(0, 3)).toEqual(expect.arrayContaining(["linear", "dynamic"]));
  });

  it("drops stop words and the boilerplate every abstract uses", () => {
    const terms = chooseSimilarTerms(attention);
    for (const common of ["for", "the", "that", "propose", "novel", "method", "methods", "results", "show", "outperforms", "existing", "benchmarks", "approach"]) {
      expect(terms).not.toContain(common);
    }
    expect(terms.every((term) => term.length >= 3)).toBe(true);
  });

  it("keeps at most ten words (all Meilisearch reads of a query), or fewer when asked", () => {
    const long = {
      title: "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar",
      abstract: "papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu",
      keywords: [],
    };
    expect(MAX_SIMILAR_TERMS).toBe(10);
    expect(chooseSimilarTerms(long)).toHaveLength(10);
    expect(chooseSimilarTerms(long, 3)).toEqual(["alpha", "bravo", "charlie"]);
    expect(chooseSimilarTerms(long, 0)).toEqual([]);
  });

  it("ranks title above keywords above a single use in the abstract, ties in order of first use", () => {
    const terms = chooseSimilarTerms({ title: "Graph Kernels", abstract: "Spectral wavelets appear once.", keywords: ["message passing"] });
    expect(terms).toEqual(["graph", "kernels", "message", "passing", "spectral", "wavelets", "appear"]);
  });

  it("counts keyword words, so a word shared by several keywords moves up", () => {
    const withKeywords = chooseSimilarTerms({
      title: "Efficient Serving of Chatbots",
      abstract: "Serving chatbots at scale.",
      keywords: ["KV cache", "cache eviction", "paged cache"],
    });
    expect(withKeywords[0]).toBe("cache");
    expect(chooseSimilarTerms({ title: "Efficient Serving of Chatbots", abstract: "Serving chatbots at scale.", keywords: [] })).not.toContain("cache");
  });

  it("treats case and a plural as one word, given as first written", () => {
    const terms = chooseSimilarTerms({ title: "Transformers for Proteins", abstract: "A transformer reads each protein; transformers scale.", keywords: [] });
    expect(terms.filter((term) => /^transformer/.test(term))).toEqual(["transformers"]);
    expect(terms.filter((term) => /^protein/.test(term))).toEqual(["proteins"]);
    expect(terms[0]).toBe("transformers");
  });

  it("does not fold words that only look plural", () => {
    const terms = chooseSimilarTerms({ title: "Gaussian process analysis of corpus", abstract: "", keywords: [] });
    expect(terms).toEqual(["gaussian", "process", "analysis", "corpus"]);
  });

  it("ignores math, LaTeX commands, links and numbers", () => {
    const terms = chooseSimilarTerms({
      title: "Sparse $\\mathcal{O}(n \\log n)$ Routing in \\textbf{Mixtures}",
      abstract: "Code: https://github.com/example/sparserouting 2026 experts 123",
      keywords: [],
    });
    expect(terms).toEqual(["sparse", "routing", "mixtures", "experts"]);
    expect(terms.join(" ")).not.toMatch(/mathcal|log|textbf|example|sparserouting|\d/);
  });

  it("keeps words in other scripts and accents", () => {
    expect(chooseSimilarTerms({ title: "Modèles de diffusion für Bildsynthese", abstract: "", keywords: [] })).toEqual(["modèles", "diffusion", "für", "bildsynthese"]);
  });

  it("finds nothing in a paper made only of common words", () => {
    expect(chooseSimilarTerms({ title: "A new method", abstract: "We propose and show results.", keywords: [] })).toEqual([]);
    expect(chooseSimilarTerms({ title: "", abstract: "", keywords: [] })).toEqual([]);
  });
});

describe("sharesTerm", () => {
  const terms = ["flavor", "quark", "transformer", "models"];

  it("accepts a marked word that is a term, in any case, singular or plural, or a longer form", () => {
    expect(sharesTerm(["Quark"], terms)).toBe(true);
    expect(sharesTerm(["quarks"], terms)).toBe(true);
    expect(sharesTerm(["Transformers"], terms)).toBe(true);
    expect(sharesTerm(["model"], terms)).toBe(true);
    expect(sharesTerm(["flavored"], terms)).toBe(true);
  });

  it("rejects words that are only typos of a term, and hits with no marked words", () => {
    expect(sharesTerm(["favor"], terms)).toBe(false);
    expect(sharesTerm(["quart", "transfomer"], terms)).toBe(false);
    expect(sharesTerm([], terms)).toBe(false);
    expect(sharesTerm(["quark"], [])).toBe(false);
  });
});
