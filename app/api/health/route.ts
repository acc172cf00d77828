import { NextResponse } from "next/server";
import { latestListedDay } from "@/lib/papers/trending";
import { searchHealth } from "@/lib/search";

export const dynamic = "force-dynamic";

export async function GET() {
  const started = performance.now();
  const search = await searchHealth();
  try {
    const latest = await latestListedDay();
    const database = { ok: true, latencyMs: Math.round(performance.now() - started), latestListedAt: latest };
    // Search falling back to Postgres is degraded, not down: the site still answers.
    const status = search.degraded ? "degraded" : "ok";
    return NextResponse.json({ status, database, search }, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    // Connection details stay in the server log, not in the response.
    console.error("health check failed:", error);
    return NextResponse.json({ status: "unavailable", database: { ok: false }, search }, { status: 503, headers: { "Cache-Control": "no-store" } });
  }
}
