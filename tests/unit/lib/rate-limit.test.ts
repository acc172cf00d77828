// consumeLimits' reading of a limiter's answer. Its counting against the real stores is in
// tests/integration/rate-limit.test.ts.
import type { RateLimiterAbstract } from "rate-limiter-flexible";
import { afterEach, describe, expect, it } from "vitest";
import { consumeLimits, resetLimiters } from "@/lib/rate-limit";

const LIMIT = { points: 2, duration: 60, store: "memory" } as const;

/** Puts a limiter that answers `consume` with `answer` where consumeLimits looks for the limit named "api-ip". */
function limiterAnswering(answer: () => Promise<unknown>): void {
  const limiters = new Map<string, RateLimiterAbstract>([["api-ip:2/60:memory", { consume: answer } as unknown as RateLimiterAbstract]]);
  (globalThis as { trendingPapersLimiters?: Map<string, RateLimiterAbstract> }).trendingPapersLimiters = limiters;
}

afterEach(() => resetLimiters());

describe("consumeLimits", () => {
  it("takes a used-up answer from another copy of the limiter package (a plain result, not this copy's class) as a refusal", async () => {
    // What Next's bundled copy rejects with, as the web server's own copy sees it.
    limiterAnswering(() => Promise.reject({ msBeforeNext: 4_200, remainingPoints: 0, consumedPoints: 3, isFirstInDuration: false }));
    expect(await consumeLimits([{ name: "api-ip", limit: LIMIT, key: "198.51.100.7" }])).toEqual({ ok: false, reason: "exhausted", limit: "api-ip", retryAfterSeconds: 5 });
  });

  it("lets a store's error through (an error is not a refusal)", async () => {
    limiterAnswering(() => Promise.reject(Object.assign(new Error("connection refused"), { msBeforeNext: 1 })));
    await expect(consumeLimits([{ name: "api-ip", limit: LIMIT, key: "198.51.100.7" }])).rejects.toThrow("connection refused");
  });

  it("passes when every limit takes its point", async () => {
    limiterAnswering(() => Promise.resolve({ msBeforeNext: 60_000, remainingPoints: 1 }));
    expect(await consumeLimits([{ name: "api-ip", limit: LIMIT, key: "198.51.100.7" }])).toEqual({ ok: true });
  });
});
