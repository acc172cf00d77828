// Our HTTP server in front of Next, with a stand-in handler that echoes what Next would see.
import http from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { clientIp } from "@/lib/api/client-ip";
import { CLIENT_ADDRESS_HEADER } from "@/lib/http/client-address";
import { createWebServer, isDecodablePath, listen, MAX_REQUEST_BODY_BYTES } from "@/lib/http/web-server";

let server: http.Server | undefined;
/** The paths the stand-in handler (Next) was given. */
let handled: string[] = [];

afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
  handled = [];
});

async function start(trustedProxies: number): Promise<string> {
  server = createWebServer({
    trustedProxies,
    handler: (request, response) => {
      handled.push(request.url ?? "");
      const headers = new Headers();
      for (const [name, value] of Object.entries(request.headers)) if (typeof value === "string") headers.set(name, value);
      response.setHeader("Content-Type", "application/json");
      response.end(JSON.stringify({ header: request.headers[CLIENT_ADDRESS_HEADER] ?? null, key: clientIp(headers) ?? null }));
    },
  });
  const address = await listen(server, 0, "127.0.0.1");
  return `http://127.0.0.1:${address.port}`;
}

describe("the web server", () => {
  it("takes the client address from the socket, never from a header the client wrote", async () => {
    const base = await start(0);
    const response = await fetch(`${base}/`, { headers: { "x-forwarded-for": "198.51.100.1", [CLIENT_ADDRESS_HEADER]: "198.51.100.2", "x-real-ip": "198.51.100.3" } });
    expect(await response.json()).toEqual({ header: "127.0.0.1", key: "127.0.0.1" });
  });

  it("behind one trusted proxy, takes the entry that proxy appended", async () => {
    const base = await start(1);
    const response = await fetch(`${base}/`, { headers: { "x-forwarded-for": "198.51.100.1, 203.0.113.9" } });
    expect(await response.json()).toEqual({ header: "203.0.113.9", key: "203.0.113.9" });
    const missing = await fetch(`${base}/`, { headers: { [CLIENT_ADDRESS_HEADER]: "198.51.100.2" } });
    expect(await missing.json()).toEqual({ header: null, key: null });
  });

  it("refuses a body declared larger than any route takes, without reading it", async () => {
    const base = await start(0);
    const url = new URL(base);
    const status = await new Promise<number>((resolve, reject) => {
      const request = http.request({ host: url.hostname, port: url.port, method: "POST", path: "/api/subscribe", headers: { "content-length": String(400 * 1024 * 1024), "content-type": "application/json" } }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on("error", reject);
      request.write("x".repeat(1024));
    });
    expect(status).toBe(413);
    expect(MAX_REQUEST_BODY_BYTES).toBeLessThan(400 * 1024 * 1024);
  });

  it("answers a path that does not percent-decode with a 400 (JSON under /api/), before Next sees it", async () => {
    const base = await start(0);
    for (const path of ["/papers/%E0%A4%A", "/digests/%E0%A4%A", "/topics/%E0%A4%A", "/%E0%A4%A", "/papers/%ZZ", "/papers/%ED%A0%80?x=1"]) {
      const response = await fetch(`${base}${path}`);
      expect({ path, status: response.status, type: response.headers.get("content-type") }).toEqual({ path, status: 400, type: "text/html; charset=utf-8" });
      expect(await response.text(), path).toContain("Bad request");
    }
    for (const path of ["/api/papers/%E0%A4%A", "/api/search%"]) {
      const response = await fetch(`${base}${path}`);
      expect(response.status, path).toBe(400);
      expect(await response.json(), path).toEqual({ error: { code: "invalid_request", message: expect.stringContaining("malformed") } });
    }
    expect(handled).toEqual([]);
  });

  it("passes paths that decode to Next as they came, and never checks the query", async () => {
    const base = await start(0);
    const paths = ["/papers/hep-th%2F9901001", "/topics/cs.RO", "/papers/2506.0%31", "/search?q=%E0%A4%A", "/api/papers?cursor=%zz", "/caf%C3%A9"];
    for (const path of paths) expect((await fetch(`${base}${path}`)).status, path).toBe(200);
    expect(handled).toEqual(paths);
  });

  it("tells a decodable path from one that is not", () => {
    expect(isDecodablePath("/papers/%E0%A4%A0")).toBe(true);
    expect(isDecodablePath("/papers/%E0%A4%A")).toBe(false);
    expect(isDecodablePath("/a%?b")).toBe(false);
    expect(isDecodablePath("/a?b=%")).toBe(true);
  });
});

describe("the web server's own answers", () => {
  it("carry the security headers Next's answers carry: its refusals and what it hands to Next", async () => {
    const base = await start(0);
    const refused = await fetch(`${base}/papers/%E0%A4%A`);
    expect(refused.status).toBe(400);
    const handed = await fetch(`${base}/`);
    for (const response of [refused, handed]) {
      expect(Object.fromEntries(["x-content-type-options", "referrer-policy", "x-frame-options"].map((name) => [name, response.headers.get(name)]))).toEqual({
        "x-content-type-options": "nosniff",
        "referrer-policy": "strict-origin-when-cross-origin",
        "x-frame-options": "DENY",
      });
    }
  });
});
