// GET /api/papers/<id>: one paper with its details and sources.
import type { NextRequest } from "next/server";
import { cachedJson, preflight, publicGet } from "@/lib/api/public";
import { ApiError } from "@/lib/api/respond";
import { getPaper } from "@/lib/papers/get-paper";
import { paperIdFromSegments } from "@/lib/papers/identity";

export const dynamic = "force-dynamic";

export async function GET(request: NextRequest, context: { params: Promise<{ id: string[] }> }) {
  return publicGet(request, async () => {
    const segments = (await context.params).id;
    const id = paperIdFromSegments(segments);
    if (!id) throw new ApiError(400, "invalid_request", "not a paper id (e.g. 2506.01234 or hep-th/9901001)");
    const paper = await getPaper(id);
    if (!paper) throw new ApiError(404, "not_found", `No paper with id ${id}`);
    return cachedJson(request, paper, "public, max-age=60, stale-while-revalidate=300");
  });
}

export const OPTIONS = preflight;
