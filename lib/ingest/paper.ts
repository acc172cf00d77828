// The one normalized paper record every parser produces and the upsert consumes.
import { z } from "zod";
import { isPaperId } from "@/lib/papers/identity";
import { SOURCES } from "@/lib/papers/sources";

/**
 * How much a source's listing date says about when a paper was "listed" (announced or featured).
 * A higher rank replaces a lower one on merge: a Hugging Face featured day beats an arXiv date,
 * which beats a date stamped at ingest.
 */
export const LISTED_RANK = { stamped: 0, arxiv: 1, featured: 2 } as const;

export const MAX_TITLE_CHARS = 1_000;
export const MAX_ABSTRACT_CHARS = 20_000;
export const MAX_AUTHORS = 10_000;

// Calendar-checked, and never year 0 (Postgres has none), so every accepted value is one Postgres stores.
const notYearZero = (value: string) => !value.startsWith("0000");
const isoDay = z.iso.date("expected a YYYY-MM-DD day").refine(notYearZero, "year 0 is not a date");
const isoInstant = z.iso.datetime({ offset: true }).refine(notYearZero, "year 0 is not a date");
const noMarkupTitle = z
  .string()
  .trim()
  .min(1, "title is empty")
  .max(MAX_TITLE_CHARS, `title is longer than ${MAX_TITLE_CHARS} characters`);

// Postgres integer columns hold at most this.
const MAX_INT4 = 2_147_483_647;

/** Postgres text cannot hold U+0000: a record carrying one is refused here, not by the statement that writes its batch. */
function refuseNul(record: Record<string, unknown>, context: z.core.$RefinementCtx): void {
  for (const [field, value] of Object.entries(record)) {
    const texts = typeof value === "string" ? [value] : Array.isArray(value) ? value : [];
    if (texts.some((text) => typeof text === "string" && text.includes("\0"))) {
      context.addIssue({ code: "custom", path: [field], message: "contains a NUL character (U+0000), which Postgres text cannot store" });
    }
  }
}

export const paperRecordSchema = z.object({
  id: z.string().refine(isPaperId, "not an arXiv id (e.g. 2506.01234 or hep-th/9901001)"),
  title: noMarkupTitle,
  abstract: z.string().trim().max(MAX_ABSTRACT_CHARS, `abstract is longer than ${MAX_ABSTRACT_CHARS} characters`),
  authors: z.array(z.string().trim().min(1).max(1_000)).max(MAX_AUTHORS, `more than ${MAX_AUTHORS} authors`),
  /** null means "this source does not know", so a merge keeps what another source said. */
  categories: z.array(z.string().trim().min(1).max(100)).nullable(),
  publishedAt: isoInstant.nullable(),
  sourceUpdatedAt: isoInstant.nullable(),
  listedAt: isoDay.nullable(),
  listedRank: z.number().int().min(0).max(2),
  comment: z.string().max(10_000).nullable(),
  journalRef: z.string().max(2_000).nullable(),
  doi: z.string().max(500).nullable(),
  license: z.string().max(500).nullable(),
  githubRepo: z.url({ protocol: /^https?$/ }).max(2_000).nullable(),
  githubStars: z.number().int().min(0).max(MAX_INT4).nullable(),
  projectPage: z.url({ protocol: /^https?$/ }).max(2_000).nullable(),
  keywords: z.array(z.string().trim().min(1).max(200)).max(200).nullable(),
  sourceUpvotes: z.number().int().min(0).max(MAX_INT4).nullable(),
  source: z.enum(SOURCES),
  externalId: z.string().min(1).max(500),
}).superRefine(refuseNul);

export type PaperRecord = z.infer<typeof paperRecordSchema>;

/** What a parser hands over before validation: the same shape, unchecked. */
export type PaperCandidate = { [K in keyof PaperRecord]?: unknown };

/** Fills every field a parser left out with "unknown", so parsers only state what they know. */
export function candidate(fields: PaperCandidate): PaperCandidate {
  return {
    abstract: "",
    authors: [],
    categories: null,
    publishedAt: null,
    sourceUpdatedAt: null,
    listedAt: null,
    listedRank: LISTED_RANK.stamped,
    comment: null,
    journalRef: null,
    doi: null,
    license: null,
    githubRepo: null,
    githubStars: null,
    projectPage: null,
    keywords: null,
    sourceUpvotes: null,
    ...fields,
  };
}

/** One parser event: a candidate record, or a record (or whole input) that could not be read. */
export type ParseEvent =
  | { kind: "record"; location: string; candidate: PaperCandidate }
  | { kind: "reject"; location: string; reason: string }
  | { kind: "notice"; message: string };

/** Formats zod issues as "field: message; field: message". */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join(".") || "record"}: ${issue.message}`).join("; ");
}

/** The key two titles share when they name the same paper: whitespace collapsed, lower case. */
export function titleKey(title: string): string {
  return title.replace(/\s+/g, " ").trim().toLowerCase();
}
