// The web server's /metrics: requests by route and status with their latency, the page cache,
// search's degraded state, and gauges read from Postgres when scraped (outbox depth, the latest
// digest's deliveries, time since each live source's last good harvest).
import type http from "node:http";
import type pg from "pg";
import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import { harvestScopes } from "@/lib/env";
import type { PageCache } from "@/lib/http/page-cache";
import type { RequestMetrics } from "@/lib/http/web-server";
import { mayReadMetrics } from "./access";
import { readTime } from "./events";
import { answerMetrics, createRegistry, PREFIX } from "./registry";
import { type DatabaseReadings, readDatabaseGauges } from "./store";

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
const DELIVERY_STATUSES = ["pending", "sending", "sent", "failed", "skipped"];
/** Readings this young are reused, so several scrapers (or a quick rescrape) cost one round trip. */
const READING_TTL_MS = 5_000;

export type WebMetricsOptions = {
  /** The pool the database gauges read with; none: no database gauges. */
  pool?: () => pg.Pool;
  cache?: PageCache;
  /** METRICS_TOKEN; unset: loopback scrapers only, and none behind a proxy (`proxied`). */
  token?: string;
  /** TRUSTED_PROXIES > 0: a reverse proxy on this host may pass visitors on as loopback peers. */
  proxied?: boolean;
  /** Whether searches are kept away from Meilisearch now (its breaker, lib/search/outage.ts); none: no search_degraded gauge. */
  searchDegraded?: () => boolean;
  /** Longest a scrape waits for the database (default 1 s). */
  databaseTimeoutMs?: number;
  now?: () => number;
};

export type WebMetrics = RequestMetrics & { registry: Registry };

function databaseGauges(registry: Registry, options: WebMetricsOptions & { pool: () => pg.Pool }): void {
  const timeoutMs = options.databaseTimeoutMs ?? 1_000;
  const now = options.now ?? Date.now;
  let last: { at: number; reading: Promise<DatabaseReadings | null> } | undefined;
  const reading = (): Promise<DatabaseReadings | null> => {
    if (last && now() - last.at < READING_TTL_MS) return last.reading;
    const started = performance.now();
    const next = readDatabaseGauges(options.pool(), timeoutMs).then(
      (value) => {
        up.set(1);
        duration.set((performance.now() - started) / 1000);
        return value;
      },
      () => {
        up.set(0);
        duration.set((performance.now() - started) / 1000);
        return null;
      },
    );
    last = { at: now(), reading: next };
    return next;
  };
  const up = new Gauge({ name: `${PREFIX}database_gauges_up`, help: "1 when the database gauges were read at this scrape (or within 5 s), 0 when Postgres failed or timed out (they are then NaN or left out).", registers: [registry], collect: async () => void (await reading()) });
  const duration = new Gauge({ name: `${PREFIX}database_gauges_duration_seconds`, help: "How long reading the database gauges took.", registers: [registry] });
  new Gauge({
    name: `${PREFIX}search_outbox_depth`,
    help: "Papers changed in Postgres and not yet pushed to Meilisearch (counted up to 100000; NaN when Postgres did not answer).",
    registers: [registry],
    async collect() {
      // NaN, not 0, when Postgres did not answer: an empty outbox is not what is known.
      this.set((await reading())?.outboxDepth ?? Number.NaN);
    },
  });
  new Gauge({
    name: `${PREFIX}digest_deliveries`,
    help: "Deliveries of the latest frozen digest by status (pending, sending, sent, failed, skipped: unsubscribed before it was sent).",
    labelNames: ["status"],
    registers: [registry],
    async collect() {
      this.reset();
      const digest = (await reading())?.digest;
      if (digest) for (const status of new Set([...DELIVERY_STATUSES, ...Object.keys(digest.deliveries)])) this.set({ status }, digest.deliveries[status] ?? 0);
    },
  });
  new Gauge({
    name: `${PREFIX}digest_latest_date_seconds`,
    help: "The date of the latest frozen digest (midnight UTC, Unix seconds; NaN when there is none or Postgres did not answer).",
    registers: [registry],
    async collect() {
      const digest = (await reading())?.digest;
      this.set(digest ? Date.parse(`${digest.date}T00:00:00Z`) / 1000 : Number.NaN);
    },
  });
  new Gauge({
    name: `${PREFIX}harvest_lag_seconds`,
    help: "Seconds since each live source's last good harvest (per OAI set as scope); +Inf for a configured source never harvested.",
    labelNames: ["source", "scope"],
    registers: [registry],
    async collect() {
      this.reset();
      const value = await reading();
      if (!value) return;
      const rows = [...value.harvests];
      for (const { source, scope } of harvestScopes()) if (!rows.some((row) => row.source === source && row.scope === scope)) rows.push({ source, scope, lastSuccessAt: null });
      for (const row of rows) this.set({ source: row.source, scope: row.scope }, row.lastSuccessAt ? Math.max(0, (now() - row.lastSuccessAt.getTime()) / 1000) : Infinity);
    },
  });
}

