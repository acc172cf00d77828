import { NextResponse } from "next/server";
import { db } from "@/lib/db/client";
import { digestHealth } from "@/lib/digest/health";
import { harvestStatus } from "@/lib/harvest/state";
import { latestListedDay } from "@/lib/papers/queries";
import { searchHealth } from "@/lib/search";

export const dynamic = "force-dynamic";

export async function GET() {
  const started = performance.now();
  const search = await searchHealth();
  try {
    const latest = await latestListedDay();
    const database = { ok: true, latencyMs: Math.round(performance.now() - started), latestListedAt: latest };
    // Live sources: the last harvest of each, and whether it is late (no good one in HARVEST_LATE_HOURS).
    const sources = await harvestStatus(db.pool);
    const harvest = { late: sources.some((source) => source.late), sources };
    // What the digest could not send yet (unfinished digests, an SMTP outage, recent failures): reported, not counted.
    const digest = await digestHealth();
    // Search falling back to Postgres is degraded, not down: the site still answers. A late harvest
    // is reported, not counted: the site still serves what it has.
    const status = search.degraded ? "degraded" : "ok";
    return NextResponse.json({ status, database, search, harvest, digest }, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    // Connection details stay in the server log, not in the response.
    console.error("health check failed:", error);
    return NextResponse.json({ status: "unavailable", database: { ok: false }, search }, { status: 503, headers: { "Cache-Control": "no-store" } });
  }
}
