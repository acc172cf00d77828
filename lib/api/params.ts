// Query parameter schemas shared by the JSON API routes.
import { z } from "zod";
import { isValidDay } from "@/lib/time";
import { PERIODS } from "@/lib/papers/period";

export const daySchema = z.string().refine(isValidDay, "expected a calendar date as YYYY-MM-DD");

export const trendingQuerySchema = z.object({
  period: z.enum(Object.keys(PERIODS) as [keyof typeof PERIODS]).default("day"),
  date: daySchema.optional(),
  limit: z.coerce.number({ error: "expected a whole number" }).int("expected a whole number").min(1).max(100).default(30),
  cursor: z.string().max(200).optional(),
});
