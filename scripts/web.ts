// npm run web [-- --dev]: the web server alone (npm start runs it): Next's request handler behind
// our HTTP server, which takes the client's address from the socket (lib/http/web-server.ts).
import { createLog } from "@/lib/log";
import { failureCode } from "./cli";
import { loadEnvFiles } from "./env-files";

const dev = process.argv.includes("--dev");
// Next and React pick their production or development builds from NODE_ENV when they load.
(process.env as Record<string, string>).NODE_ENV = dev ? "development" : "production";

// `[web] message`, or JSON lines with LOG_FORMAT=json (read at the first line, after the env files).
const log = createLog("web");

async function main(): Promise<void> {
  // Before Next loads them itself (same loader and mode, so that changes nothing): PORT, HOST and the
  // proxy settings are read here first.
  loadEnvFiles(dev);
  const { env } = await import("@/lib/env");
  const { createWebServer, listen } = await import("@/lib/http/web-server");
  const { parseNetworks } = await import("@/lib/http/client-address");
  const { visitorCookieIssuer } = await import("@/lib/votes/visitor-cookie");
  const { tokenSecret } = await import("@/lib/mail/secret");
  const { PageCache } = await import("@/lib/http/page-cache");
  const { cachePolicy } = await import("@/lib/cache/routes");
  const { wantsFreshPages } = await import("@/lib/cache/fresh");
  const { listenForChanges } = await import("@/lib/cache/listen");
  const { databaseUrl, db } = await import("@/lib/db/client");
  const { createWebMetrics } = await import("@/lib/metrics/web");
  const { breakerStatus } = await import("@/lib/search/outage");
  // Fails at once, naming TOKEN_SECRET, in production without one.
  const secret = tokenSecret();
  const { default: next } = await import("next");
  const app = next({ dev, dir: process.cwd(), port: env.PORT, hostname: env.HOST });
  await app.prepare();
  const handle = app.getRequestHandler();
  // After Next is prepared: its request and response classes need the request context it sets up.
  const { withDirectRoutes } = await import("@/lib/http/direct-routes");
  const { searchGet } = await import("@/lib/api/search");
  const { preflight } = await import("@/lib/api/public");
  // Off until the listener hears announcements; with PAGE_CACHE_MB=0 it stays off.
  const cache = new PageCache({ maxBytes: env.PAGE_CACHE_MB * 1024 * 1024, policy: cachePolicy, revalidate: wantsFreshPages });
  // The page cache learns of changes by LISTEN, which a transaction-mode pooler would silently drop.
  if (env.PAGE_CACHE_MB > 0 && env.DATABASE_URL) {
    const { assertSessionConnection } = await import("@/lib/db/session-check");
    await assertSessionConnection(env.DATABASE_URL);
  }
  const listener = env.PAGE_CACHE_MB > 0 ? listenForChanges({ url: databaseUrl(), cache, log }) : undefined;
  const metrics = createWebMetrics({
    pool: () => db.pool,
    cache,
    token: env.METRICS_TOKEN,
    proxied: env.TRUSTED_PROXIES > 0,
    searchDegraded: () => breakerStatus().state !== "closed",
  });
  const server = createWebServer({
    // The search API (asked as the reader types, never cached) is answered without Next's own per-request work.
    handler: withDirectRoutes({ "/api/search": { GET: searchGet, OPTIONS: preflight } }, env.APP_URL, (request, response) => handle(request, response)),
    trustedProxies: env.TRUSTED_PROXIES,
    proxyNetworks: parseNetworks(env.TRUSTED_PROXY_NETWORKS),
    beforeHandler: env.VOTES_ANONYMOUS ? visitorCookieIssuer(secret, env.APP_URL) : undefined,
    cache,
    metrics,
    accessLog: log.format === "json",
    log,
  });
  // Longer than the usual 60 s idle timeout of a reverse proxy in front, so the proxy closes first.
  server.keepAliveTimeout = 65_000;
  // A client that stops reading an answer for two minutes loses its connection (no page takes that long).
  server.timeout = 120_000;
  const address = await listen(server, env.PORT, env.HOST);
  log(`listening on ${env.HOST ?? "every interface"}, port ${address.port}${dev ? " (development)" : ""}`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void listener?.stop();
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error: unknown) => process.exit(failureCode(error)));
