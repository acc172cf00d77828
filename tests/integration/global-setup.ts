// Starts one throwaway Postgres cluster for the integration tests; each test file makes its own database in it.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "@/lib/services/embedded-postgres";
import { startEmbeddedMeilisearch } from "@/lib/services/embedded-meilisearch";

declare module "vitest" {
  export interface ProvidedContext {
    postgresAdminUrl: string;
    meiliUrl: string;
    meiliMasterKey: string;
  }
}

export default async function setup(project: TestProject) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "trending-papers-it-"));
  fs.chmodSync(dataDir, 0o755);
  const postgres = await startEmbeddedPostgres({ dataDir, port: 0 });
  project.provide("postgresAdminUrl", postgres.url);
  const meilisearch = await startEmbeddedMeilisearch({ dataDir: path.join(dataDir, "meili"), port: 0 });
  project.provide("meiliUrl", meilisearch.url);
  project.provide("meiliMasterKey", meilisearch.masterKey);
  return async () => {
    await meilisearch.stop();
    await postgres.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
