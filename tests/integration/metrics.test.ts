// GET /metrics through the real web server (a stand-in for Next behind it), with the database
// gauges read from real Postgres: request counts by route and status, latency buckets, the page
// cache, outbox depth, the latest digest's deliveries, harvest lag, limit refusals, and who may read it.
import http from "node:http";
import os from "node:os";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { cachePolicy } from "@/lib/cache/routes";
import { db } from "@/lib/db/client";
import { PageCache } from "@/lib/http/page-cache";
import { createWebServer, listen } from "@/lib/http/web-server";
import { createWebMetrics, type WebMetricsOptions } from "@/lib/metrics/web";
import { consumeLimits, resetLimiters } from "@/lib/rate-limit";
import { createAppDatabase, type TestDatabase } from "./test-db";

const TOKEN = "metrics-token-for-tests-0123";
const DATE = "2026-06-16";
let database: TestDatabase;
const servers: http.Server[] = [];

/** An address of this host other than loopback, so a request can come from a non-loopback peer. */
const external = Object.values(os.networkInterfaces())
  .flat()
  .find((info) => info && !info.internal && info.family === "IPv4")?.address;

beforeAll(async () => {
  database = await createAppDatabase(["hf-daily-papers"]);
  // Three confirmed subscribers of the latest digest: one sent, one failed, one still pending; and an older digest.
  await database.pool.query(`INSERT INTO subscriber (email, status, confirmed_at) SELECT 'reader' || n || '@example.org', 'confirmed', now() FROM generate_series(1, 4) n`);
  await database.pool.query(`INSERT INTO digest (date, papers) VALUES ($1, '[]'), ('2026-06-15', '[]')`, [DATE]);
  await database.pool.query(
    `INSERT INTO delivery (digest_date, subscriber_id, status)
     SELECT $1::date, id, (ARRAY['sent', 'failed', 'pending', 'skipped'])[row_number() OVER (ORDER BY id)] FROM subscriber`,
    [DATE],
  );
  await database.pool.query(`INSERT INTO delivery (digest_date, subscriber_id, status) SELECT '2026-06-15', id, 'sent' FROM subscriber`);
  await database.pool.query(`INSERT INTO harvest_state (source, scope, last_success_at) VALUES ('hf-daily', '', now() - interval '2 hours')`);
});

