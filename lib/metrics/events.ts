// What happened in this process, counted for /metrics: plain numbers, with no dependency, so code
// Next bundles (search, limits, mail) can count without loading prom-client. Kept on globalThis,
// because Next's bundles hold their own copy of lib/ and must count into the web server's numbers.

/** Each counter and its labels; lib/metrics/registry.ts exposes them with their help text. */
export type EventLabels = {
  /** Mails handed to SMTP: accepted, refused for good, put back for a retry, or not sent because a limit refused. */
  mails: { kind: "digest" | "confirm" | "sign-in"; outcome: "sent" | "failed" | "retried" | "limited" };
  /** Requests a rate limit refused, by the limit's name. */
  rateLimitRefusals: { limit: string; reason: "exhausted" | "unknown-key" };
  /** Searches answered from Postgres because Meilisearch failed, timed out or was skipped by the breaker. */
  searchFallbacks: { outcome: "answered" | "failed" };
  /** Digest mails cut off before the end of their DATA because this sender no longer held the row. */
  digestDuplicatesAvoided: Record<string, never>;
  /** Worker jobs by queue and how they ended. */
  jobs: { queue: string; outcome: "completed" | "failed" };
  /** Harvests of a live source (one per OAI set) and how they ended. */
  harvests: { source: string; outcome: "ok" | "failed" };
  /** Papers a harvest stored, new or changed. */
  harvestedPapers: { source: string; change: "inserted" | "updated" };
  /** Search syncs run (pushing the outbox to Meilisearch), by what started them. */
  searchSyncs: { trigger: "harvest" | "outbox" };
};

export type EventName = keyof EventLabels;

type Store = { counts: Map<EventName, Map<string, { labels: Record<string, string>; value: number }>>; times: Map<string, number> };

const KEY = Symbol.for("trending-papers.metrics.events");
const store = ((globalThis as { [KEY]?: Store })[KEY] ??= { counts: new Map(), times: new Map() });

/** Adds `by` to a counter's series for these labels. */
export function countEvent<N extends EventName>(name: N, labels: EventLabels[N], by = 1): void {
  const series = store.counts.get(name) ?? new Map();
  store.counts.set(name, series);
  const key = JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));
  const found = series.get(key);
  if (found) found.value += by;
  else series.set(key, { labels: { ...labels }, value: by });
}

/** Every series of a counter, as counted so far. */
export function readEvents(name: EventName): { labels: Record<string, string>; value: number }[] {
  return [...(store.counts.get(name)?.values() ?? [])];
}

/** Remembers when something last happened (epoch ms), e.g. the last search fallback. */
export function markTime(name: "searchFallback", at = Date.now()): void {
  store.times.set(name, at);
}

export function readTime(name: "searchFallback"): number | undefined {
  return store.times.get(name);
}
