// A shared cache of whole responses, in the web server in front of Next: a page that has not changed
// is answered from memory, without rendering or a query, for every visitor alike. What may be cached,
// under which key, tags and lifetime, a policy decides per URL (lib/cache/routes.ts); a change to a
// tag drops every page stored under it (lib/cache/listen.ts). Only GET and HEAD of such URLs take
// part. Responses are kept in a byte-bounded LRU; concurrent misses of one key share one render.
//
// Safe by construction: Next sees only the request headers that are part of the key (the ones it
// answers differently on: its RSC and prefetch headers, the encoding, whether the client is a bot
// it renders metadata differently for) and a few it needs; no cookie reaches a cached page, so
// per-person state is fetched by the browser (components/my-votes.tsx). A response that sets a
// cookie is never stored.
import { createHash } from "node:crypto";
import type http from "node:http";
import { getBotType } from "next/dist/shared/lib/router/utils/is-bot";
import { CLIENT_ADDRESS_HEADER, REQUEST_ID_HEADER } from "./client-address";
import { matchesEtag } from "./etag";

export type CachePolicy = {
  /** The URL part of the key (path and normalized query). */
  key: string;
  /** What the page depends on; a change to any of them drops it. */
  tags: readonly string[];
  /** The longest a stored page is served, announcements or not. */
  ttlMs: number;
  /** Sent with the page, for browsers and shared caches in front (a CDN, a reverse proxy). */
  cacheControl: string;
};

export type PageCacheOptions = {
  /** The most bytes of responses kept; least recently used pages go first. */
  maxBytes: number;
  /** Larger responses are served but never stored. */
  maxEntryBytes?: number;
  policy: (url: URL) => CachePolicy | null;
  /**
   * A request that must not be answered from memory (it is rendered and its copy replaces the
   * stored one): a voter's next pages, so they see their own vote before the announcement lands.
   */
  revalidate?: (request: http.IncomingMessage) => boolean;
  now?: () => number;
};

type Entry = {
  status: number;
  headers: http.OutgoingHttpHeaders;
  body: Buffer;
  etag: string;
  tags: readonly string[];
  /** The cache's clock when the render began: a tag changed after it makes the entry stale. */
  version: number;
  storedAt: number;
  expiresAt: number;
  bytes: number;
};

export type CacheStatus = "HIT" | "MISS" | "BYPASS";
export const CACHE_STATUS_HEADER = "x-cache";

/** Request headers Next varies its answer on (RSC payloads, prefetches), plus the encoding. */
const VARY_HEADERS = ["rsc", "next-router-state-tree", "next-router-prefetch", "next-router-segment-prefetch", "next-url", "accept-encoding"] as const;
/** Of a cacheable page's request, Next sees only these (the key's, and what it needs to answer). */
const PASSED_HEADERS = new Set<string>([...VARY_HEADERS, "host", "connection", "accept", "user-agent", "if-none-match", CLIENT_ADDRESS_HEADER]);
const MAX_VARY_VALUE = 4096;
/** A missing page is cached too, so a crawler of made-up ids costs one render per id and lifetime. */
const STORED_STATUSES = new Set([200, 404]);
/** A missing page may exist soon (a paper being ingested, tomorrow's digest): a shared cache keeps it a minute. */
const NOT_FOUND_CACHE_CONTROL = "public, max-age=0, s-maxage=60";
const UNSTORED_HEADERS = new Set(["set-cookie", "connection", "keep-alive", "transfer-encoding", "date", "content-length", "cache-control", "age", CACHE_STATUS_HEADER, REQUEST_ID_HEADER]);
/** Past this many remembered tag changes (every voted paper adds one), the cache starts over. */
const MAX_TAG_VERSIONS = 20_000;
/** How long a request waits for someone else's render of the same page before rendering its own. */
const WAIT_FOR_RENDER_MS = 5_000;

/** A header's value as one text (repeats joined, as HTTP allows), empty when absent. */
export function headerText(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join(", ") : (value ?? "");
}

/** Whether Accept-Encoding takes gzip: named (or `*`) with a q-value above 0 (RFC 9110, 12.5.3). */
export function acceptsGzip(header: string): boolean {
  let star: boolean | undefined;
  for (const part of header.split(",")) {
    const [name = "", ...params] = part.trim().toLowerCase().split(";");
    const q = params.map((param) => /^\s*q\s*=\s*([0-9.]+)\s*$/.exec(param)?.[1]).find((value) => value !== undefined);
    const accepted = q === undefined || Number(q) > 0;
    if (name.trim() === "gzip" || name.trim() === "x-gzip") return accepted;
    if (name.trim() === "*") star = accepted;
  }
  return star ?? false;
}

