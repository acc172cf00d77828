// Maps one Hugging Face daily-papers item ({ paper: {...}, ... }) to a paper candidate.
import { normalizeArxivId } from "@/lib/papers/identity";
import { candidate, LISTED_RANK, type ParseEvent } from "../paper";
import { collapse, isObject, text, toInstant, type Json } from "./fields";


/**
 * Fields drift from day to day (authors as objects or strings, githubStars missing, null or a string,
 * ai_keywords missing or with empty strings), so every optional field is read leniently and an
 * unusable optional value becomes null instead of costing the whole paper.
 */
export function mapDailyItem(item: unknown, location: string): ParseEvent {
  if (typeof item === "string") {
    const hint = item.trimStart().startsWith("{'") ? " (it looks like a Python dict printed as text)" : "";
    return { kind: "reject", location, reason: `item is a string, not a JSON object${hint}` };
  }
  if (!isObject(item)) return { kind: "reject", location, reason: `item is ${describe(item)}, not a JSON object` };
  const paper = item.paper;
  if (!isObject(paper)) return { kind: "reject", location, reason: "item has no `paper` object" };

  const rawId = text(paper.id);
  if (!rawId) return { kind: "reject", location, reason: "missing paper.id" };
  const title = collapse(text(paper.title) ?? text(item.title) ?? "");
  if (!title) return { kind: "reject", location, reason: "missing paper.title" };

  const publishedAt = toInstant(paper.publishedAt);
  if (publishedAt === "invalid") {
    return { kind: "reject", location, reason: `paper.publishedAt is not a date: ${JSON.stringify(paper.publishedAt)}` };
  }

  return {
    kind: "record",
    location,
    candidate: candidate({
      // An id we cannot normalize is passed through so validation names it.
      id: normalizeArxivId(rawId) ?? rawId,
      title,
      abstract: collapse(text(paper.summary) ?? text(item.summary) ?? ""),
      authors: authorNames(paper.authors),
      publishedAt,
      listedAt: featuredDay(item, paper),
      listedRank: LISTED_RANK.featured,
      sourceUpvotes: count(paper.upvotes),
      githubRepo: httpUrl(paper.githubRepo),
      githubStars: count(paper.githubStars),
      projectPage: httpUrl(paper.projectPage),
      keywords: keywords(paper.ai_keywords),
      source: "hf-daily",
      externalId: rawId,
    }),
  };
}

/**
 * The day the paper was featured. In the real responses `paper.submittedOnDailyAt` falls on the
 * requested `?date=` for every item, while the item's own `publishedAt` is the arXiv submission time
 * (a day or more earlier, sometimes months), so submittedOnDailyAt wins and publishedAt is the fallback.
 */
function featuredDay(item: Json, paper: Json): string | null {
  for (const value of [paper.submittedOnDailyAt, item.publishedAt]) {
    const instant = toInstant(value);
    if (instant && instant !== "invalid") return instant.slice(0, 10);
  }
  return null;
}

function authorNames(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const names: string[] = [];
  for (const author of value) {
    const name = collapse(typeof author === "string" ? author : isObject(author) ? (text(author.name) ?? "") : "");
    if (name) names.push(name);
  }
  return names;
}

function keywords(value: unknown): string[] | null {
  if (!Array.isArray(value)) return null;
  const words = value.map((word) => (typeof word === "string" ? collapse(word) : ""));
  // Real items carry empty keywords (""); dropping them keeps the rest of the record valid.
  return [...new Set(words.filter((word) => word.length > 0 && word.length <= 200))].slice(0, 200);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}

/** Upvotes and stars: a non-negative integer, also from a numeric string such as "1234". */
function count(value: unknown): number | null {
  const number = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof number === "number" && Number.isInteger(number) && number >= 0 ? number : null;
}

function httpUrl(value: unknown): string | null {
  const candidateUrl = text(value)?.trim();
  if (!candidateUrl || !URL.canParse(candidateUrl)) return null;
  const { protocol } = new URL(candidateUrl);
  return protocol === "http:" || protocol === "https:" ? candidateUrl : null;
}
