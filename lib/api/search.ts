// GET /api/search: full-text search of the abstracts (Meilisearch, or Postgres when it is away).
// One handler for both ways a request reaches it: Next's route (app/api/search/route.ts) and the
// web server's direct route (lib/http/direct-routes.ts), which spares the hottest uncached
// endpoint Next's own per-request work.
import { NextResponse, type NextRequest } from "next/server";
import { publicGet } from "@/lib/api/public";
import { parseQuery } from "@/lib/api/respond";
import { searchParamsObject, searchQuerySchema } from "@/lib/papers/query-params";
import { searchPapers } from "@/lib/search";
import { toSearchCards } from "@/lib/search/card";
import { nextSearchOffset } from "@/lib/search/query-url";

export async function searchGet(request: NextRequest): Promise<NextResponse> {
  return publicGet(request, async () => {
    const query = parseQuery(searchQuerySchema, searchParamsObject(request.nextUrl.searchParams));
    const result = await searchPapers({
      q: query.q,
      categories: query.category,
      from: query.from,
      to: query.to,
      hasCode: query.hasCode,
      sort: query.sort,
      limit: query.limit,
      offset: query.offset,
    });
    return NextResponse.json(query.view === "cards" ? toSearchCards(result) : { ...result, nextOffset: nextSearchOffset(result) }, { headers: { "Cache-Control": "no-store" } });
  });
}
