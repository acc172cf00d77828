// The page cache in our HTTP server, in front of a stand-in for Next that counts its renders and
// writes its answers the ways Next and Node allow (setHeader + end, writeHead with headers, chunks,
// a slow render, a stream the client walks away from). A page is /<tag>/<kind>/<anything>: the
// test policy stores it under <tag>, and <kind> picks how the stand-in answers.
import http from "node:http";
import { createRequire } from "node:module";
import { gunzipSync } from "node:zlib";
import { afterEach, describe, expect, it, vi } from "vitest";
import { wantsFreshPages } from "@/lib/cache/fresh";
import { acceptsGzip, type CachePolicy, PageCache, type PageCacheOptions } from "@/lib/http/page-cache";
import { createWebServer, listen } from "@/lib/http/web-server";
import { requestRaw, type RequestOptions } from "./http-request";

/** Next's own compression middleware (the `compression` package), as its router applies it to every answer. */
const nextCompression = createRequire(import.meta.url)("next/dist/compiled/compression") as () => (request: http.IncomingMessage, response: http.ServerResponse, next: () => void) => void;

const POLICY_CACHE_CONTROL = "public, max-age=0, s-maxage=5";
const HANDLER_CACHE_CONTROL = "private, max-age=0";
const NOT_FOUND_CACHE_CONTROL = "public, max-age=0, s-maxage=60";
const TTL_MS = 60_000;

function testPolicy(url: URL): CachePolicy | null {
  if (url.pathname.startsWith("/uncached/")) return null;
  const tag = url.pathname.split("/")[1] ?? "";
  return { key: url.pathname + url.search, tags: [tag], ttlMs: TTL_MS, cacheControl: POLICY_CACHE_CONTROL };
}

