// The feeds' query parameters: a trending period and at most one arXiv category; anything else invalid is a 400.
import { z } from "zod";
import { CATEGORY_PATTERN, trendingQuerySchema } from "@/lib/papers/query-params";
import { parseQuery } from "@/lib/api/respond";
import type { Period } from "@/lib/papers/period";

export type FeedQuery = { period: Period; category: string | null };

export const feedQuerySchema = z.object({
  period: trendingQuerySchema.shape.period,
  category: z
    .array(z.string().max(50, "is longer than 50 characters").regex(CATEGORY_PATTERN, "expected an arXiv category such as cs.LG"))
    .max(1, "one category per feed")
    .transform((categories) => categories[0] ?? null),
});

/** Empty values count as absent, as on the search page; a repeated category is refused rather than half-used. */
export function parseFeedQuery(params: URLSearchParams): FeedQuery {
  return parseQuery(feedQuerySchema, {
    period: params.get("period") || undefined,
    category: params.getAll("category").filter(Boolean),
  });
}
