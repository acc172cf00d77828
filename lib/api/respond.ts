// JSON responses of the public API: one error shape, 4xx for bad input, never a stack trace.
import { NextResponse } from "next/server";
import { z } from "zod";

export type ApiErrorCode = "invalid_request" | "not_found" | "rate_limited" | "unavailable" | "internal";

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
 * Reads a JSON request body checked by `schema`: 415 when it is not JSON (`example` shows what to
 * send), 413 past `maxChars`, 400 for malformed JSON or the first invalid field (named).
 */
export async function readJsonBody<T extends z.ZodType>(request: Request, schema: T, options: { maxChars: number; example: string }): Promise<z.infer<T>> {
  if (!(request.headers.get("content-type") ?? "").toLowerCase().startsWith("application/json")) {
    throw new ApiError(415, "invalid_request", `Send JSON: Content-Type: application/json with ${options.example}`);
  }
  const text = await request.text();
  if (text.length > options.maxChars) throw new ApiError(413, "invalid_request", "The request body is too large.");
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
