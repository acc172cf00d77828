import { describe, expect, it } from "vitest";
import { admit, breakerState, CLOSED, MAX_BACKOFF, recordFailure, recordSuccess, type Breaker } from "@/lib/search/breaker";

const options = { openMs: 30_000 };
const T0 = Date.UTC(2026, 6, 1, 12, 0, 0);

/** The breaker right after one failure at T0 while closed. */
function opened(): Breaker {
  return recordFailure(CLOSED, T0, null, options);
}

/** Lets the probe through at `now` and fails it at `failedAt`. */
function failProbe(breaker: Breaker, now: number, failedAt = now + 1_500): Breaker {
  const admission = admit(breaker, now, options);
  expect(admission).toMatchObject({ allowed: true, probe: now });
  return recordFailure(admission.breaker, failedAt, admission.probe, options);
}

describe("circuit breaker", () => {
  it("lets every search through while closed", () => {
    expect(breakerState(CLOSED, T0)).toBe("closed");
    expect(admit(CLOSED, T0, options)).toEqual({ breaker: CLOSED, allowed: true, probe: null });
  });

  it("opens on a failure and skips the engine until the open period ends", () => {
    const breaker = opened();
    expect(breaker).toEqual({ trips: 1, openUntil: T0 + 30_000, probeSince: null, lastFailureAt: T0 });
    expect(breakerState(breaker, T0 + 29_999)).toBe("open");
    expect(admit(breaker, T0 + 1, options)).toMatchObject({ allowed: false, probe: null });
    expect(admit(breaker, T0 + 29_999, options)).toMatchObject({ allowed: false, probe: null });
    expect(breakerState(breaker, T0 + 30_000)).toBe("half-open");
  });

  it("when half-open lets exactly one probe through; concurrent searches keep skipping the engine", () => {
    const probe = admit(opened(), T0 + 30_000, options);
    expect(probe).toMatchObject({ allowed: true, probe: T0 + 30_000 });
    expect(probe.breaker.probeSince).toBe(T0 + 30_000);
    expect(admit(probe.breaker, T0 + 30_001, options)).toMatchObject({ allowed: false, probe: null });
    expect(admit(probe.breaker, T0 + 31_500, options)).toMatchObject({ allowed: false, probe: null });
    expect(breakerState(probe.breaker, T0 + 30_001)).toBe("half-open");
  });

  it("closes when the probe succeeds, remembering when the engine last failed", () => {
    const probe = admit(opened(), T0 + 30_000, options);
    const closed = recordSuccess(probe.breaker);
    expect(closed).toEqual({ ...CLOSED, lastFailureAt: T0 });
    expect(admit(closed, T0 + 30_001, options)).toMatchObject({ allowed: true, probe: null });
  });

  it("reopens for twice as long each time the probe fails, up to MAX_BACKOFF times the first period", () => {
    let breaker = opened();
    let now = T0;
    const periods: number[] = [];
    for (let i = 0; i < 6; i++) {
      now = breaker.openUntil!;
      breaker = failProbe(breaker, now);
      periods.push(breaker.openUntil! - (now + 1_500));
      expect(breaker.lastFailureAt).toBe(now + 1_500);
    }
    expect(periods).toEqual([60_000, 120_000, 240_000, 240_000, 240_000, 240_000]);
    expect(MAX_BACKOFF * options.openMs).toBe(240_000);
    // A success after all that starts over at the first period.
    const closed = recordSuccess(admit(breaker, breaker.openUntil!, options).breaker);
    expect(recordFailure(closed, now + 10, null, options).openUntil).toBe(now + 10 + 30_000);
  });

  it("a late failure of a search let through before the breaker opened neither extends nor doubles it", () => {
    const breaker = opened();
    expect(recordFailure(breaker, T0 + 1_000, null, options)).toEqual({ ...breaker, lastFailureAt: T0 + 1_000 });
    // Nor does it count as the probe's failure while a probe is in flight.
    const probing = admit(breaker, T0 + 30_000, options).breaker;
    expect(recordFailure(probing, T0 + 30_100, null, options)).toEqual({ ...probing, lastFailureAt: T0 + 30_100 });
  });

  it("takes a probe that never reported within an open period as lost and lets another through", () => {
    const probing = admit(opened(), T0 + 30_000, options).breaker;
    expect(admit(probing, T0 + 59_999, options).allowed).toBe(false);
    const second = admit(probing, T0 + 60_000, options);
    expect(second).toMatchObject({ allowed: true, probe: T0 + 60_000 });
    // The lost probe reporting later is not taken for the new one's failure.
    expect(recordFailure(second.breaker, T0 + 60_500, T0 + 30_000, options)).toMatchObject({ trips: 1, probeSince: T0 + 60_000 });
  });

  it("any success closes it, even from a search let through before it opened", () => {
    expect(recordSuccess(opened())).toEqual({ ...CLOSED, lastFailureAt: T0 });
  });

  it("with openMs 0 never skips the engine", () => {
    const off = { openMs: 0 };
    const breaker = recordFailure(CLOSED, T0, null, off);
    expect(breaker).toEqual({ ...CLOSED, lastFailureAt: T0 });
    expect(admit(breaker, T0, off)).toMatchObject({ allowed: true });
  });
});
