// Papers and sources for the feed unit tests: fixed UTC dates, one paper with hostile text.
import type { FeedSource } from "@/lib/feeds/feed";
import type { PaperSummary } from "@/lib/papers/types";

export const SITE = "https://papers.example.org";

export function paper(overrides: Partial<PaperSummary> = {}): PaperSummary {
  return {
    id: "2606.14777",
    title: "A plain title",
    abstract: "A plain abstract.",
    authors: ["Ada Lovelace", "Alan Turing"],
    categories: ["cs.LG", "cs.CL"],
    publishedAt: "2026-06-12T17:59:59.000Z",
    listedAt: "2026-06-16",
    votes: 12,
    githubRepo: null,
    githubStars: null,
    projectPage: null,
    url: "http://wrong-host.invalid/papers/2606.14777",
    arxivUrl: "https://arxiv.org/abs/2606.14777",
    ...overrides,
  };
}

export const HOSTILE_TITLE = "<script>alert('t')</script> Fast & Slow ]]> \u0000Thinking\u0007";
export const HOSTILE_ABSTRACT = 'We show <b>bold</b> & <script>alert("a")</script>; ]]> ends CDATA.\u0001\u000B\uFFFE\nSecond line: x<y.';

export function source(overrides: Partial<FeedSource> = {}): FeedSource {
  return { period: "day", category: null, date: "2026-06-16", from: "2026-06-16", papers: [paper()], ...overrides };
}
