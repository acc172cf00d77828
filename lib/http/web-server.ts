// The HTTP server `npm start` runs in front of Next's request handler. It exists for one reason:
// route handlers do not see the socket, so this server writes the client's address (from the
// socket, or from the entries trusted proxies appended) into a header of its own, after deleting
// whatever a client sent under that name. It also refuses, by Content-Length alone, any body
// larger than every route accepts, before a byte of it is read, refuses a path that does not
// percent-decode (Next answers those with a 500), and answers pages that have not changed from its page cache.
// It gives every request an id (X-Request-Id), counts it for /metrics, and serves /metrics itself.
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { LogFields } from "@/lib/log";
import { CLIENT_ADDRESS_HEADER, clientAddress, isTrustedProxy, REQUEST_ID_HEADER, type Networks } from "./client-address";
import type { PageCache } from "./page-cache";
import { routeLabel } from "./routes";
import { SECURITY_HEADERS } from "./security-headers";
import { markBehindWebServer } from "./web-server-mark";

export type RequestHandler = (request: http.IncomingMessage, response: http.ServerResponse) => Promise<void> | void;

/** What the server needs of its metrics (lib/metrics/web.ts makes them). */
export type RequestMetrics = {
  /** Counts a finished request (the server measures it once, for this and its access log). */
  record(request: { route: string; method: string | undefined; status: number; seconds: number }): void;
  /** Answers GET /metrics: the metrics to a permitted scraper, a 404 to anyone else. */
  serve(request: http.IncomingMessage, response: http.ServerResponse): Promise<void>;
};

/** No route reads more than this; a larger declared body is refused before it is read. */
export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;

/** How long, and how much of, a refused body is read and thrown away before the connection is closed. */
const LINGER_MS = 2_000;
const LINGER_BYTES = 4 * 1024 * 1024;

export type WebServerOptions = {
  handler: RequestHandler;
  trustedProxies: number;
  /** Networks a trusted proxy may sit in (default: loopback and private ranges). */
  proxyNetworks?: Networks;
  /** Runs before Next sees the request (e.g. to give a page's visitor a cookie). */
  beforeHandler?: (request: http.IncomingMessage, response: http.ServerResponse) => void;
  /** Answers unchanged pages from memory (lib/http/page-cache.ts). */
  cache?: PageCache;
  /** Counts requests and answers /metrics (lib/metrics/web.ts); without it /metrics is Next's like any path. */
  metrics?: RequestMetrics;
  /** Writes one line per request (LOG_FORMAT=json); errors are logged either way. */
  accessLog?: boolean;
  log?: ((message: string, fields?: LogFields) => void) & { error?: (message: string, fields?: LogFields) => void };
};

/** What a proxy's request id may look like to be kept: short, printable, nothing a log line could be forged with. */
const REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/** The request's id: the one a trusted proxy sent (when it looks like one), else a new one. A client's own is never taken. */
export function requestIdFor(request: http.IncomingMessage, trustedProxies: number, proxyNetworks?: Networks): string {
  const given = request.headers[REQUEST_ID_HEADER];
  if (typeof given === "string" && REQUEST_ID.test(given) && isTrustedProxy(request.socket.remoteAddress, trustedProxies, proxyNetworks)) return given;
  return randomUUID();
}

/** Sends X-Request-Id with whatever answers (the page cache never stores it, so a cached page gets this request's). */
function stampRequestId(request: http.IncomingMessage, response: http.ServerResponse, id: string): void {
  request.headers[REQUEST_ID_HEADER] = id;
  response.setHeader(REQUEST_ID_HEADER, id);
}

