import { NextResponse, type NextRequest } from "next/server";
import { handle, parseQuery } from "@/lib/api/respond";
import { searchParamsObject, searchQuerySchema } from "@/lib/api/params";
import { searchPapers } from "@/lib/search";

export const dynamic = "force-dynamic";

export async function GET(request: NextRequest) {
  return handle(async () => {
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
    const nextOffset = result.offset + result.items.length;
    return NextResponse.json(
      { ...result, nextOffset: nextOffset < Math.min(result.total, 1_000) && result.items.length === result.limit ? nextOffset : null },
      { headers: { "Cache-Control": "no-store" } },
    );
  });
}
