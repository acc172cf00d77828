// The circuit breaker's state: after Meilisearch fails, searches skip it for a while, then one probe tries it. Pure: time is passed in.

export type BreakerOptions = {
  /** How long searches skip the engine after it first fails; 0 turns the breaker off. */
  openMs: number;
};

export type Breaker = {
  /** Times in a row the breaker opened without a success in between (0 when closed). */
  trips: number;
  /** Until when searches skip the engine (epoch ms); null when closed. */
  openUntil: number | null;
  /** When the one probe now in flight was let through (epoch ms), or null. */
  probeSince: number | null;
  /** When the engine last failed (epoch ms), or null; kept after it recovers, for /api/health. */
  lastFailureAt: number | null;
};

export type BreakerState = "closed" | "open" | "half-open";

/** What `admit` decided: whether this search may ask the engine, and if it is the probe, its ticket. */
export type Admission = { breaker: Breaker; allowed: boolean; probe: number | null };

export const CLOSED: Breaker = { trips: 0, openUntil: null, probeSince: null, lastFailureAt: null };

/** Each failed probe doubles the open period, up to this many times the first one. */
export const MAX_BACKOFF = 8;

export function breakerState(breaker: Breaker, now: number): BreakerState {
  if (breaker.openUntil === null) return "closed";
  return now < breaker.openUntil ? "open" : "half-open";
}

/** How long the breaker stays open after its `trips`-th opening in a row. */
export function openPeriod(trips: number, options: BreakerOptions): number {
  return options.openMs * Math.min(2 ** Math.max(trips - 1, 0), MAX_BACKOFF);
}

/**
 * May a search ask the engine now? Closed: yes. Open: no. Half-open: the first search becomes the
 * probe and the others keep answering from Postgres until it reports. A probe that has not reported
 * within an open period is taken as lost (its caller died), so the breaker cannot stay stuck.
 */
export function admit(breaker: Breaker, now: number, options: BreakerOptions): Admission {
  const state = breakerState(breaker, now);
  if (state === "closed") return { breaker, allowed: true, probe: null };
  if (state === "open") return { breaker, allowed: false, probe: null };
  if (breaker.probeSince !== null && now - breaker.probeSince < openPeriod(breaker.trips, options)) {
    return { breaker, allowed: false, probe: null };
  }
  return { breaker: { ...breaker, probeSince: now }, allowed: true, probe: now };
}

/** The engine answered: whoever asked, it is up again. */
export function recordSuccess(breaker: Breaker): Breaker {
  return { ...CLOSED, lastFailureAt: breaker.lastFailureAt };
}

/**
 * The engine failed or timed out for a search admitted with ticket `probe`. A failure while closed
 * opens the breaker; the probe's failure reopens it for twice as long (bounded). A search admitted
 * before the breaker opened, failing late, changes nothing: the outage is already known.
 */
export function recordFailure(breaker: Breaker, now: number, probe: number | null, options: BreakerOptions): Breaker {
  if (options.openMs <= 0) return { ...CLOSED, lastFailureAt: now };
  if (breakerState(breaker, now) === "closed") {
    return { trips: 1, openUntil: now + openPeriod(1, options), probeSince: null, lastFailureAt: now };
  }
  if (probe !== null && probe === breaker.probeSince) {
    const trips = breaker.trips + 1;
    return { trips, openUntil: now + openPeriod(trips, options), probeSince: null, lastFailureAt: now };
  }
  return { ...breaker, lastFailureAt: now };
}
