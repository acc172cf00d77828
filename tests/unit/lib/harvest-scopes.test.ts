// The live sources and scopes a configuration names: what /api/health and /metrics list, harvested or not.
import { afterEach, describe, expect, it } from "vitest";
import { harvestScopes, reloadEnv } from "@/lib/env";

const saved = { INGEST_SOURCES: process.env.INGEST_SOURCES, ARXIV_SETS: process.env.ARXIV_SETS };

function configure(values: Record<string, string | undefined>): void {
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  reloadEnv();
}

afterEach(() => configure(saved));

describe("harvestScopes", () => {
  it("lists arxiv-oai once per OAI set, and every other source once", () => {
    configure({ INGEST_SOURCES: "hf-daily,arxiv-oai", ARXIV_SETS: "cs,physics:hep-th" });
    expect(harvestScopes()).toEqual([
      { source: "hf-daily", scope: "" },
      { source: "arxiv-oai", scope: "cs" },
      { source: "arxiv-oai", scope: "physics:hep-th" },
    ]);
  });

  it("lists arxiv-oai with no set as one unscoped harvest, and nothing for no sources", () => {
    configure({ INGEST_SOURCES: "arxiv-oai", ARXIV_SETS: "" });
    expect(harvestScopes()).toEqual([{ source: "arxiv-oai", scope: "" }]);
    configure({ INGEST_SOURCES: "", ARXIV_SETS: undefined });
    expect(harvestScopes()).toEqual([]);
  });
});
