// Routes the web server answers itself (the search API), in front of a stand-in for Next that
// records what it was given: the handler's answer as Next would send it, and everything else to Next.
import http from "node:http";
import { gunzipSync } from "node:zlib";
import { NextResponse, type NextRequest } from "next/server";
import { afterEach, describe, expect, it } from "vitest";
import { CLIENT_ADDRESS_HEADER } from "@/lib/http/client-address";
import { withDirectRoutes } from "@/lib/http/direct-routes";
import { createWebServer, listen } from "@/lib/http/web-server";
import { requestRaw, type RequestOptions } from "./http-request";

let server: http.Server | undefined;
let port = 0;
/** What reached Next: method and URL. */
let toNext: string[] = [];

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
  toNext = [];
});

/** Echoes what the handler saw, padded to `pad` characters (a body worth compressing, or not). */
async function echo(request: NextRequest): Promise<Response> {
  const pad = Number(request.nextUrl.searchParams.get("pad") ?? 0);
  const response = NextResponse.json(
    { q: request.nextUrl.searchParams.get("q"), url: request.nextUrl.href, client: request.headers.get(CLIENT_ADDRESS_HEADER), padding: "x".repeat(pad) },
    { status: request.nextUrl.searchParams.has("bad") ? 400 : 200, headers: { "Cache-Control": "no-store", "Access-Control-Allow-Origin": "*" } },
  );
  response.headers.append("set-cookie", "a=1; Path=/");
  response.headers.append("set-cookie", "b=2; Path=/");
  return response;
}

async function start(): Promise<void> {
  server = createWebServer({
    trustedProxies: 0,
    handler: withDirectRoutes(
      { "/api/thing": { GET: echo, OPTIONS: () => new NextResponse(null, { status: 204, headers: { "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS" } }) } },
      "https://papers.example.org",
      (request, response) => {
        toNext.push(`${request.method} ${request.url}`);
        response.end("from Next");
      },
    ),
  });
  port = (await listen(server, 0, "127.0.0.1")).port;
}

const send = (path: string, options: RequestOptions = {}) => requestRaw(port, path, options);

describe("direct routes", () => {
  it("answer their path with the handler, never asking Next: its status, headers and cookies, the security headers, the client address", async () => {
    await start();
    const answer = await send("/api/thing?q=diffusion+policy", { headers: { [CLIENT_ADDRESS_HEADER]: "198.51.100.7" } });
    expect(answer).toMatchObject({
      status: 200,
      headers: {
        "content-type": "application/json",
        "cache-control": "no-store",
        "access-control-allow-origin": "*",
        "x-content-type-options": "nosniff",
        "referrer-policy": "strict-origin-when-cross-origin",
        "x-frame-options": "DENY",
        "set-cookie": ["a=1; Path=/", "b=2; Path=/"],
        vary: "Accept-Encoding",
      },
    });
    // The client address is the socket's (the server's own header, never the client's), the URL on the site's origin.
    expect(JSON.parse(answer.body.toString())).toEqual({ q: "diffusion policy", url: "https://papers.example.org/api/thing?q=diffusion+policy", client: "127.0.0.1", padding: "" });
    expect(answer.headers["content-length"]).toBe(String(answer.body.length));
    expect(toNext).toEqual([]);
    expect((await send("/api/thing?bad")).status).toBe(400);
  });

  it("gzip a body of 1 KB or more for a client that takes gzip, as Next's compression does, and nothing smaller", async () => {
    await start();
    const big = await send("/api/thing?pad=4000", { headers: { "accept-encoding": "gzip, br" } });
    expect(big.headers).toMatchObject({ "content-encoding": "gzip", vary: "Accept-Encoding", "content-length": String(big.body.length) });
    expect(JSON.parse(gunzipSync(big.body).toString()).padding).toHaveLength(4000);
    const refused = await send("/api/thing?pad=4000", { headers: { "accept-encoding": "gzip;q=0, identity" } });
    expect(refused.headers["content-encoding"]).toBeUndefined();
    expect(JSON.parse(refused.body.toString()).padding).toHaveLength(4000);
    const small = await send("/api/thing?pad=10", { headers: { "accept-encoding": "gzip" } });
    expect(small.headers["content-encoding"]).toBeUndefined();
    expect(JSON.parse(small.body.toString()).padding).toHaveLength(10);
  });

  it("answer HEAD without a body and OPTIONS with the route's preflight; other methods and paths go to Next", async () => {
    await start();
    const get = await send("/api/thing?q=x", { headers: { "accept-encoding": "gzip" } });
    const head = await send("/api/thing?q=x", { method: "HEAD", headers: { "accept-encoding": "gzip" } });
    expect(head).toMatchObject({ status: 200, headers: { "content-type": "application/json", vary: "Accept-Encoding", "content-length": get.headers["content-length"] } });
    expect(head.body).toHaveLength(0);
    expect(await send("/api/thing", { method: "OPTIONS" })).toMatchObject({ status: 204, headers: { "access-control-allow-methods": "GET, HEAD, OPTIONS", "x-frame-options": "DENY" } });
    expect(toNext).toEqual([]);
    for (const [method, path] of [["POST", "/api/thing"], ["GET", "/api/thing/"], ["GET", "/api/things"], ["GET", "/"]] as const) {
      expect((await send(path, { method })).body.toString()).toBe("from Next");
    }
    expect(toNext).toEqual(["POST /api/thing", "GET /api/thing/", "GET /api/things", "GET /"]);
  });
});