/** One encoding per key: gzip when the client takes it, else none (Next compresses gzip only). */
function normalizeEncoding(request: http.IncomingMessage): void {
  if (acceptsGzip(headerText(request.headers["accept-encoding"]))) request.headers["accept-encoding"] = "gzip";
  else delete request.headers["accept-encoding"];
}

/**
 * Drops every request header the key does not hold, so nothing else can change what Next renders
 * into a stored page (a cookie, `x-middleware-prefetch`, a CSP nonce, a language).
 */
function keepKeyedHeaders(request: http.IncomingMessage): void {
  for (const name of Object.keys(request.headers)) if (!PASSED_HEADERS.has(name)) delete request.headers[name];
}

/** A request for React's payload (a client-side navigation or a prefetch) rather than a page. */
function isPayloadRequest(request: http.IncomingMessage): boolean {
  return request.headers.rsc !== undefined || request.headers["next-router-prefetch"] !== undefined;
}

function variantKey(urlKey: string, request: http.IncomingMessage): string | null {
  // Next puts a page's metadata in <head> for the bots it lists, and streams it for everyone else.
  const client = getBotType(headerText(request.headers["user-agent"])) ?? "browser";
  const parts = [request.method === "HEAD" ? "GET" : request.method, urlKey, client];
  for (const name of VARY_HEADERS) {
    const value = headerText(request.headers[name]);
    if (value.length > MAX_VARY_VALUE) return null;
    parts.push(value);
  }
  return parts.join("\n");
}

function chunkBuffer(chunk: unknown, encoding: unknown): Buffer | null {
  if (typeof chunk === "string") return Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8");
  if (chunk instanceof Uint8Array) return Buffer.from(chunk);
  return null;
}

/**
 * The Cache-Control of a cacheable page's answer, or undefined to keep the route's own (errors, and
 * an answer whose renderer set a cookie). A cookie set for this request before it reached the page
 * (a visitor cookie) keeps that one answer private.
 */
function sharedCacheControl(status: number, policy: CachePolicy, payload: boolean, cookieBefore: string, cookieNow: string): string | undefined {
  if (!STORED_STATUSES.has(status) || cookieNow !== cookieBefore) return undefined;
  // React's payload sits at the page's URL: a shared cache that ignores Vary would serve it as the page.
  if (cookieBefore || payload) return "private, no-store";
  return status === 404 ? NOT_FOUND_CACHE_CONTROL : policy.cacheControl;
}

/** What a stored copy may be: the page, or React's payload when that is what was asked for. */
function isExpectedBody(payload: boolean, headers: http.OutgoingHttpHeaders): boolean {
  if (headers["x-middleware-skip"] !== undefined) return false;
  const type = headerText(headers["content-type"] as string | string[] | undefined);
  return payload === type.startsWith("text/x-component");
}

/**
 * What a 304 carries of the page's headers: those RFC 9110 (15.4.5) asks for, and CORS's, without
 * which a browser fails another site's conditional request.
 */
const NOT_MODIFIED_HEADERS = new Set([
  "cache-control",
  "content-location",
  "date",
  "etag",
  "expires",
  "vary",
  "set-cookie",
  "access-control-allow-origin",
  "access-control-expose-headers",
  CACHE_STATUS_HEADER,
  REQUEST_ID_HEADER,
]);

function notModifiedHeaders(headers: http.OutgoingHttpHeaders): http.OutgoingHttpHeaders {
  const kept: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) if (NOT_MODIFIED_HEADERS.has(name) && value !== undefined) kept[name] = value;
  return kept;
}

/**
 * A route's own ETag as the copy stores it: one validator per encoding (RFC 9110, 8.8.3), so a
 * strong one gets the encoding's name. Undefined when the route gave none (the copy then makes one).
 */