type Deferred = { promise: Promise<void>; resolve: () => void };
function deferred(): Deferred {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

/** A slow render of a path: `entered` once it began, it finishes when `release` is resolved. */
type Gate = { entered: Deferred; release: Deferred };

let server: http.Server | undefined;
let port = 0;
let renders = new Map<string, number>();
let gates = new Map<string, Gate>();
let arrivals = 0;

function gate(path: string): Gate {
  let found = gates.get(path);
  if (!found) {
    found = { entered: deferred(), release: deferred() };
    gates.set(path, found);
  }
  return found;
}

function rendersOf(path: string): number {
  return renders.get(path) ?? 0;
}

/** Next, as far as the cache can tell: answers by the <kind> segment of the path. */
async function standIn(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
  const path = new URL(request.url ?? "/", "http://localhost").pathname;
  const count = rendersOf(path) + 1;
  renders.set(path, count);
  const body = `${path} render ${count}`;
  const kind = path.split("/")[2] ?? "";
  const status = /^status-(\d{3})$/.exec(kind);
  if (status) {
    response.statusCode = Number(status[1]);
    response.setHeader("content-type", "text/plain");
    response.setHeader("cache-control", HANDLER_CACHE_CONTROL);
    response.end(status[1] === "304" ? undefined : body);
    return;
  }
  switch (kind) {
    case "plain":
      response.setHeader("content-type", "text/plain; charset=utf-8");
      response.setHeader("cache-control", HANDLER_CACHE_CONTROL);
      response.end(body);
      return;
    case "write-head":
      response.writeHead(200, { "Content-Type": "text/html", "Cache-Control": HANDLER_CACHE_CONTROL, "X-Written-By": "writeHead" });
      response.end(body);
      return;
    case "chunks":
      response.setHeader("content-type", "text/plain");
      response.write("one,");
      response.write(Buffer.from("two,"));
      response.write("three,", "utf8");
      response.end(`${body}`);
      return;
    case "slow": {
      const slow = gate(path);
      slow.entered.resolve();
      await slow.release.promise;
      response.setHeader("content-type", "text/plain");
      response.end(body);
      return;
    }
    case "cookie":
      response.setHeader("set-cookie", `session=${count}; HttpOnly`);
      response.setHeader("cache-control", HANDLER_CACHE_CONTROL);
      response.end(body);
      return;
    case "cookie-write-head":
      response.writeHead(200, { "Set-Cookie": `session=${count}; HttpOnly`, "Cache-Control": HANDLER_CACHE_CONTROL });
      response.end(body);
      return;
    case "echo":
      // Like Next: React's payload for a request with the rsc header, the page otherwise.
      response.setHeader("content-type", request.headers.rsc ? "text/x-component" : "application/json");
      response.end(JSON.stringify({ render: count, rsc: request.headers.rsc ?? null, acceptEncoding: request.headers["accept-encoding"] ?? null, seen: Object.keys(request.headers).sort() }));
      return;
    case "wrong-type":
      // What Next answers a request carrying x-middleware-prefetch: an empty payload, whatever was asked.
      response.setHeader("content-type", "application/json");
      response.setHeader("x-middleware-skip", "1");
      response.end("{}");
      return;
    case "etag":
      // Like Next: a conditional request it can answer from the client's copy gets a bodiless 304.
      response.setHeader("etag", '"v1"');
      if (request.headers["if-none-match"] === '"v1"') {
        response.statusCode = 304;
        response.end();
        return;
      }
      response.setHeader("content-type", "text/plain");
      response.end(body);
      return;
    case "etag-stream": {
      // A route with its own ETag that streams its body, and waits for its writes to be taken.
      response.writeHead(200, { "content-type": "text/plain", etag: '"s1"' });
      await new Promise<void>((resolve) => response.write("first part,", () => resolve()));
      await new Promise<void>((resolve) => response.end(body, () => resolve()));
      return;
    }
    case "etag-flush": {
      // As Next streams a page: headers flushed first, the body in chunks some time later.
      response.setHeader("content-type", "text/plain");
      response.setHeader("etag", '"f1"');
      response.setHeader("access-control-allow-origin", "*");
      response.flushHeaders();
      response.write("first part,");
      await new Promise((resolve) => setTimeout(resolve, 50));
      response.end(body);
      return;
    }
    case "etag-compressed":
      // As Next answers through its own compression (gzip when asked), streaming in chunks.
      nextCompression()(request, response, () => undefined);
      response.setHeader("content-type", "text/plain");
      response.setHeader("etag", '"c1"');
      response.flushHeaders();
      response.write(`first part,${"a".repeat(2048)},`);
      await new Promise((resolve) => setTimeout(resolve, 20));
      response.write("second part,");
      response.end(body);
      return;
    case "etag-broken": {
      // A body that breaks off after its headers went out (as far as the route knows): Next then
      // answers 500 if it still can, and may end a destroyed response.
      response.setHeader("content-type", "text/plain");
      response.setHeader("etag", '"b1"');
      response.flushHeaders();
      response.write("first part,");
      await new Promise((resolve) => setTimeout(resolve, 10));
      if (request.headers["user-agent"] === "destroy") {
        response.destroy(new Error("the body broke off"));
        response.end();
        return;
      }
      if (!response.headersSent && count > 1) {
        response.statusCode = 500;
        response.end("broke off");
        return;
      }
      response.end(body);
      return;
    }
    case "etag-encoded":
      // A strong ETag on a compressed answer (the body itself does not matter to the cache).
      response.setHeader("etag", '"e1"');
      response.setHeader("content-encoding", "gzip");
      response.setHeader("content-type", "text/plain");
      response.end(body);
      return;
    case "large": {
      // Several MB, slowly: more than the sockets buffer, so a client that does not read holds the
      // response unfinished; the render itself gates on the test.
      const large = gate(path);
      large.entered.resolve();
      await large.release.promise;
      response.setHeader("content-type", "text/plain");
      response.end("y".repeat(6 * 1024 * 1024));
      return;
    }
    case "big":
      response.setHeader("content-type", "text/plain");
      response.end("x".repeat(1000));
      return;
    case "stream":
      response.writeHead(200, { "content-type": "text/plain" });
      response.write("first part,");
      // The user agent is one of the few headers the cache lets through (only its bot class is keyed).
      if (request.headers["user-agent"] === "hold") {
        // Next stops rendering when the client leaves, and ends what it had begun.
        await new Promise((resolve) => response.once("close", resolve));
        response.end("cut short");
      } else response.end("second part");
      return;
    default:
      response.statusCode = 500;
      response.end(`unknown kind ${kind}`);
  }
}

type Start = Partial<PageCacheOptions> & { enabled?: boolean };

async function start(options: Start = {}): Promise<PageCache> {
  const { enabled = true, ...cacheOptions } = options;
  const cache = new PageCache({ maxBytes: 1024 * 1024, policy: testPolicy, ...cacheOptions });
  if (enabled) cache.setEnabled(true);
  server = createWebServer({
    handler: standIn,
    trustedProxies: 0,
    cache,
    // As the visitor-cookie issuer does: a new visitor gets its cookie before Next sees the request.
    beforeHandler: (request, response) => {
      arrivals += 1;
      if (request.headers["x-new-visitor"]) response.setHeader("set-cookie", "visitor=v123; Path=/; HttpOnly");
    },
  });
  port = (await listen(server, 0, "127.0.0.1")).port;
  return cache;
}

afterEach(async () => {
  for (const { release } of gates.values()) release.resolve();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
  renders = new Map();
  gates = new Map();
  arrivals = 0;
});

type Answer = { status: number; headers: http.IncomingHttpHeaders; body: string };

/** The answer with its body as text. */
async function send(path: string, options: RequestOptions = {}): Promise<Answer> {
  const answer = await requestRaw(port, path, options);
  return { ...answer, body: answer.body.toString() };
}

/** As send, with the body's bytes as they came (a compressed body stays compressed). */
const sendRaw = (path: string, options: RequestOptions = {}) => requestRaw(port, path, options);

/** Opens a GET and stops once the first bytes of the body arrived; `abort` then walks away. */
function openAndAbortLater(path: string, headers: http.OutgoingHttpHeaders): Promise<{ abort: () => void; first: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: "127.0.0.1", port, path, headers, agent: false }, (response) => {
      response.once("data", (chunk: Buffer) => resolve({ abort: () => request.destroy(), first: chunk.toString() }));
    });
    request.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "ECONNRESET") reject(error);
    });
    request.end();
  });
}

