import { NextResponse } from "next/server";
import { latestListedDay } from "@/lib/papers/trending";

export const dynamic = "force-dynamic";

export async function GET() {
  const started = performance.now();
  try {
    const latest = await latestListedDay();
    const database = { ok: true, latencyMs: Math.round(performance.now() - started), latestListedAt: latest };
    return NextResponse.json({ status: "ok", database }, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    // Connection details stay in the server log, not in the response.
    console.error("health check failed:", error);
    return NextResponse.json({ status: "unavailable", database: { ok: false } }, { status: 503, headers: { "Cache-Control": "no-store" } });
  }
}
