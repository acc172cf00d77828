import { describe, expect, it } from "vitest";
import { buildFilter } from "@/lib/search/meilisearch";
import { readSearchQuery, writeSearchQuery } from "@/lib/search/query-url";

describe("search page URLs", () => {
  it("read and write the same query", () => {
    const params = new URLSearchParams("q=graph+neural&category=cs.LG&category=stat.ML&from=2026-06-01&to=2026-06-30&hasCode=true&sort=newest&offset=20");
    const { query, ignored } = readSearchQuery(params);
    expect(ignored).toEqual([]);
    expect(query).toEqual({
      q: "graph neural", categories: ["cs.LG", "stat.ML"], from: "2026-06-01", to: "2026-06-30", hasCode: true, sort: "newest", limit: 20, offset: 20,
    });
    expect(readSearchQuery(writeSearchQuery(query)).query).toEqual(query);
  });

  it("drops invalid parameters and keeps the rest", () => {
    const { query, ignored } = readSearchQuery(new URLSearchParams("q=attention&sort=sideways&from=2026-02-30&limit=5"));
    expect(ignored.sort()).toEqual(["from", "sort"]);
    expect(query).toMatchObject({ q: "attention", sort: "relevance", limit: 5 });
  });

  it("leaves defaults out of links", () => {
    expect(writeSearchQuery({ q: "x", sort: "relevance", offset: 0 }).toString()).toBe("q=x");
  });
});

describe("Meilisearch filters", () => {
  it("quote values, so a category cannot inject filter syntax", () => {
    expect(buildFilter({ q: "", sort: "relevance", limit: 1, offset: 0, categories: ['cs.LG" OR hasCode = true OR "'] })).toEqual([
      'categories IN ["cs.LG\\" OR hasCode = true OR \\""]',
    ]);
  });

  it("turn listing days into inclusive timestamp ranges", () => {
    expect(buildFilter({ q: "", sort: "relevance", limit: 1, offset: 0, from: "2026-06-01", to: "2026-06-02", hasCode: false })).toEqual([
      `listedAt >= ${Date.UTC(2026, 5, 1) / 1000}`,
      `listedAt <= ${Date.UTC(2026, 5, 2) / 1000}`,
      "hasCode = false",
    ]);
  });
});
