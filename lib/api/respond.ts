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
