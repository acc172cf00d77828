// GET /api/papers: a trending window, cursor-paginated (see the README's JSON API).
import type { NextRequest } from "next/server";
import { cachedJson, preflight, publicGet } from "@/lib/api/public";
import { ApiError, parseQuery } from "@/lib/api/respond";
import { trendingQuerySchema } from "@/lib/papers/query-params";
import { env } from "@/lib/env";
import { InvalidCursorError, listTrending } from "@/lib/papers/trending";

export const dynamic = "force-dynamic";

export async function GET(request: NextRequest) {
  return publicGet(request, async () => {
    const query = parseQuery(trendingQuerySchema, request.nextUrl.searchParams);
    const page = await listTrending({ ...query, limit: query.limit ?? env.TRENDING_PAGE_SIZE }).catch((error: unknown) => {
      if (error instanceof InvalidCursorError) throw new ApiError(400, "invalid_request", `cursor: ${error.message}`);
      throw error;
    });
    const items = page.items.map((item) => ({ ...item, score: Number(item.score.toFixed(4)) }));
    return cachedJson(request, { ...page, items }, "public, max-age=60, stale-while-revalidate=300");
  });
}

export const OPTIONS = preflight;