const cacheStatus = (answer: Answer) => answer.headers["x-cache"];

describe("the page cache", () => {
  it.each(["plain", "write-head", "chunks"])("answers a second GET of a page written by %s from memory, with the same body and headers", async (kind) => {
    await start();
    const path = `/trending/${kind}/1`;
    const first = await send(path);
    const second = await send(path);
    expect(first).toMatchObject({ status: 200, headers: { "x-cache": "MISS" } });
    expect(second).toMatchObject({ status: 200, body: first.body, headers: { "x-cache": "HIT", "content-type": first.headers["content-type"] } });
    expect(first.body).toContain(`${path} render 1`);
    expect(second.headers["content-length"]).toBe(String(Buffer.byteLength(first.body)));
    if (kind === "write-head") expect(second.headers["x-written-by"]).toBe("writeHead");
    expect(rendersOf(path)).toBe(1);
  });

  it("sends the policy's Cache-Control, not the page's own, on a miss and on a hit", async () => {
    await start();
    for (const path of ["/trending/plain/1", "/trending/write-head/1"]) {
      const miss = await send(path);
      const hit = await send(path);
      expect(miss.headers).toMatchObject({ "x-cache": "MISS", "cache-control": POLICY_CACHE_CONTROL });
      expect(hit.headers).toMatchObject({ "x-cache": "HIT", "cache-control": POLICY_CACHE_CONTROL });
    }
  });

  it("renders again after its tag is invalidated, while a page under another tag stays stored", async () => {
    const cache = await start();
    await send("/trending/plain/1");
    await send("/paper/plain/1");
    cache.invalidate(["trending"]);
    const invalidated = await send("/trending/plain/1");
    const untouched = await send("/paper/plain/1");
    expect(invalidated).toMatchObject({ headers: { "x-cache": "MISS" }, body: "/trending/plain/1 render 2" });
    expect(untouched).toMatchObject({ headers: { "x-cache": "HIT" }, body: "/paper/plain/1 render 1" });
    expect(await send("/trending/plain/1")).toMatchObject({ headers: { "x-cache": "HIT" }, body: "/trending/plain/1 render 2" });
  });

  it("does not store a render its tag was invalidated during, but does store one another tag's change raced", async () => {
    const cache = await start();
    const racedPath = "/trending/slow/1";
    const raced = send(racedPath);
    await gate(racedPath).entered.promise;
    cache.invalidate(["trending"]);
    gate(racedPath).release.resolve();
    expect(await raced).toMatchObject({ status: 200, headers: { "x-cache": "MISS" }, body: `${racedPath} render 1` });
    expect(await send(racedPath)).toMatchObject({ headers: { "x-cache": "MISS" }, body: `${racedPath} render 2` });

    const otherPath = "/paper/slow/1";
    const other = send(otherPath);
    await gate(otherPath).entered.promise;
    cache.invalidate(["trending"]);
    gate(otherPath).release.resolve();
    await other;
    expect(await send(otherPath)).toMatchObject({ headers: { "x-cache": "HIT" }, body: `${otherPath} render 1` });
  });

  it.each([
    ["turned off and on again (its listener reconnected)", (cache: PageCache) => (cache.setEnabled(false), cache.setEnabled(true))],
    ["emptied (an announcement it could not read)", (cache: PageCache) => cache.clear()],
  ])("does not store a render under way when the cache is %s", async (_, forget) => {
    const cache = await start();
    const path = "/paper/slow/1";
    const render = send(path);
    await gate(path).entered.promise;
    forget(cache);
    gate(path).release.resolve();
    expect(await render).toMatchObject({ headers: { "x-cache": "MISS" }, body: `${path} render 1` });
    expect(await send(path)).toMatchObject({ headers: { "x-cache": "MISS" }, body: `${path} render 2` });
  });

  it.each(["cookie", "cookie-write-head"])("never stores a page that sets a cookie (%s), and leaves its Cache-Control private", async (kind) => {
    const cache = await start();
    const path = `/trending/${kind}/1`;
    const first = await send(path);
    const second = await send(path);
    expect(first.headers).toMatchObject({ "set-cookie": ["session=1; HttpOnly"], "cache-control": HANDLER_CACHE_CONTROL });
    expect(second).toMatchObject({ headers: { "x-cache": "MISS", "set-cookie": ["session=2; HttpOnly"] }, body: `${path} render 2` });
    expect(rendersOf(path)).toBe(2);
    expect(cache.size.entries).toBe(0);
  });

  it("takes gzip;q=0 as a refusal of gzip: no gzip copy for that client, and Next is not told it takes gzip", async () => {
    await start();
    const path = "/trending/echo/1";
    const gzip = await send(path, { headers: { "accept-encoding": "gzip" } });
    const refused = await send(path, { headers: { "accept-encoding": "gzip;q=0, identity" } });
    expect(refused.body).not.toBe(gzip.body);
    expect(JSON.parse(refused.body).acceptEncoding).not.toBe("gzip");
  });

  it.each([500, 429, 304])("never stores a %i", async (status) => {
    const cache = await start();
    const path = `/trending/status-${status}/1`;
    const first = await send(path);
    const second = await send(path);
    expect(first.status).toBe(status);
    expect(second).toMatchObject({ status, headers: { "x-cache": "MISS" } });
    expect(rendersOf(path)).toBe(2);
    expect(cache.size.entries).toBe(0);
  });

  it("stores a 404, served with a short shared lifetime", async () => {
    await start();
    const path = "/paper/status-404/2401.99999";
    const first = await send(path);
    const second = await send(path);
    expect(first).toMatchObject({ status: 404, headers: { "x-cache": "MISS", "cache-control": NOT_FOUND_CACHE_CONTROL } });
    expect(second).toMatchObject({ status: 404, body: first.body, headers: { "x-cache": "HIT", "cache-control": NOT_FOUND_CACHE_CONTROL } });
    expect(rendersOf(path)).toBe(1);
  });

  it("renders a page once for concurrent misses of it, and gives every request that render", async () => {
    await start();
    const path = "/trending/slow/1";
    const answers = Promise.all([send(path), send(path), send(path), send(path)]);
    await gate(path).entered.promise;
    // Every request has reached the cache (the web server calls it right after beforeHandler).
    await vi.waitFor(() => expect(arrivals).toBe(4));
    gate(path).release.resolve();
    const all = await answers;
    expect(rendersOf(path)).toBe(1);
    expect(all.map((answer) => answer.body)).toEqual(Array(4).fill(`${path} render 1`));
    expect(all.map(cacheStatus).sort()).toEqual(["HIT", "HIT", "HIT", "MISS"]);
  });

  it("keeps separate copies for requests that differ in the rsc header", async () => {
    await start();
    const path = "/trending/echo/1";
    const html = await send(path);
    const rsc = await send(path, { headers: { rsc: "1" } });
    expect(JSON.parse(html.body)).toMatchObject({ render: 1, rsc: null });
    expect(JSON.parse(rsc.body)).toMatchObject({ render: 2, rsc: "1" });
    expect(await send(path)).toMatchObject({ headers: { "x-cache": "HIT" }, body: html.body });
    expect(await send(path, { headers: { rsc: "1" } })).toMatchObject({ headers: { "x-cache": "HIT" }, body: rsc.body });
    expect(rendersOf(path)).toBe(2);
  });

  it("lets through to the page only the request headers its key holds", async () => {
    await start();
    const path = "/trending/echo/1";
    const answer = await send(path, { headers: { cookie: "tp_session=secret", "x-middleware-prefetch": "1", "accept-language": "de", "content-security-policy": "script-src 'nonce-x'", "user-agent": "Mozilla/5.0" } });
    const seen = (JSON.parse(answer.body) as { seen: string[] }).seen;
    for (const dropped of ["cookie", "x-middleware-prefetch", "accept-language", "content-security-policy"]) expect(seen).not.toContain(dropped);
    expect(seen).toContain("user-agent");
    expect(seen).toContain("host");
  });

  it("never stores an answer that is not what was asked for (Next's empty payload for a middleware prefetch)", async () => {
    await start();
    const path = "/trending/wrong-type/1";
    await send(path);
    expect(await send(path)).toMatchObject({ headers: { "x-cache": "MISS" } });
    expect(rendersOf(path)).toBe(2);
  });

  it("keeps one copy for browsers and one for the bots Next renders metadata differently for", async () => {
    await start();
    const path = "/trending/echo/1";
    await send(path, { headers: { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/140" } });
    expect(await send(path, { headers: { "user-agent": "Twitterbot/1.0" } })).toMatchObject({ headers: { "x-cache": "MISS" } });
    expect(await send(path, { headers: { "user-agent": "Slackbot-LinkExpanding 1.0" } })).toMatchObject({ headers: { "x-cache": "HIT" } });
    expect(await send(path, { headers: { "user-agent": "Mozilla/5.0 Firefox/140" } })).toMatchObject({ headers: { "x-cache": "HIT" } });
    expect(rendersOf(path)).toBe(2);
  });

  it("keeps React's payload out of shared caches in front (it sits at the page's URL)", async () => {
    await start();
    const path = "/trending/echo/1";
    for (let i = 0; i < 2; i++) {
      const payload = await send(path, { headers: { rsc: "1" } });
      expect(payload.headers["cache-control"]).toBe("private, no-store");
    }
    expect((await send(path)).headers["cache-control"]).toBe(POLICY_CACHE_CONTROL);
  });

  it("does not hold up requests waiting for a page while its first client is slow to read it", async () => {
    await start({ maxBytes: 32 * 1024 * 1024, maxEntryBytes: 16 * 1024 * 1024 });
    const path = "/trending/large/1";
    // A client that asks and then reads nothing: the answer cannot finish while it sits there.
    const stalled = http.request({ host: "127.0.0.1", port, path, agent: false }, (response) => response.pause());
    stalled.end();
    await gate(path).entered.promise;
    const waiting = send(path);
    await vi.waitFor(() => expect(arrivals).toBe(2));
    gate(path).release.resolve();
    const waited = await waiting;
    expect(waited.body.length).toBe(6 * 1024 * 1024);
    expect(cacheStatus(waited)).toBe("HIT");
    expect(rendersOf(path)).toBe(1);
    stalled.destroy();
  });

  it("renders afresh, and replaces the stored copy, for a request the revalidate option picks (a voter's next pages)", async () => {
    await start({ revalidate: (request) => request.headers["x-just-voted"] !== undefined });
    const path = "/trending/plain/1";
    await send(path);
    expect(await send(path)).toMatchObject({ headers: { "x-cache": "HIT" }, body: `${path} render 1` });
    expect(await send(path, { headers: { "x-just-voted": "1" } })).toMatchObject({ headers: { "x-cache": "MISS" }, body: `${path} render 2` });
    // Everyone else now gets the fresh copy.
    expect(await send(path)).toMatchObject({ headers: { "x-cache": "HIT" }, body: `${path} render 2` });
  });

  it("keeps separate copies for gzip and for no encoding, one gzip copy for every client that takes gzip", async () => {
    await start();
    const path = "/trending/echo/1";
    const gzip = await send(path, { headers: { "accept-encoding": "gzip" } });
    const none = await send(path);
    expect(JSON.parse(gzip.body)).toMatchObject({ render: 1, acceptEncoding: "gzip" });
    expect(JSON.parse(none.body)).toMatchObject({ render: 2, acceptEncoding: null });
    expect(await send(path, { headers: { "accept-encoding": "gzip, deflate, br" } })).toMatchObject({ headers: { "x-cache": "HIT" }, body: gzip.body });
    expect(await send(path, { headers: { "accept-encoding": "br" } })).toMatchObject({ headers: { "x-cache": "HIT" }, body: none.body });
    expect(rendersOf(path)).toBe(2);
  });

  it("answers If-None-Match with the stored ETag by a bodiless 304, and a different one by the page", async () => {
    await start();
    const path = "/trending/plain/1";
    await send(path);
    const hit = await send(path);
    const etag = hit.headers.etag;
    expect(etag).toMatch(/^(W\/)?".+"$/);
    const notModified = await send(path, { headers: { "if-none-match": etag } });
    expect(notModified).toMatchObject({ status: 304, body: "", headers: { "x-cache": "HIT", etag, "cache-control": POLICY_CACHE_CONTROL } });
    expect(await send(path, { headers: { "if-none-match": '"something-else"' } })).toMatchObject({ status: 200, body: hit.body });
    expect(rendersOf(path)).toBe(1);
  });

  it("answers a conditional miss whose page has the client's ETag with a 304, and still stores the whole page", async () => {
    await start();
    const path = "/trending/etag/1";
    const miss = await send(path, { headers: { "if-none-match": '"v1"' } });
    expect(miss).toMatchObject({ status: 304, body: "", headers: { "x-cache": "MISS", etag: '"v1"', "cache-control": POLICY_CACHE_CONTROL } });
    expect(miss.headers["content-type"]).toBeUndefined();
    expect(miss.headers["content-length"]).toBeUndefined();
    expect(await send(path)).toMatchObject({ status: 200, body: `${path} render 1`, headers: { "x-cache": "HIT", etag: '"v1"', "content-type": "text/plain" } });
    expect(await send(path, { headers: { "if-none-match": '"v1"' } })).toMatchObject({ status: 304, body: "", headers: { "x-cache": "HIT" } });
    expect(rendersOf(path)).toBe(1);
  });

  it("sends a conditional miss's 304 only once the page has ended, so a client that leaves at once does not stop the copy", async () => {
    const cache = await start();
    const path = "/feeds/etag-flush/1";
    expect(await send(path)).toMatchObject({ status: 200, body: `first part,${path} render 1`, headers: { etag: '"f1"' } });
    cache.invalidate(["feeds"]);
    // A client that closes its connection as soon as it has a whole answer (no keep-alive).
    const again = await send(path, { headers: { "if-none-match": '"f1"', connection: "close" } });
    expect(again).toMatchObject({ status: 304, body: "", headers: { "x-cache": "MISS", etag: '"f1"', "access-control-allow-origin": "*" } });
    expect(again.headers["content-type"]).toBeUndefined();
    expect(await send(path)).toMatchObject({ status: 200, body: `first part,${path} render 2`, headers: { "x-cache": "HIT" } });
    // A stored copy's 304 keeps the CORS headers too, for another site's conditional request.
    expect(await send(path, { headers: { "if-none-match": '"f1"' } })).toMatchObject({ status: 304, headers: { "x-cache": "HIT", "access-control-allow-origin": "*" } });
    expect(rendersOf(path)).toBe(2);
  });

  it("answers a conditional miss with a 304 and stores the whole page under Next's gzip compression too", async () => {
    const cache = await start();
    const path = "/feeds/etag-compressed/1";
    const gzip = { "accept-encoding": "gzip" };
    const first = await sendRaw(path, { headers: gzip });
    expect(first).toMatchObject({ status: 200, headers: { "x-cache": "MISS", etag: '"c1-gzip"', "content-encoding": "gzip" } });
    expect(gunzipSync(first.body).toString()).toBe(`first part,${"a".repeat(2048)},second part,${path} render 1`);
    cache.invalidate(["feeds"]);
    const again = await sendRaw(path, { headers: { ...gzip, "if-none-match": '"c1-gzip"', connection: "close" } });
    expect(again).toMatchObject({ status: 304, headers: { "x-cache": "MISS", etag: '"c1-gzip"' } });
    expect(again.body).toHaveLength(0);
    const stored = await sendRaw(path, { headers: gzip });
    expect(stored).toMatchObject({ status: 200, headers: { "x-cache": "HIT", etag: '"c1-gzip"', "content-encoding": "gzip" } });
    expect(gunzipSync(stored.body).toString()).toBe(`first part,${"a".repeat(2048)},second part,${path} render 2`);
    // One that no longer matches gets the page, with its one suffix.
    cache.invalidate(["feeds"]);
    const changed = await sendRaw(path, { headers: { ...gzip, "if-none-match": '"c0-gzip"' } });
    expect(changed).toMatchObject({ status: 200, headers: { "x-cache": "MISS", etag: '"c1-gzip"' } });
    expect(gunzipSync(changed.body).toString()).toBe(`first part,${"a".repeat(2048)},second part,${path} render 3`);
  });

  it("neither sends a 304 nor stores a copy when a conditional miss's page breaks off", async () => {
    const cache = await start();
    const path = "/feeds/etag-broken/1";
    expect(await send(path)).toMatchObject({ status: 200, body: `first part,${path} render 1`, headers: { etag: '"b1"' } });
    cache.invalidate(["feeds"]);
    // Next's error answer goes out as it is, and nothing is stored.
    expect(await send(path, { headers: { "if-none-match": '"b1"' } })).toMatchObject({ status: 500, body: "broke off" });
    expect(cache.size.entries).toBe(0);
    // A response destroyed while its 304 was held back: the client gets no answer, nothing is stored.
    await expect(send(path, { headers: { "if-none-match": '"b1"', "user-agent": "destroy" } })).rejects.toThrow();
    expect(cache.size.entries).toBe(0);
    expect(rendersOf(path)).toBe(3);
  });

  it("gives a strong ETag the encoding's name on the first answer as on the stored copies, and takes it back as a match", async () => {
    const cache = await start();
    const path = "/feeds/etag-encoded/1";
    expect(await send(path)).toMatchObject({ status: 200, headers: { "x-cache": "MISS", etag: '"e1-gzip"' } });
    expect(await send(path)).toMatchObject({ status: 200, headers: { "x-cache": "HIT", etag: '"e1-gzip"' } });
    cache.invalidate(["feeds"]);
    expect(await send(path, { headers: { "if-none-match": '"e1-gzip"' } })).toMatchObject({ status: 304, body: "", headers: { "x-cache": "MISS", etag: '"e1-gzip"' } });
    expect(rendersOf(path)).toBe(2);
  });

  it("after a change, a poller whose page rendered the same again gets a 304, and one with an older ETag the page", async () => {
    // A feed reader polling with its ETag: a vote elsewhere drops the feed, its next render is the same.
    const cache = await start();
    const path = "/feeds/etag-stream/1";
    const first = await send(path);
    expect(first).toMatchObject({ status: 200, body: `first part,${path} render 1`, headers: { "x-cache": "MISS", etag: '"s1"' } });
    cache.invalidate(["feeds"]);
    const again = await send(path, { headers: { "if-none-match": '"s1"' } });
    expect(again).toMatchObject({ status: 304, body: "", headers: { "x-cache": "MISS", etag: '"s1"' } });
    expect(rendersOf(path)).toBe(2);
    expect(await send(path)).toMatchObject({ status: 200, body: `first part,${path} render 2`, headers: { "x-cache": "HIT", etag: '"s1"' } });
    cache.invalidate(["feeds"]);
    expect(await send(path, { headers: { "if-none-match": '"s0"' } })).toMatchObject({ status: 200, body: `first part,${path} render 3`, headers: { "x-cache": "MISS" } });
  });

  it("evicts the least recently used page when it holds more than maxBytes", async () => {
    // Each 1000-byte page costs about 1530 bytes with its key: two fit, three do not.
    const cache = await start({ maxBytes: 3200 });
    await send("/lru/big/a");
    await send("/lru/big/b");
    expect(cache.size.entries).toBe(2);
    expect(cacheStatus(await send("/lru/big/a"))).toBe("HIT"); // b is now the least recently used
    await send("/lru/big/c");
    expect(cache.size.entries).toBe(2);
    expect(cache.size.bytes).toBeLessThanOrEqual(3200);
    expect(cacheStatus(await send("/lru/big/a"))).toBe("HIT");
    expect(cacheStatus(await send("/lru/big/b"))).toBe("MISS");
    expect(rendersOf("/lru/big/a")).toBe(1);
  });

  it("serves but never stores a page larger than maxEntryBytes", async () => {
    const cache = await start({ maxEntryBytes: 500 });
    const first = await send("/trending/big/1");
    const second = await send("/trending/big/1");
    expect(second).toMatchObject({ headers: { "x-cache": "MISS" }, body: first.body });
    expect(first.body).toHaveLength(1000);
    expect(cache.size.entries).toBe(0);
  });

  it("answers BYPASS and stores nothing until enabled, and forgets everything when disabled", async () => {
    const cache = await start({ enabled: false });
    const path = "/trending/plain/1";
    expect(cacheStatus(await send(path))).toBe("BYPASS");
    expect(cacheStatus(await send(path))).toBe("BYPASS");
    expect(rendersOf(path)).toBe(2);
    expect(cache.size.entries).toBe(0);

    cache.setEnabled(true);
    expect(cacheStatus(await send(path))).toBe("MISS");
    expect(cacheStatus(await send(path))).toBe("HIT");
    cache.setEnabled(false);
    expect(cache.size.entries).toBe(0);
    expect(await send(path)).toMatchObject({ headers: { "x-cache": "BYPASS" }, body: `${path} render 4` });
    cache.setEnabled(true);
    expect(cacheStatus(await send(path))).toBe("MISS");
  });

  it("serves a stored page until its lifetime is over, then renders it again", async () => {
    let time = 1_000_000;
    await start({ now: () => time });
    const path = "/trending/plain/1";
    await send(path);
    time += TTL_MS - 1;
    const late = await send(path);
    expect(late).toMatchObject({ headers: { "x-cache": "HIT" }, body: `${path} render 1` });
    // The copy is exact until a change drops it: no Age for a shared cache to count down.
    expect(late.headers.age).toBeUndefined();
    time += 1;
    expect(await send(path)).toMatchObject({ headers: { "x-cache": "MISS" }, body: `${path} render 2` });
  });

  it("answers HEAD from a stored GET, without the body", async () => {
    await start();
    const path = "/trending/plain/1";
    const get = await send(path);
    const head = await send(path, { method: "HEAD" });
    expect(head).toMatchObject({ status: 200, body: "", headers: { "x-cache": "HIT", "content-length": String(Buffer.byteLength(get.body)), "content-type": get.headers["content-type"] } });
    expect(rendersOf(path)).toBe(1);
  });

  it("sends a visitor cookie set before the cache with that one answer, privately, and never to the next client", async () => {
    await start();
    const path = "/trending/plain/1";
    const newVisitor = await send(path, { headers: { "x-new-visitor": "1" } });
    expect(newVisitor).toMatchObject({ status: 200, headers: { "set-cookie": ["visitor=v123; Path=/; HttpOnly"], "cache-control": "private, no-store" } });

    const next = await send(path);
    expect(next.headers["set-cookie"]).toBeUndefined();
    expect(next).toMatchObject({ status: 200, body: newVisitor.body, headers: { "cache-control": POLICY_CACHE_CONTROL } });

    // A new visitor answered from memory gets its own cookie, and a private answer too.
    const hitForNewVisitor = await send(path, { headers: { "x-new-visitor": "1" } });
    expect(hitForNewVisitor).toMatchObject({ headers: { "x-cache": "HIT", "set-cookie": ["visitor=v123; Path=/; HttpOnly"], "cache-control": "private, no-store" }, body: newVisitor.body });
    expect(await send(path)).toMatchObject({ headers: { "x-cache": "HIT", "cache-control": POLICY_CACHE_CONTROL } });
    expect((await send(path)).headers["set-cookie"]).toBeUndefined();
  });

  it("does not store an answer its client walked away from, and a request waiting on it renders its own", async () => {
    const cache = await start();
    const path = "/trending/stream/1";
    const walkingAway = await openAndAbortLater(path, { "user-agent": "hold" });
    expect(walkingAway.first).toBe("first part,");
    const waiting = send(path);
    await vi.waitFor(() => expect(arrivals).toBe(2));
    walkingAway.abort();
    const waited = await waiting;
    expect(waited).toMatchObject({ status: 200, body: "first part,second part" });
    expect(cacheStatus(waited)).not.toBe("HIT");
    expect(rendersOf(path)).toBe(2);
    expect(cache.stats.stored).toBe(0);
    // The next request renders (and stores) a whole page.
    expect(await send(path)).toMatchObject({ headers: { "x-cache": "MISS" }, body: "first part,second part" });
    expect(await send(path)).toMatchObject({ headers: { "x-cache": "HIT" }, body: "first part,second part" });
  });

  it("leaves pages outside the policy and other methods alone", async () => {
    const cache = await start();
    const uncached = await send("/uncached/plain/1");
    expect(uncached.headers["x-cache"]).toBeUndefined();
    expect(uncached.headers["cache-control"]).toBe(HANDLER_CACHE_CONTROL);
    await send("/uncached/plain/1");
    expect(rendersOf("/uncached/plain/1")).toBe(2);
    await send("/trending/plain/1", { method: "POST" });
    await send("/trending/plain/1", { method: "POST" });
    expect(rendersOf("/trending/plain/1")).toBe(2);
    expect(cache.size.entries).toBe(0);
  });
});

describe("acceptsGzip", () => {
  it("reads Accept-Encoding's names and q-values", () => {
    expect(acceptsGzip("gzip, deflate, br")).toBe(true);
    expect(acceptsGzip("GZIP;Q=0.5")).toBe(true);
    expect(acceptsGzip("x-gzip")).toBe(true);
    expect(acceptsGzip("br, identity")).toBe(false);
    expect(acceptsGzip("")).toBe(false);
    expect(acceptsGzip("gzip;q=0")).toBe(false);
    expect(acceptsGzip("gzip;q=0, *")).toBe(false);
    expect(acceptsGzip("*")).toBe(true);
    expect(acceptsGzip("*;q=0")).toBe(false);
  });
});

describe("wantsFreshPages", () => {
  const request = (cookie?: string) => ({ headers: cookie === undefined ? {} : { cookie } }) as http.IncomingMessage;
  it("picks a browser carrying the freshness cookie, and no other", () => {
    expect(wantsFreshPages(request("tp_fresh=1"))).toBe(true);
    expect(wantsFreshPages(request("tp_session=abc; tp_fresh=1"))).toBe(true);
    expect(wantsFreshPages(request("not_tp_fresh=1"))).toBe(false);
    expect(wantsFreshPages(request("tp_session=abc"))).toBe(false);
    expect(wantsFreshPages(request())).toBe(false);
  });
});
