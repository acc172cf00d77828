// Request ids in the web server: one per request, sent back as X-Request-Id, a proxy's kept only
// when the request came through a trusted proxy, and in the JSON access log line.
import http from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { createLog } from "@/lib/log";
import { PageCache } from "@/lib/http/page-cache";
import { isTrustedProxy, parseNetworks } from "@/lib/http/client-address";
import { createWebServer, listen, type WebServerOptions } from "@/lib/http/web-server";

let server: http.Server | undefined;
/** The request ids the stand-in handler (Next) saw. */
let seen: (string | undefined)[] = [];
let lines: string[] = [];

afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
  seen = [];
  lines = [];
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

async function start(options: Partial<WebServerOptions> = {}): Promise<string> {
  server = createWebServer({
    trustedProxies: 0,
    handler: (request, response) => {
      seen.push(request.headers["x-request-id"] as string | undefined);
      response.writeHead(request.url === "/missing" ? 404 : 200, { "Content-Type": "text/plain" });
      response.end("page");
    },
    log: createLog("web", { format: "json", write: (line) => lines.push(line) }),
    ...options,
  });
  const address = await listen(server, 0, "127.0.0.1");
  return `http://127.0.0.1:${address.port}`;
}

describe("request ids", () => {
  it("gives each request a new id, sends it back and hands it to Next, ignoring a client's own", async () => {
    const base = await start();
    const first = await fetch(`${base}/`, { headers: { "x-request-id": "forged-by-client" } });
    const second = await fetch(`${base}/`);
    const ids = [first.headers.get("x-request-id"), second.headers.get("x-request-id")];
    expect(ids).toEqual([expect.stringMatching(UUID), expect.stringMatching(UUID)]);
    expect(ids[0]).not.toBe(ids[1]);
    expect(seen).toEqual(ids);
  });

  it("keeps the id a trusted proxy sent, and only a well-formed one", async () => {
    const base = await start({ trustedProxies: 1 });
    const kept = await fetch(`${base}/`, { headers: { "x-request-id": "proxy-1234.abc", "x-forwarded-for": "198.51.100.1" } });
    expect(kept.headers.get("x-request-id")).toBe("proxy-1234.abc");
    const malformed = await fetch(`${base}/`, { headers: { "x-request-id": "a b\"c", "x-forwarded-for": "198.51.100.1" } });
    expect(malformed.headers.get("x-request-id")).toMatch(UUID);
    const tooLong = await fetch(`${base}/`, { headers: { "x-request-id": "x".repeat(129) } });
    expect(tooLong.headers.get("x-request-id")).toMatch(UUID);
  });

  it("does not take a proxy's id from a peer outside the trusted networks", async () => {
    const base = await start({ trustedProxies: 1, proxyNetworks: parseNetworks(["10.0.0.0/8"]) });
    const response = await fetch(`${base}/`, { headers: { "x-request-id": "proxy-1234" } });
    expect(response.headers.get("x-request-id")).toMatch(UUID);
    expect(isTrustedProxy("10.1.2.3", 1, parseNetworks(["10.0.0.0/8"]))).toBe(true);
    expect(isTrustedProxy("::ffff:10.1.2.3", 1, parseNetworks(["10.0.0.0/8"]))).toBe(true);
    expect(isTrustedProxy("10.1.2.3", 0, parseNetworks(["10.0.0.0/8"]))).toBe(false);
  });

  it("sends this request's id with a page the cache stored for another request", async () => {
    const cache = new PageCache({ maxBytes: 1024 * 1024, policy: (url) => ({ key: url.pathname, tags: ["t"], ttlMs: 60_000, cacheControl: "public, max-age=0" }) });
    cache.setEnabled(true);
    const base = await start({ cache });
    const miss = await fetch(`${base}/`);
    const hit = await fetch(`${base}/`);
    expect([miss.headers.get("x-cache"), hit.headers.get("x-cache")]).toEqual(["MISS", "HIT"]);
    expect(hit.headers.get("x-request-id")).toMatch(UUID);
    expect(hit.headers.get("x-request-id")).not.toBe(miss.headers.get("x-request-id"));
    expect(seen).toHaveLength(1);
  });

  it("writes one JSON access line per request with its id, route, status and time (in json mode)", async () => {
    const base = await start({ accessLog: true });
    const response = await fetch(`${base}/papers/2506.01234?utm=x`);
    await response.text();
    await fetch(`${base}/missing`).then((r) => r.text());
    await fetch(`${base}/feed/f.1.secret-signature.xml`).then((r) => r.text());
    await fetch(`${base}//feed/f.2.another-secret.xml`).then((r) => r.text());
    await new Promise((resolve) => setTimeout(resolve, 20));
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries).toEqual([
      { time: expect.any(String), level: "info", name: "web", msg: "request", requestId: response.headers.get("x-request-id"), method: "GET", route: "/papers/[...id]", path: "/papers/2506.01234", status: 200, ms: expect.any(Number) },
      expect.objectContaining({ route: "unmatched", path: "/missing", status: 404 }),
      // A private feed's path is its secret: only the route is logged.
      expect.objectContaining({ route: "/feed/[secret]", path: "/feed/[secret]", status: 200 }),
      // Nor in a path that matches no route (Next redirects it to the feed).
      expect.objectContaining({ route: "unmatched", path: "//feed/f.….xml" }),
    ]);
  });

  it("without the access log writes only failures: at error level, with the request id", async () => {
    const base = await start({
      handler: async () => {
        throw new Error("render exploded");
      },
    });
    const response = await fetch(`${base}/`);
    expect(response.status).toBe(500);
    expect(lines.map((line) => JSON.parse(line) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ level: "error", msg: "request failed: render exploded", requestId: response.headers.get("x-request-id") }),
    ]);
  });
});
