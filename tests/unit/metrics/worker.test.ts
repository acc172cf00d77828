// The worker's /metrics on loopback: the event counters (jobs, mails, harvests) and Node's defaults.
import { afterEach, describe, expect, it } from "vitest";
import { countEvent } from "@/lib/metrics/events";
import { serveWorkerMetrics } from "@/lib/metrics/worker";

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

describe("the worker's metrics", () => {
  it("serves the counters in the Prometheus format on 127.0.0.1, and nothing else", async () => {
    const served = await serveWorkerMetrics(0);
    stop = served.stop;
    countEvent("jobs", { queue: "daily-digest", outcome: "completed" });
    countEvent("jobs", { queue: "harvest", outcome: "failed" });
    countEvent("jobs", { queue: "harvest", outcome: "failed" });
    countEvent("mails", { kind: "digest", outcome: "sent" }, 3);
    countEvent("harvestedPapers", { source: "hf-daily", change: "inserted" }, 12);
    const response = await fetch(`http://127.0.0.1:${served.port}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain; version=0.0.4");
    const body = await response.text();
    expect(body).toContain('trending_papers_jobs_total{queue="daily-digest",outcome="completed"} 1');
    expect(body).toContain('trending_papers_jobs_total{queue="harvest",outcome="failed"} 2');
    expect(body).toContain('trending_papers_mails_total{kind="digest",outcome="sent"} 3');
    expect(body).toContain('trending_papers_harvested_papers_total{source="hf-daily",change="inserted"} 12');
    expect(body).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(body).toMatch(/^nodejs_eventloop_lag_p99_seconds /m);
    expect((await fetch(`http://127.0.0.1:${served.port}/`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${served.port}/metrics`, { method: "POST" })).status).toBe(404);
  });
});