function storedEtag(headers: http.OutgoingHttpHeaders): string | undefined {
  const given = headers.etag;
  if (typeof given !== "string") return undefined;
  const encoding = headerText(headers["content-encoding"] as string | string[] | undefined);
  return encoding && !given.startsWith("W/") ? given.replace(/"$/, `-${encoding}"`) : given;
}

/** Headers given to writeHead, set on the response so that getHeaders() sees them all (repeats kept). */
function applyGivenHeaders(response: http.ServerResponse, given: unknown): void {
  if (Array.isArray(given)) {
    const pairs: [string, string][] = Array.isArray(given[0])
      ? (given as [string, string][])
      : given.flatMap((_, i) => (i % 2 === 0 ? [[String(given[i]), String(given[i + 1])] as [string, string]] : []));
    const grouped = new Map<string, string[]>();
    for (const [name, value] of pairs) grouped.set(name.toLowerCase(), [...(grouped.get(name.toLowerCase()) ?? []), value]);
    for (const [name, values] of grouped) response.setHeader(name, values.length === 1 ? values[0]! : values);
  } else if (given && typeof given === "object") {
    for (const [name, value] of Object.entries(given as http.OutgoingHttpHeaders)) if (value !== undefined) response.setHeader(name, value);
  }
}

export class PageCache {
  private readonly entries = new Map<string, Entry>();
  private readonly tagVersions = new Map<string, number>();
  private readonly rendering = new Map<string, Promise<Entry | undefined>>();
  private bytes = 0;
  private clock = 0;
  /** Entries older than this were stored before the last clear. */
  private clearedAt = 0;
  private enabled = false;
  private readonly maxEntryBytes: number;
  private readonly now: () => number;
  readonly stats = { hits: 0, misses: 0, bypasses: 0, stored: 0, invalidations: 0, clears: 0 };

  constructor(private readonly options: PageCacheOptions) {
    this.maxEntryBytes = options.maxEntryBytes ?? Math.min(4 * 1024 * 1024, options.maxBytes);
    this.now = options.now ?? Date.now;
  }

  /**
   * Serves or stores only while enabled: the listener turns it on once it hears every change, and
   * off (emptying it) when it may have missed one.
   */
  setEnabled(enabled: boolean): void {
    this.clear();
    this.enabled = enabled && this.options.maxBytes > 0;
  }

  get isEnabled(): boolean {
    return this.enabled;
  }

  /** Pages stored under any of these tags are stale from now on, including renders under way. */
  invalidate(tags: Iterable<string>): void {
    const version = ++this.clock;
    for (const tag of tags) this.tagVersions.set(tag, version);
    this.stats.invalidations += 1;
    if (this.tagVersions.size > MAX_TAG_VERSIONS) this.clear();
  }

  /** Forgets every page, and every render under way is not stored. */
  clear(): void {
    this.entries.clear();
    this.tagVersions.clear();
    this.bytes = 0;
    this.clearedAt = ++this.clock;
    this.stats.clears += 1;
  }

  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  /** Answers the request from the cache, or lets `render` (Next) answer it and keeps what it sent. */
  async handle(request: http.IncomingMessage, response: http.ServerResponse, render: () => Promise<void> | void): Promise<void> {
    if (request.method !== "GET" && request.method !== "HEAD") return render();
    const policy = this.options.policy(new URL(request.url ?? "/", "http://localhost"));
    if (!policy) return render();
    const revalidate = this.options.revalidate?.(request) ?? false;
    normalizeEncoding(request);
    keepKeyedHeaders(request);
    const payload = isPayloadRequest(request);
    const key = this.enabled ? variantKey(policy.key, request) : null;
    if (!key) return this.bypass(response, policy, payload, render);

    const stored = revalidate ? undefined : this.lookup(key);
    if (stored) return this.serve(request, response, stored, policy, payload);
    const running = revalidate ? undefined : this.rendering.get(key);
    if (running) {
      let timer: Parameters<typeof clearTimeout>[0];
      const gaveUp = new Promise<undefined>((resolve) => (timer = setTimeout(resolve, WAIT_FOR_RENDER_MS)));
      const entry = await Promise.race([running, gaveUp]);
      clearTimeout(timer);
      // The render waited for is served even if a change made it stale while it ran (it is then not
      // stored): at most one render old, and a crowd arriving during a vote does not stampede.
      return entry ? this.serve(request, response, entry, policy, payload) : this.bypass(response, policy, payload, render);
    }
    if (request.method === "HEAD") return this.bypass(response, policy, payload, render);

    this.stats.misses += 1;
    const captured = this.capture(key, policy, payload, response, headerText(request.headers["if-none-match"]));
    this.rendering.set(key, captured);
    void captured.finally(() => this.rendering.delete(key));
    // The stored copy must be a whole page: Next answers a conditional request with a bodiless 304.
    // The client still gets its 304 when the page it has is the one rendered (capture sees to it).
    delete request.headers["if-none-match"];
    delete request.headers["if-modified-since"];
    return render();
  }

  /** Next answers, uncopied, with the same Cache-Control a stored copy would carry. */
  private bypass(response: http.ServerResponse, policy: CachePolicy, payload: boolean, render: () => Promise<void> | void): Promise<void> | void {
    this.stats.bypasses += 1;
    response.setHeader(CACHE_STATUS_HEADER, "BYPASS");
    const cookieBefore = headerText(response.getHeader("set-cookie") as string | string[] | undefined);
    const writeHead = response.writeHead;
    response.writeHead = function (this: http.ServerResponse, statusCode: number, ...rest: unknown[]) {
      const given = typeof rest[0] === "string" ? rest[1] : rest[0];
      applyGivenHeaders(this, given);
      const cacheControl = sharedCacheControl(statusCode, policy, payload, cookieBefore, headerText(this.getHeader("set-cookie") as string | string[] | undefined));
      if (cacheControl) this.setHeader("cache-control", cacheControl);
      const write = writeHead as (this: http.ServerResponse, status: number, message?: string) => http.ServerResponse;
      return typeof rest[0] === "string" ? write.call(this, statusCode, rest[0]) : write.call(this, statusCode);
    } as typeof response.writeHead;
    return render();
  }

  private isStale(entry: Entry): boolean {
    if (entry.version < this.clearedAt || entry.expiresAt <= this.now()) return true;
    return entry.tags.some((tag) => (this.tagVersions.get(tag) ?? 0) > entry.version);
  }

  private lookup(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (this.isStale(entry)) {
      this.bytes -= entry.bytes;
      return undefined;
    }
    this.entries.set(key, entry); // most recently used
    return entry;
  }

  private store(key: string, entry: Entry): void {
    if (this.isStale(entry) || entry.bytes > this.maxEntryBytes) return;
    const previous = this.entries.get(key);
    if (previous) {
      this.entries.delete(key);
      this.bytes -= previous.bytes;
    }
    this.entries.set(key, entry);
    this.bytes += entry.bytes;
    this.stats.stored += 1;
    for (const [oldKey, old] of this.entries) {
      if (this.bytes <= this.options.maxBytes) break;
      this.entries.delete(oldKey);
      this.bytes -= old.bytes;
    }
  }

  private serve(request: http.IncomingMessage, response: http.ServerResponse, entry: Entry, policy: CachePolicy, payload: boolean): void {
    this.stats.hits += 1;
    // A visitor cookie set for this request (anonymous voting) keeps this one answer private. No
    // Age: this copy is exact until a change drops it, however long ago it was rendered.
    const cookie = headerText(response.getHeader("set-cookie") as string | string[] | undefined);
    const cacheControl = sharedCacheControl(entry.status, policy, payload, cookie, cookie) ?? "private, no-store";
    const common = { "cache-control": cacheControl, etag: entry.etag, [CACHE_STATUS_HEADER]: "HIT" satisfies CacheStatus };
    if (entry.status === 200 && matchesEtag(headerText(request.headers["if-none-match"]), entry.etag)) {
      response.writeHead(304, "Not Modified", { ...notModifiedHeaders(entry.headers), ...common });
      response.end();
      return;
    }
    response.writeHead(entry.status, { ...entry.headers, ...common, "content-length": entry.body.length });
    if (request.method === "HEAD") response.end();
    else response.end(entry.body);
  }

  /**
   * Lets the response through unchanged (but for its Cache-Control), keeping a copy of what it sends.
   * A route's own ETag goes out as it is stored; when it is the one the client sent (`ifNoneMatch`),
   * the client gets a bodiless 304 while the whole page is still kept.
   */
  private capture(key: string, policy: CachePolicy, payload: boolean, response: http.ServerResponse, ifNoneMatch: string): Promise<Entry | undefined> {
    const version = this.clock;
    const cookieBefore = headerText(response.getHeader("set-cookie") as string | string[] | undefined);
    response.setHeader(CACHE_STATUS_HEADER, "MISS" satisfies CacheStatus);
    const chunks: Buffer[] = [];
    let size = 0;
    let storable = true;
    const keep = (chunk: unknown, encoding: unknown) => {
      if (!storable) return;
      const buffer = chunkBuffer(chunk, encoding);
      if (!buffer) return;
      size += buffer.length;
      if (size > this.maxEntryBytes) {
        storable = false;
        chunks.length = 0;
      } else chunks.push(buffer);
    };

    /**
     * The headers of a page the client already has: it gets a 304 once Next has ended the page (so
     * it stays connected until the copy is whole, as for a 200), and the stored copy keeps them all.
     */
    let notModified: http.OutgoingHttpHeaders | undefined;
    const writeHead = response.writeHead;
    response.writeHead = function (this: http.ServerResponse, statusCode: number, ...rest: unknown[]) {
      // Held back for a 304: Next's compression asks again before each chunk (no header is out yet).
      // Another status now (an error answer after a body that broke off) is kept for the end.
      if (notModified) {
        if (statusCode !== 200) {
          applyGivenHeaders(this, typeof rest[0] === "string" ? rest[1] : rest[0]);
          this.statusCode = statusCode;
        }
        return this;
      }
      // Headers given to writeHead join the ones set before, so the copy sees them all.
      applyGivenHeaders(this, typeof rest[0] === "string" ? rest[1] : rest[0]);
      const cookieNow = headerText(this.getHeader("set-cookie") as string | string[] | undefined);
      const cacheControl = sharedCacheControl(statusCode, policy, payload, cookieBefore, cookieNow);
      if (cacheControl) this.setHeader("cache-control", cacheControl);
      if (!STORED_STATUSES.has(statusCode) || cookieNow !== cookieBefore) storable = false;
      const headers = this.getHeaders();
      const etag = storedEtag(headers);
      if (etag) this.setHeader("etag", (headers.etag = etag));
      const write = writeHead as (this: http.ServerResponse, status: number, message?: string) => http.ServerResponse;
      if (statusCode === 200 && etag && matchesEtag(ifNoneMatch, etag)) {
        notModified = headers;
        return this;
      }
      return typeof rest[0] === "string" ? write.call(this, statusCode, rest[0]) : write.call(this, statusCode);
    } as typeof response.writeHead;
    // A conditional request's answer is settled before its first byte: a 304, or the page.
    const settle304 = (): void => {
      if (ifNoneMatch && !response.headersSent && !notModified) response.writeHead(response.statusCode);
    };
    const sendNotModified = (): void => {
      const kept = notModifiedHeaders(response.getHeaders());
      for (const name of response.getHeaderNames()) if (!(name in kept)) response.removeHeader(name);
      (writeHead as (this: http.ServerResponse, status: number, message: string) => http.ServerResponse).call(response, 304, "Not Modified");
    };
    // Headers held back for a 304 are not flushed before the page has ended.
    const flushHeaders = response.flushHeaders;
    response.flushHeaders = function (this: http.ServerResponse) {
      settle304();
      if (!notModified) flushHeaders.call(this);
    };

    const write = response.write;
    response.write = function (this: http.ServerResponse, chunk: unknown, ...rest: unknown[]) {
      settle304();
      keep(chunk, rest[0]);
      if (notModified) {
        const done = rest.find((arg) => typeof arg === "function") as (() => void) | undefined;
        if (done) process.nextTick(done);
        return true;
      }
      return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
    } as typeof response.write;

    let settle: (entry: Entry | undefined) => void = () => undefined;
    const settled = new Promise<Entry | undefined>((resolve) => (settle = resolve));
    // Settled when Next has written the whole body, not when the client has read it: a slow reader
    // holds up no one waiting for this page.
    let ended = false;
    let abandoned = false;
    const finish = (): void => {
      if (ended) return;
      ended = true;
      if (abandoned) return;
      const status = notModified ? 200 : response.statusCode;
      const headers: http.OutgoingHttpHeaders = {};
      for (const [name, value] of Object.entries(notModified ?? response.getHeaders())) if (!UNSTORED_HEADERS.has(name) && value !== undefined) headers[name] = value;
      if (!storable || !STORED_STATUSES.has(status) || !isExpectedBody(payload, headers)) return settle(undefined);
      const body = Buffer.concat(chunks);
      const given = headers.etag;
      const etag = typeof given === "string" ? given : `W/"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
      delete headers.etag;
      const storedAt = this.now();
      const entry: Entry = { status, headers, body, etag, tags: policy.tags, version, storedAt, expiresAt: storedAt + policy.ttlMs, bytes: body.length + key.length + 512 };
      this.store(key, entry);
      settle(entry);
    };

    const end = response.end;
    response.end = function (this: http.ServerResponse, chunk?: unknown, ...rest: unknown[]) {
      settle304();
      if (typeof chunk !== "function") keep(chunk, rest[0]);
      if (notModified && !this.headersSent) {
        if (this.statusCode === 200 && !this.destroyed) sendNotModified();
        else {
          // The page did not end as the one the client has: no 304 and no copy, Next's answer as it is.
          storable = false;
          notModified = undefined;
          (writeHead as (this: http.ServerResponse, status: number) => http.ServerResponse).call(this, this.statusCode);
        }
      }
      const result = notModified
        ? (end as (...args: unknown[]) => http.ServerResponse).call(this, ...[chunk, ...rest].filter((arg) => typeof arg === "function"))
        : (end as (...args: unknown[]) => http.ServerResponse).call(this, chunk, ...rest);
      finish();
      return result;
    } as typeof response.end;
    // An answer cut short before Next ended it (the client left) is not stored.
    response.once("close", () => {
      if (!ended) abandoned = true;
      settle(undefined);
    });
    return settled;
  }
}