afterAll(async () => {
  resetLimiters();
  await database.drop();
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function start(options: WebMetricsOptions = {}, host = "127.0.0.1"): Promise<{ port: number; cache: PageCache }> {
  const cache = new PageCache({ maxBytes: 1024 * 1024, policy: cachePolicy });
  cache.setEnabled(true);
  const server = createWebServer({
    trustedProxies: 0,
    cache,
    metrics: createWebMetrics({ pool: () => db.pool, cache, ...options }),
    // Next's stand-in: a page for known paths, a 404 for the rest, a 202 for the subscribe API.
    handler: (request, response) => {
      const status = request.url?.startsWith("/nothing-here") ? 404 : request.method === "POST" ? 202 : 200;
      response.writeHead(status, { "Content-Type": "text/html" });
      response.end("<p>page</p>");
    },
  });
  servers.push(server);
  const address = await listen(server, 0, host);
  return { port: address.port, cache };
}

const scrape = (port: number, headers: Record<string, string> = {}, host = "127.0.0.1") => fetch(`http://${host}:${port}/metrics`, { headers });

/** The value of one sample line, e.g. `name{labels}`. */
function sample(body: string, series: string): number | undefined {
  const line = body.split("\n").find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("/metrics", () => {
  it("says whether search is degraded as the breaker it is given reads, at each scrape", async () => {
    let degraded = true;
    const { port } = await start({ searchDegraded: () => degraded });
    expect(sample(await (await scrape(port)).text(), "trending_papers_search_degraded")).toBe(1);
    degraded = false;
    expect(sample(await (await scrape(port)).text(), "trending_papers_search_degraded")).toBe(0);
  });

  it("counts requests by route pattern and status with latency buckets, and reads its gauges from Postgres", async () => {
    const { port } = await start({ searchDegraded: () => false });
    const base = `http://127.0.0.1:${port}`;
    for (const path of ["/papers/2506.01234", "/papers/hep-th/9901001", "/papers/2506.01234", "/nothing-here", "/nothing-here/either"]) await (await fetch(base + path)).text();
    await (await fetch(`${base}/api/subscribe`, { method: "POST", body: "{}" })).text();
    await consumeLimits([{ name: "metrics-test", limit: { points: 1, duration: 60, store: "memory" }, key: undefined }]);

    const response = await scrape(port);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain");
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = await response.text();
    expect({
      papers: sample(body, 'trending_papers_http_requests_total{route="/papers/[...id]",method="GET",status="200"}'),
      missing: sample(body, 'trending_papers_http_requests_total{route="unmatched",method="GET",status="404"}'),
      subscribe: sample(body, 'trending_papers_http_requests_total{route="/api/subscribe",method="POST",status="202"}'),
      bucket: sample(body, 'trending_papers_http_request_duration_seconds_bucket{le="+Inf",route="/papers/[...id]",method="GET",status_class="2xx"}'),
      count: sample(body, 'trending_papers_http_request_duration_seconds_count{route="/papers/[...id]",method="GET",status_class="2xx"}'),
      // Two renders of two paper pages, one from memory.
      hits: sample(body, 'trending_papers_page_cache_requests_total{result="hit"}'),
      misses: sample(body, 'trending_papers_page_cache_requests_total{result="miss"}'),
      databaseUp: sample(body, "trending_papers_database_gauges_up"),
      outbox: sample(body, "trending_papers_search_outbox_depth"),
      sent: sample(body, 'trending_papers_digest_deliveries{status="sent"}'),
      failed: sample(body, 'trending_papers_digest_deliveries{status="failed"}'),
      pending: sample(body, 'trending_papers_digest_deliveries{status="pending"}'),
      skipped: sample(body, 'trending_papers_digest_deliveries{status="skipped"}'),
      sending: sample(body, 'trending_papers_digest_deliveries{status="sending"}'),
      digestDate: sample(body, "trending_papers_digest_latest_date_seconds"),
      refusals: sample(body, 'trending_papers_rate_limit_refusals_total{limit="metrics-test",reason="unknown-key"}'),
      degraded: sample(body, "trending_papers_search_degraded"),
    }).toEqual({
      papers: 3,
      missing: 2,
      subscribe: 1,
      bucket: 3,
      count: 3,
      hits: 1,
      misses: 2,
      databaseUp: 1,
      outbox: Number((await database.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM search_outbox`)).rows[0]!.n),
      sent: 1,
      failed: 1,
      pending: 1,
      skipped: 1,
      sending: 0,
      digestDate: Date.parse(`${DATE}T00:00:00Z`) / 1000,
      refusals: 1,
      degraded: 0,
    });
    expect(sample(body, "trending_papers_search_outbox_depth")).toBeGreaterThan(0);
    expect(body).toMatch(/^trending_papers_http_request_duration_seconds_bucket\{le="0\.005",route="\/papers\/\[\.\.\.id\]",method="GET",status_class="2xx"\} \d+$/m);
    // Raw paths never become labels.
    expect(body).not.toContain("2506.01234");
    expect(body).not.toContain("nothing-here");
    // hf-daily harvested two hours ago; arxiv-oai (configured, cs) never: infinitely late.
    const lag = sample(body, 'trending_papers_harvest_lag_seconds{source="hf-daily",scope=""}');
    expect(lag).toBeGreaterThan(7_100);
    expect(lag).toBeLessThan(7_400);
    expect(body).toContain('trending_papers_harvest_lag_seconds{source="arxiv-oai",scope="cs"} +Inf');
    expect(body).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(body).toMatch(/^nodejs_eventloop_lag_p99_seconds /m);
  });

  it("answers within its timeout when Postgres hangs, leaving the database gauges out", async () => {
    const { port } = await start({ databaseTimeoutMs: 300 });
    const locker = await database.pool.connect();
    try {
      await locker.query(`BEGIN; LOCK TABLE search_outbox IN ACCESS EXCLUSIVE MODE`);
      const started = Date.now();
      const body = await (await scrape(port)).text();
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(sample(body, "trending_papers_database_gauges_up")).toBe(0);
      expect(sample(body, "trending_papers_search_outbox_depth")).toBeNaN();
      expect(body).not.toContain("trending_papers_digest_deliveries{");
      expect(body).toContain("trending_papers_http_requests_total");
    } finally {
      await locker.query("ROLLBACK");
      locker.release();
    }
  });

  it("without a token, is a 404 for a forwarded request, and is served to loopback", async () => {
    const { port } = await start();
    expect((await scrape(port)).status).toBe(200);
    const forwarded = await scrape(port, { "x-forwarded-for": "127.0.0.1" });
    expect(forwarded.status).toBe(404);
    expect(await forwarded.text()).not.toContain("trending_papers");
  });

  it.skipIf(!external)("without a token, is a 404 for a peer that is not loopback", async () => {
    const { port } = await start({}, "0.0.0.0");
    const response = await scrape(port, {}, external);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain("trending_papers");
    // The same server serves a loopback scraper.
    expect((await scrape(port)).status).toBe(200);
  });

  it("with a token, is served to that bearer token only: a wrong token or none is a 404, from loopback too", async () => {
    const { port } = await start({ token: TOKEN }, external ? "0.0.0.0" : "127.0.0.1");
    const host = external ?? "127.0.0.1";
    expect((await scrape(port, { authorization: `Bearer ${TOKEN}` }, host)).status).toBe(200);
    expect((await scrape(port, { authorization: `Bearer ${TOKEN}x` }, host)).status).toBe(404);
    expect((await scrape(port, { authorization: "Bearer wrong" }, host)).status).toBe(404);
    expect((await scrape(port, {}, host)).status).toBe(404);
    expect((await scrape(port)).status).toBe(404);
    const served = await scrape(port, { authorization: `Bearer ${TOKEN}` });
    expect(await served.text()).toContain("trending_papers_http_requests_total");
  });
});
