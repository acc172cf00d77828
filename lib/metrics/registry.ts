// The metrics every process serves: Node's own (memory, event-loop delay, GC; prom-client's
// defaults) and the event counters of lib/metrics/events.ts, read when scraped.
import type http from "node:http";
import { collectDefaultMetrics, Counter, Registry } from "prom-client";
import { type EventName, readEvents } from "./events";

export const PREFIX = "trending_papers_";

const EVENT_COUNTERS: Record<EventName, { name: string; help: string; labelNames: string[] }> = {
  mails: { name: "mails_total", help: "Mails handed to SMTP by kind (digest, confirm, sign-in) and outcome (sent, failed, retried, or limited: refused by the mail limits before sending).", labelNames: ["kind", "outcome"] },
  rateLimitRefusals: { name: "rate_limit_refusals_total", help: "Requests refused by a rate limit, by limit name and reason (exhausted, unknown-key).", labelNames: ["limit", "reason"] },
  searchFallbacks: { name: "search_fallbacks_total", help: "Searches answered from Postgres because Meilisearch failed, timed out or was skipped by the breaker (outcome failed: the fallback failed too).", labelNames: ["outcome"] },
  digestDuplicatesAvoided: { name: "digest_duplicates_avoided_total", help: "Digest mails cut off before the end of their DATA because this sender no longer held the delivery (another sender has it).", labelNames: [] },
  jobs: { name: "jobs_total", help: "Worker jobs run, by queue and outcome (completed, failed).", labelNames: ["queue", "outcome"] },
  harvests: { name: "harvests_total", help: "Harvests of a live source (one per OAI set), by source and outcome (ok, failed).", labelNames: ["source", "outcome"] },
  harvestedPapers: { name: "harvested_papers_total", help: "Papers a harvest stored, by source and change (inserted, updated).", labelNames: ["source", "change"] },
  searchSyncs: { name: "search_syncs_total", help: "Search syncs run (the outbox pushed to Meilisearch), by what started them.", labelNames: ["trigger"] },
};

/** A registry with Node's default metrics and every event counter. */
export function createRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  for (const [event, counter] of Object.entries(EVENT_COUNTERS) as [EventName, (typeof EVENT_COUNTERS)[EventName]][]) {
    new Counter({
      name: PREFIX + counter.name,
      help: counter.help,
      labelNames: counter.labelNames,
      registers: [registry],
      collect() {
        this.reset();
        for (const series of readEvents(event)) this.inc(series.labels, series.value);
      },
    });
  }
  return registry;
}

/** The registry's metrics in the Prometheus text format, never cached. */
export async function answerMetrics(registry: Registry, request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
  const body = await registry.metrics();
  response.writeHead(200, { "Content-Type": registry.contentType, "Content-Length": Buffer.byteLength(body), "Cache-Control": "no-store" });
  response.end(request.method === "HEAD" ? undefined : body);
}