function searchGauges(registry: Registry, degraded: (() => boolean) | undefined): void {
  if (degraded) {
    new Gauge({
      name: `${PREFIX}search_degraded`,
      help: "1 while the search breaker keeps searches away from Meilisearch (open or waiting for its probe), else 0.",
      registers: [registry],
      collect() {
        this.set(degraded() ? 1 : 0);
      },
    });
  }
  new Gauge({
    name: `${PREFIX}search_last_fallback_timestamp_seconds`,
    help: "When a search last fell back to Postgres in this process (Unix seconds; 0: never).",
    registers: [registry],
    collect() {
      this.set((readTime("searchFallback") ?? 0) / 1000);
    },
  });
}

function pageCacheMetrics(registry: Registry, cache: PageCache): void {
  new Counter({
    name: `${PREFIX}page_cache_requests_total`,
    help: "Requests for cacheable pages by result: hit (answered from memory), miss (rendered and stored), bypass (rendered, not stored: cache off, HEAD, an unkeyable request).",
    labelNames: ["result"],
    registers: [registry],
    collect() {
      this.reset();
      this.inc({ result: "hit" }, cache.stats.hits);
      this.inc({ result: "miss" }, cache.stats.misses);
      this.inc({ result: "bypass" }, cache.stats.bypasses);
    },
  });
  new Gauge({
    name: `${PREFIX}page_cache_bytes`,
    help: "Bytes of responses the page cache holds.",
    registers: [registry],
    collect() {
      this.set(cache.size.bytes);
    },
  });
  new Gauge({
    name: `${PREFIX}page_cache_enabled`,
    help: "1 while the page cache serves (it hears every change through Postgres), else 0.",
    registers: [registry],
    collect() {
      this.set(cache.isEnabled ? 1 : 0);
    },
  });
}

export function createWebMetrics(options: WebMetricsOptions = {}): WebMetrics {
  const registry = createRegistry();
  const requests = new Counter({ name: `${PREFIX}http_requests_total`, help: "HTTP requests by route pattern, method and status.", labelNames: ["route", "method", "status"], registers: [registry] });
  const latency = new Histogram({
    name: `${PREFIX}http_request_duration_seconds`,
    help: "Time from a request's arrival to the end of its response, by route pattern, method and status class (2xx, 3xx, 4xx, 5xx).",
    labelNames: ["route", "method", "status_class"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const pool = options.pool;
  if (pool) databaseGauges(registry, { ...options, pool });
  searchGauges(registry, options.searchDegraded);
  if (options.cache) pageCacheMetrics(registry, options.cache);

  return {
    registry,
    record({ route, method: given, status, seconds }) {
      const method = METHODS.has(given ?? "") ? given! : "other";
      requests.inc({ route, method, status: String(status) });
      latency.observe({ route, method, status_class: `${Math.floor(status / 100)}xx` }, seconds);
    },
    async serve(request, response) {
      const allowed = mayReadMetrics(
        {
          peer: request.socket.remoteAddress,
          authorization: request.headers.authorization,
          forwarded: ["x-forwarded-for", "forwarded", "x-real-ip"].some((name) => request.headers[name] !== undefined),
        },
        options.token,
        options.proxied,
      );
      if (!allowed || (request.method !== "GET" && request.method !== "HEAD")) return notFound(response);
      await answerMetrics(registry, request, response);
    },
  };
}

function notFound(response: http.ServerResponse): void {
  response.writeHead(404, { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" });
  response.end("Not Found");
}
