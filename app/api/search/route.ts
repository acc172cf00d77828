// GET /api/search: full-text search of the abstracts (Meilisearch, or Postgres when it is away).
import { NextResponse, type NextRequest } from "next/server";
import { preflight, publicGet } from "@/lib/api/public";
import { parseQuery } from "@/lib/api/respond";
import { searchParamsObject, searchQuerySchema } from "@/lib/api/params";
import { searchPapers } from "@/lib/search";
import { toSearchCards } from "@/lib/search/card";
import { nextSearchOffset } from "@/lib/search/query-url";

export const dynamic = "force-dynamic";

export async function GET(request: NextRequest) {
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

export const OPTIONS = preflight;
