// Polite HTTP for the live sources: one request at a time per host across processes (see gate.ts),
// a User-Agent naming the app and a contact, timeouts, Retry-After honoured on 503 and 429, doubling
// waits after other temporary failures, and a bounded number of retries before giving up.
import type pg from "pg";
import { env } from "@/lib/env";
import { GateClosedError, sleep, throughGate } from "./gate";

export type FetchPolicy = {
  /** Requests sharing a gate are spaced and serialised together (arXiv's API and OAI-PMH share "arxiv.org"). */
  gate: string;
  minIntervalMs: number;
  timeoutMs?: number;
  maxRetries?: number;
  retryMs?: number;
  maxRetryAfterMs?: number;
  /** Checks a 200 body (well-formed XML of the expected kind, JSON); a message means "bad body, try again". */
  check?: (body: string, contentType: string) => string | null;
  log?: (message: string) => void;
  signal?: AbortSignal;
};

/** A request that failed for good: the URL, the last answer or error, and how many tries it took. */
export class FetchError extends Error {
  constructor(
    message: string,
    readonly url: string,
    readonly status: number | null,
    readonly attempts: number,
  ) {
    super(message);
    this.name = "FetchError";
  }
}

export function userAgent(): string {
  const contact = env.CONTACT_EMAIL ?? /<([^>]+)>/.exec(env.MAIL_FROM)?.[1] ?? env.MAIL_FROM;
  return `TrendingPapers/0.1 (+${env.APP_URL}; mailto:${contact})`;
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (value === null || value.trim() === "") return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // An HTTP date names its day and month ("Fri, 27 Nov 2026 12:00:30 GMT").
  if (!/^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(trimmed)) return null;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

type Attempt =
  | { ok: true; body: string }
  | { ok: "redirect"; location: string }
  | { ok: false; retry: boolean; status: number | null; reason: string; retryAfterMs: number | null };

const TEMPORARY_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);
const MAX_REDIRECTS = 5;

/** The page's <title>, so an HTML error page is reported by what it says. */
function htmlTitle(body: string): string | null {
  const title = /<title[^>]*>([^<]{1,200})<\/title>/i.exec(body)?.[1];
  return title ? title.replace(/\s+/g, " ").trim() : null;
}

function describeBody(body: string, contentType: string): string {
  if (/html/i.test(contentType) || /^\s*<(!doctype html|html)/i.test(body)) {
    const title = htmlTitle(body);
    return `an HTML page${title ? ` ("${title}")` : ""}`;
  }
  return `${body.length} bytes of ${contentType || "unknown type"}`;
}

async function attempt(url: string, policy: FetchPolicy): Promise<Attempt> {
  const timeout = AbortSignal.timeout(policy.timeoutMs ?? env.FETCH_TIMEOUT_MS);
  const signal = policy.signal ? AbortSignal.any([policy.signal, timeout]) : timeout;
  let response: Response;
  let body: string;
  try {
    // Redirects are followed by the caller, each through the gate: a redirect is a request too.
    response = await fetch(url, { headers: { "user-agent": userAgent(), accept: "application/xml, application/json;q=0.9, */*;q=0.1" }, signal, redirect: "manual" });
    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      return { ok: "redirect", location: new URL(location, url).toString() };
    }
    // The body is read under the same timeout: a server that stalls mid-body counts as a timeout.
    body = await response.text();
  } catch (error) {
    if (policy.signal?.aborted) throw error;
    const reason = timeout.aborted ? `no answer within ${policy.timeoutMs ?? env.FETCH_TIMEOUT_MS} ms` : networkReason(error);
    return { ok: false, retry: true, status: null, reason, retryAfterMs: null };
  }
  const contentType = response.headers.get("content-type") ?? "";
  if (response.ok) {
    const problem = policy.check?.(body, contentType) ?? null;
    if (problem === null) return { ok: true, body };
    return { ok: false, retry: true, status: response.status, reason: `unusable answer (${describeBody(body, contentType)}): ${problem}`, retryAfterMs: null };
  }
  const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
  const reason = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""} (${describeBody(body, contentType)})`;
  return { ok: false, retry: TEMPORARY_STATUS.has(response.status), status: response.status, reason, retryAfterMs };
}

function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const detail = cause?.code ?? cause?.message;
  return `network error: ${(error as Error).message}${detail ? ` (${detail})` : ""}`;
}

/**
 * GETs `url` through the host's gate and returns the body of a good answer. Temporary failures
 * (timeouts, network errors, 408/425/429/5xx, bodies `check` rejects) are retried up to `maxRetries`
 * times: after Retry-After when the server sends one (it holds the gate for every process), after
 * `retryMs`, doubling, otherwise. A Retry-After beyond `maxRetryAfterMs`, other 4xx answers and the
 * last failure throw a FetchError.
 */
export async function politeFetch(pool: pg.Pool, url: string, policy: FetchPolicy): Promise<string> {
  const maxRetries = policy.maxRetries ?? env.FETCH_MAX_RETRIES;
  const retryMs = policy.retryMs ?? env.FETCH_RETRY_MS;
  const maxRetryAfterMs = policy.maxRetryAfterMs ?? env.FETCH_MAX_RETRY_AFTER_MS;
  const gate = { minIntervalMs: policy.minIntervalMs, maxWaitMs: maxRetryAfterMs, signal: policy.signal };
  let target = url;
  let redirects = 0;
  for (let tries = 1; ; tries++) {
    let result: Attempt;
    try {
      result = await throughGate(pool, policy.gate, gate, async () => {
        const outcome = await attempt(target, policy);
        // The server's Retry-After holds the gate for every process, in full, even when it is
        // longer than this fetch will wait: nobody asks again before the server said to.
        return { value: outcome, holdMs: outcome.ok === false && outcome.retryAfterMs !== null ? outcome.retryAfterMs : 0 };
      });
    } catch (error) {
      if (error instanceof GateClosedError) throw new FetchError(`${url}: ${error.message}, over the ${Math.round(maxRetryAfterMs / 1000)} s limit`, url, null, tries - 1);
      throw error;
    }
    if (result.ok === true) return result.body;
    if (result.ok === "redirect") {
      if (++redirects > MAX_REDIRECTS) throw new FetchError(`${url}: more than ${MAX_REDIRECTS} redirects`, url, null, tries);
      target = result.location;
      tries -= 1;
      continue;
    }
    if (!result.retry) throw new FetchError(`${url}: ${result.reason}`, url, result.status, tries);
    if (result.retryAfterMs !== null && result.retryAfterMs > maxRetryAfterMs) {
      throw new FetchError(`${url}: ${result.reason}; the server asks to wait ${Math.round(result.retryAfterMs / 1000)} s, over the ${Math.round(maxRetryAfterMs / 1000)} s limit`, url, result.status, tries);
    }
    if (tries > maxRetries) throw new FetchError(`${url}: ${result.reason} (gave up after ${tries} tries)`, url, result.status, tries);
    // With Retry-After the gate itself keeps every process waiting; otherwise back off here.
    const wait = result.retryAfterMs !== null ? 0 : retryMs * 2 ** (tries - 1);
    policy.log?.(`${url}: ${result.reason}; retry ${tries} of ${maxRetries}${result.retryAfterMs !== null ? ` after the server's Retry-After (${Math.round(result.retryAfterMs / 1000)} s)` : ` in ${wait < 1_000 ? `${wait} ms` : `${Math.round(wait / 1000)} s`}`}`);
    if (wait > 0) await sleep(wait, policy.signal);
  }
}

