// Pure parts of the live sources: Retry-After, which days to fetch, and what `npm run ingest` accepts.
import { describe, expect, it } from "vitest";
import { parseRetryAfter } from "@/lib/harvest/fetch";
import { daysToFetch } from "@/lib/harvest/hf-daily";
import { readRemoteInput } from "@/lib/harvest/inputs";

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-11-27T12:00:00Z");
  it("reads seconds and HTTP dates", () => {
    expect(parseRetryAfter("120", now)).toBe(120_000);
    expect(parseRetryAfter("Fri, 27 Nov 2026 12:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Fri, 27 Nov 2026 11:00:00 GMT", now)).toBe(0);
  });
  it("ignores what it cannot read", () => {
    expect(parseRetryAfter(null, now)).toBeNull();
    expect(parseRetryAfter("", now)).toBeNull();
    expect(parseRetryAfter("soon", now)).toBeNull();
    expect(parseRetryAfter("-5", now)).toBeNull();
  });
});

describe("daysToFetch", () => {
  it("backfills on the first run", () => {
    expect(daysToFetch("2026-05-08", [], 3, 1)).toEqual(["2026-05-05", "2026-05-06", "2026-05-07", "2026-05-08"]);
  });
  it("fetches the days since the newest fetched one and refreshes the recent ones", () => {
    expect(daysToFetch("2026-05-10", ["2026-05-06", "2026-05-07"], 3, 1)).toEqual(["2026-05-08", "2026-05-09", "2026-05-10"]);
    expect(daysToFetch("2026-05-10", ["2026-05-08", "2026-05-09", "2026-05-10"], 3, 2)).toEqual(["2026-05-08", "2026-05-09", "2026-05-10"]);
    expect(daysToFetch("2026-05-10", ["2026-05-08", "2026-05-09", "2026-05-10"], 3, 0)).toEqual(["2026-05-10"]);
  });
  it("fills a gap left by a failed day inside the refresh window only", () => {
    expect(daysToFetch("2026-05-10", ["2026-05-05", "2026-05-07", "2026-05-10"], 3, 3)).toEqual(["2026-05-07", "2026-05-08", "2026-05-09", "2026-05-10"]);
  });
  it("catches up at most 60 days after a long pause", () => {
    const days = daysToFetch("2026-05-10", ["2025-01-01"], 3, 1);
    expect(days[0]).toBe("2026-03-11");
    expect(days.at(-1)).toBe("2026-05-10");
    expect(days).toHaveLength(61);
  });
});

describe("readRemoteInput", () => {
  it("reads arXiv ids and links", () => {
    expect(readRemoteInput("arxiv:2506.01234")).toEqual({ kind: "arxiv-id", id: "2506.01234" });
    expect(readRemoteInput("arXiv:hep-th/9901001v2")).toEqual({ kind: "arxiv-id", id: "hep-th/9901001" });
    expect(readRemoteInput("https://arxiv.org/abs/2506.01234v3")).toEqual({ kind: "arxiv-id", id: "2506.01234" });
    expect(readRemoteInput("https://arxiv.org/pdf/2506.01234")).toEqual({ kind: "arxiv-id", id: "2506.01234" });
    expect(readRemoteInput("https://huggingface.co/papers/2506.01234")).toEqual({ kind: "arxiv-id", id: "2506.01234" });
  });
  it("reads source URLs", () => {
    expect(readRemoteInput("https://export.arxiv.org/api/query?search_query=all:llm&max_results=50")).toMatchObject({ kind: "arxiv-query" });
    expect(readRemoteInput("https://oaipmh.arxiv.org/oai?verb=ListRecords&metadataPrefix=arXiv&set=cs&from=2026-11-01")).toMatchObject({ kind: "oai" });
    expect(readRemoteInput("https://huggingface.co/api/daily_papers?date=2026-11-26")).toEqual({ kind: "hf-day", baseUrl: "https://huggingface.co/api/daily_papers", day: "2026-11-26" });
  });
  it("leaves file paths alone", () => {
    expect(readRemoteInput("data/sample")).toBeNull();
    expect(readRemoteInput("./arxiv:file.json")).toBeNull();
  });
  it("explains what it cannot read", () => {
    expect(readRemoteInput("arxiv:abc")).toEqual({ error: expect.stringMatching(/not an arXiv id/) });
    expect(readRemoteInput("https://oaipmh.arxiv.org/oai?verb=Identify")).toEqual({ error: expect.stringMatching(/Identify holds no papers/) });
    expect(readRemoteInput("https://huggingface.co/api/daily_papers?date=2026-02-30")).toEqual({ error: expect.stringMatching(/date=YYYY-MM-DD/) });
    expect(readRemoteInput("https://example.com/papers.json")).toEqual({ error: expect.stringMatching(/not a URL we can read/) });
  });
});
