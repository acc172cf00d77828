// Request bodies are read up to a cap: a 400 MB body, announced or streamed, is refused after at
// most the cap plus one chunk, and its stream is cancelled.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ApiError, readBodyCapped, readJsonBody } from "@/lib/api/respond";
import { CHUNK, HUGE, lazyBody, streamed } from "../../lazy-body";

function post(body: ReadableStream<Uint8Array>, headers: Record<string, string> = {}): Request {
  return new Request("http://localhost/api/subscribe", streamed(body, headers));
}

async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe("readBodyCapped", () => {
  const cap = 16 * 1024;

  it("refuses a 400 MB body by its Content-Length without reading any of it", async () => {
    const { stream, state } = lazyBody(HUGE);
    const error = await refusal(readBodyCapped(post(stream, { "content-length": String(HUGE) }), cap));
    expect(error).toMatchObject({ status: 413, code: "invalid_request" });
    expect(state).toEqual({ pulled: 0, cancelled: true });
  });

  it.each([
    ["without a Content-Length", {}],
    ["with a Content-Length that understates it", { "content-length": "100" }],
  ])("refuses a streamed 400 MB body %s once the cap is passed, pulling at most one chunk more", async (_, headers) => {
    for (const limit of [cap, 1024 * 1024]) {
      const { stream, state } = lazyBody(HUGE);
      const error = await refusal(readBodyCapped(post(stream, headers), limit));
      expect(error.status).toBe(413);
      expect(state.cancelled).toBe(true);
      expect(state.pulled).toBeGreaterThan(limit);
      expect(state.pulled).toBeLessThanOrEqual(limit + CHUNK);
    }
  });

  it("accepts a body just under the cap, whole", async () => {
    const limit = 3 * CHUNK + 100;
    const { stream } = lazyBody(limit - 1, 0x61);
    const bytes = await readBodyCapped(post(stream), limit);
    expect(bytes.byteLength).toBe(limit - 1);
    expect(bytes.every((byte) => byte === 0x61)).toBe(true);
    expect((await readBodyCapped(new Request("http://localhost/", { method: "POST", body: "x".repeat(limit) }), limit)).byteLength).toBe(limit);
  });

  it("reads an empty body as no bytes", async () => {
    expect((await readBodyCapped(new Request("http://localhost/", { method: "POST" }), cap)).byteLength).toBe(0);
  });
});

describe("readJsonBody", () => {
  const schema = z.object({ email: z.string() });
  const options = { maxBytes: 10_000, example: '{"email": "…"}' };
  const json = { "content-type": "application/json" };

  it("answers 413 for a streamed 400 MB JSON body, with and without Content-Length, reading at most the cap plus one chunk", async () => {
    for (const headers of [json, { ...json, "content-length": String(HUGE) }]) {
      const { stream, state } = lazyBody(HUGE);
      const error = await refusal(readJsonBody(post(stream, headers), schema, options));
      expect(error.status).toBe(413);
      expect(state.pulled).toBeLessThanOrEqual(options.maxBytes + CHUNK);
      expect(state.cancelled).toBe(true);
    }
  });

  it("counts bytes, not characters, and accepts a body just under the cap", async () => {
    const fits = JSON.stringify({ email: "é".repeat(4_990) });
    expect(new TextEncoder().encode(fits).byteLength).toBeLessThan(options.maxBytes);
    const request = (body: string) => new Request("http://localhost/", { method: "POST", body, headers: json });
    expect(await readJsonBody(request(fits), schema, options)).toEqual({ email: "é".repeat(4_990) });
    // 5,010 characters, but 10,000-odd bytes.
    const over = JSON.stringify({ email: "é".repeat(5_000) });
    expect((await refusal(readJsonBody(request(over), schema, options))).status).toBe(413);
  });
});