/** A request's access-log fields: its route pattern, and the path except where the path is a secret (a private feed's). */
function accessFields(request: http.IncomingMessage, response: http.ServerResponse, requestId: string, startedAt: bigint) {
  const route = routeLabel(request.url ?? "/");
  const path = (request.url ?? "/").split(/[?#]/, 1)[0] ?? "/";
  return {
    requestId,
    method: request.method,
    route,
    // Whatever route a path matches (//feed/… is "unmatched" until Next redirects it), a feed secret in it is never logged.
    path: route === "/feed/[secret]" ? route : path.replace(/f\.\d+\.[A-Za-z0-9_-]+/g, "f.…"),
    status: response.headersSent ? response.statusCode : 499,
    ms: Math.round(Number(process.hrtime.bigint() - startedAt) / 1e5) / 10,
    cache: response.getHeader("x-cache"),
  } satisfies LogFields;
}

/** Prepares a request for Next: the client address header set from what this server can vouch for. */
export function stampClientAddress(request: http.IncomingMessage, trustedProxies: number, proxyNetworks?: Networks): void {
  delete request.headers[CLIENT_ADDRESS_HEADER];
  const address = clientAddress({ peer: request.socket.remoteAddress, forwardedFor: request.headers["x-forwarded-for"], trustedProxies, proxyNetworks });
  if (address) request.headers[CLIENT_ADDRESS_HEADER] = address;
}

/**
 * Whether the request's path percent-decodes to UTF-8 text, as every route's params must. Next
 * throws on one that does not (`/papers/%E0%A4%A`) and answers 500; the query is not checked,
 * because Next and our routes read it with URLSearchParams, which keeps a bad escape as it is.
 */
export function isDecodablePath(url: string): boolean {
  const path = url.split(/[?#]/, 1)[0] ?? "";
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

const MALFORMED_URL = "The URL is malformed: its path has a percent-escape that does not decode.";

/** A 400 for a path that does not decode: the API's JSON error under /api/, a short page elsewhere. */
function refuseMalformedUrl(request: http.IncomingMessage, response: http.ServerResponse): void {
  if (/^\/api(\/|$)/.test(request.url ?? "")) return refuse(response, 400, "invalid_request", MALFORMED_URL);
  const body = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Bad request · Trending Papers</title></head><body><h1>Bad request</h1><p>${MALFORMED_URL}</p><p><a href="/">Trending papers</a></p></body></html>`;
  response.writeHead(400, { "Content-Type": "text/html; charset=utf-8", "Content-Length": Buffer.byteLength(body), "Cache-Control": "no-store" });
  response.end(body);
}

/** A JSON error in the API's shape, answered by this server without Next. */
export function refuse(response: http.ServerResponse, status: number, code: string, message: string): void {
  const body = JSON.stringify({ error: { code, message } });
  response.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body), "Cache-Control": "no-store" });
  response.end(body);
}

export function createWebServer(options: WebServerOptions): http.Server {
  markBehindWebServer();
  return http.createServer((request, response) => {
    const startedAt = process.hrtime.bigint();
    const requestId = requestIdFor(request, options.trustedProxies, options.proxyNetworks);
    stampRequestId(request, response, requestId);
    // On every answer, this server's own refusals included (Next sets the same values again).
    for (const { key, value } of SECURITY_HEADERS) response.setHeader(key, value);
    if (options.metrics || options.accessLog) {
      // Once the response has been sent (or the client went away): measured once, counted and logged.
      let done = false;
      const finished = () => {
        if (done) return;
        done = true;
        const fields = accessFields(request, response, requestId, startedAt);
        options.metrics?.record({ route: fields.route, method: request.method, status: fields.status, seconds: fields.ms / 1000 });
        if (options.accessLog) options.log?.("request", fields);
      };
      response.once("finish", finished);
      response.once("close", finished);
    }
    stampClientAddress(request, options.trustedProxies, options.proxyNetworks);
    // Before the page cache and Next, so neither ever sees it; refused (404) unless lib/metrics/access.ts permits.
    if (options.metrics && (request.url ?? "/").split(/[?#]/, 1)[0] === "/metrics") {
      const metrics = options.metrics;
      metrics.serve(request, response).catch((error: unknown) => {
        (options.log?.error ?? options.log)?.(`metrics failed: ${(error as Error).message}`, { requestId });
        if (!response.headersSent) refuse(response, 500, "internal", "Something went wrong on our side.");
        else response.destroy();
      });
      return;
    }
    const declared = Number(request.headers["content-length"] ?? 0);
    if (Number.isFinite(declared) && declared > MAX_REQUEST_BODY_BYTES) {
      // Answer at once, then discard what is still arriving for a moment before closing: closing
      // with unread bytes would reset the connection and the client might never read the 413.
      // Discarded bytes take no memory; the client may be sending gigabytes, so not for long.
      response.on("finish", () => {
        let discarded = 0;
        request.on("data", (chunk: Buffer) => {
          discarded += chunk.length;
          if (discarded > LINGER_BYTES) request.destroy();
        });
        const linger = setTimeout(() => request.destroy(), LINGER_MS);
        request.once("end", () => clearTimeout(linger));
        request.once("close", () => clearTimeout(linger));
      });
      return refuse(response, 413, "invalid_request", "The request body is too large.");
    }
    if (!isDecodablePath(request.url ?? "/")) return refuseMalformedUrl(request, response);
    options.beforeHandler?.(request, response);
    const render = () => options.handler(request, response);
    Promise.resolve(options.cache ? options.cache.handle(request, response, render) : render()).catch((error: unknown) => {
      (options.log?.error ?? options.log)?.(`request failed: ${(error as Error).message}`, { requestId });
      if (!response.headersSent) refuse(response, 500, "internal", "Something went wrong on our side.");
      else response.destroy();
    });
  });
}

export function listen(server: http.Server, port: number, hostname?: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, hostname, () => {
      server.off("error", reject);
      resolve(server.address() as AddressInfo);
    });
  });
}
