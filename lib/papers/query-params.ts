// Query parameter schemas of the papers: trending windows and searches, as the JSON API, the search page and the feeds read them.
import { z } from "zod";
import { isValidDay } from "@/lib/time";
import { PERIODS } from "@/lib/papers/period";

export const daySchema = z.string().refine(isValidDay, "expected a calendar date as YYYY-MM-DD");

export const trendingQuerySchema = z.object({
  period: z.enum(Object.keys(PERIODS) as [keyof typeof PERIODS]).default("day"),
  date: daySchema.optional(),
  // Optional: the route applies TRENDING_PAGE_SIZE (this module also runs in the browser, without env).
  limit: z.coerce.number({ error: "expected a whole number" }).int("expected a whole number").min(1).max(100).optional(),
  cursor: z.string().max(200).optional(),
});

/** An arXiv category such as cs.LG, hep-th or math.AG. */
export const CATEGORY_PATTERN = /^[A-Za-z][A-Za-z-]*(\.[A-Za-z][A-Za-z-]*)?$/;
// Control characters (including CR/LF and NUL) are never part of a real query.
const CONTROL = /[\u0000-\u0008\u000A-\u001F\u007F]/;

export const searchQuerySchema = z
  .object({
    q: z
      .string()
      .max(500, "is longer than 500 characters")
      .refine((value) => !CONTROL.test(value), "contains control characters")
      .transform((value) => value.replace(/\s+/g, " ").trim())
      .default(""),
    category: z.array(z.string().regex(CATEGORY_PATTERN, "expected arXiv categories such as cs.LG")).max(10, "at most 10 categories").default([]),
    from: daySchema.optional(),
    to: daySchema.optional(),
    hasCode: z.enum(["true", "false"], { error: "expected true or false" }).transform((value) => value === "true").optional(),
    sort: z.enum(["relevance", "newest", "votes"], { error: "expected relevance, newest or votes" }).default("relevance"),
    limit: z.coerce.number({ error: "expected a whole number" }).int("expected a whole number").min(1).max(50).default(20),
    offset: z.coerce.number({ error: "expected a whole number" }).int("expected a whole number").min(0).max(980).default(0),
    /** `cards`: the search page's compact cards (lib/search/card.ts) instead of the full results. */
    view: z.enum(["cards"], { error: "expected cards" }).optional(),
  })
  .refine((query) => !query.from || !query.to || query.from <= query.to, { message: "from is after to", path: ["from"] });

/** URL parameters to the object the schema reads: `category` may repeat or hold a comma-separated list. */
export function searchParamsObject(params: URLSearchParams): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const [key, value] of params) {
    if (key === "category") continue;
    if (value !== "") object[key] = value;
  }
  object.category = params.getAll("category").flatMap((value) => value.split(",")).map((value) => value.trim()).filter(Boolean);
  return object;
}
