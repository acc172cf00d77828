// JSON requests and responses of the API: bodies read up to a cap, one error shape, 4xx for bad
// input, never a stack trace.
import { NextResponse } from "next/server";
import { z } from "zod";
import { env } from "@/lib/env";
import type { LimitRefused } from "@/lib/rate-limit";

export type ApiErrorCode = "invalid_request" | "sign_in_required" | "not_found" | "rate_limited" | "unavailable" | "internal";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function jsonError(status: number, code: ApiErrorCode, message: string): NextResponse {
  return NextResponse.json({ error: { code, message } }, { status, headers: { "Cache-Control": "no-store" } });
}

/**
 * 429 with Retry-After for a refused limit: `message` when it was used up, and when the caller could
 * not be told apart (e.g. no client address) a message that says so.
 */
export function limitedResponse(check: LimitRefused, message: string): NextResponse {
  const text = check.reason === "unknown-key" ? "We could not tell where this request came from, so it was refused." : message;
  const response = jsonError(429, "rate_limited", text);
  response.headers.set("Retry-After", String(check.retryAfterSeconds));
  return response;
}

/**
 * A browser sends Origin on a POST or PUT; one from another site is refused (403), on top of the
 * cookies' SameSite=Lax, for the endpoints that act on a session.
 */
export function checkSameOrigin(request: Request & { nextUrl: URL }, message: string): void {
  const origin = request.headers.get("origin");
  if (origin && origin !== new URL(env.APP_URL).origin && origin !== request.nextUrl.origin) throw new ApiError(403, "invalid_request", message);
}

/** Validates URL query parameters; the first problem becomes a 400 naming the parameter. */
export function parseQuery<T extends z.ZodType>(schema: T, params: URLSearchParams | Record<string, unknown>): z.infer<T> {
  const result = schema.safeParse(params instanceof URLSearchParams ? Object.fromEntries(params) : params);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.join(".") || "query";
    throw new ApiError(400, "invalid_request", `${where}: ${issue?.message ?? "invalid"}`);
  }
  return result.data;
}

/**
 * The request body, refused with a 413 past `maxBytes` without reading more than that: at once when
 * its Content-Length says so, else as soon as the bytes read pass the cap (a body sent in chunks,
 * or a Content-Length that lies). The rest of the stream is cancelled, never buffered.
 */
export async function readBodyCapped(request: Request, maxBytes: number): Promise<Uint8Array> {
  const tooLarge = new ApiError(413, "invalid_request", `The request body is too large (at most ${maxBytes} bytes).`);
  const length = request.headers.get("content-length")?.trim();
  if (length && /^\d+$/.test(length) && Number(length) > maxBytes) {
    await request.body?.cancel().catch(() => undefined);
    throw tooLarge;
  }
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}

/**
 * Reads a JSON request body checked by `schema`: 415 when it is not JSON (`example` shows what to
 * send), 413 past `maxBytes` (readBodyCapped), 400 for malformed JSON or the first invalid field (named).
 */
export async function readJsonBody<T extends z.ZodType>(request: Request, schema: T, options: { maxBytes: number; example: string }): Promise<z.infer<T>> {
  if (!(request.headers.get("content-type") ?? "").toLowerCase().startsWith("application/json")) {
    throw new ApiError(415, "invalid_request", `Send JSON: Content-Type: application/json with ${options.example}`);
  }
  const text = new TextDecoder().decode(await readBodyCapped(request, options.maxBytes));
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ApiError(400, "invalid_request", "The body is not valid JSON.");
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ApiError(400, "invalid_request", `${issue?.path.join(".") || "body"}: ${issue?.message ?? "invalid"}`);
  }
  return result.data;
}

const CONNECTION_ERRORS = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "57P01", "57P03", "53300"]);

/** Runs a handler; known errors become their JSON error, anything else a logged 500 without details. */
export async function handle(run: () => Promise<NextResponse>): Promise<NextResponse> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ApiError) return jsonError(error.status, error.code, error.message);
    const code = (error as { code?: string }).code;
    console.error("API error:", error);
    if (code && CONNECTION_ERRORS.has(code)) return jsonError(503, "unavailable", "The database is unavailable; try again shortly.");
    return jsonError(500, "internal", "Something went wrong on our side.");
  }
}
