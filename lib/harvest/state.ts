// Where each live source stands, for /api/health: the saved position (changed only by a good
// harvest), the last attempt and success, the last error, and whether the source is late.
import type pg from "pg";
import { env, harvestScopes } from "@/lib/env";
import { harvestStateRows, type LiveSource } from "./store";

export type { LiveSource } from "./store";

export type HarvestStatus = {
  source: LiveSource;
  scope: string;
  position: string | null;
  lastAttemptAt: string | null;
  lastSuccessAt: string | null;
  lastError: string | null;
  lastRecords: number | null;
  /** No good harvest within HARVEST_LATE_HOURS (or never). */
  late: boolean;
};

/** The configured sources' state (one row per OAI set), with never-run sources listed as late. */
export async function harvestStatus(pool: pg.Pool, now = new Date()): Promise<HarvestStatus[]> {
  const configured = harvestScopes();
  if (configured.length === 0) return [];
  const rows = await harvestStateRows(pool);
  const lateBefore = now.getTime() - env.HARVEST_LATE_HOURS * 3_600_000;
  return configured.map(({ source, scope }) => {
    const row = rows.find((candidate) => candidate.source === source && candidate.scope === scope);
    return {
      source,
      scope,
      position: row?.position ?? null,
      lastAttemptAt: row?.lastAttemptAt?.toISOString() ?? null,
      lastSuccessAt: row?.lastSuccessAt?.toISOString() ?? null,
      lastError: row?.lastError ?? null,
      lastRecords: row?.lastRecords ?? null,
      late: !row?.lastSuccessAt || row.lastSuccessAt.getTime() < lateBefore,
    };
  });
}
