// What the digest could not send yet, for /api/health and the CLI: unfinished digests, the SMTP
// pause if an outage is on, and recent permanent failures. Nothing left behind goes unreported.
import { deliveries, digests, mailBackoff, type MailPause, type UnfinishedDigest } from "./store";

/** Window of "recent" permanent failures. */
const FAILED_DAYS = 7;

export type DigestHealth = {
  /** Digests with deliveries still pending or sending, oldest first (the next run sends them on). */
  unfinished: UnfinishedDigest[];
  /** The SMTP outage since the last sent mail, if any. */
  mailBackoff: MailPause | null;
  /** Deliveries that failed for good (5xx, or attempts used up) in the last `days` days. */
  failed: { days: number; deliveries: number };
};

export async function digestHealth(): Promise<DigestHealth> {
  const [unfinished, pause, failed] = await Promise.all([digests.unfinished(), mailBackoff.current(), deliveries.recentFailures(FAILED_DAYS)]);
  return { unfinished, mailBackoff: pause, failed: { days: FAILED_DAYS, deliveries: failed } };
}

/** One line per thing left behind; none when everything went out. */
export function describeDigestHealth(health: DigestHealth): string[] {
  const lines = health.unfinished.map(
    (digest) => `Digest for ${digest.date} is unfinished: ${digest.pending} pending, ${digest.sending} sending, ${digest.failed} failed (the next run sends it on).`,
  );
  const pause = health.mailBackoff;
  if (pause) {
    const state = pause.active ? `all sending paused until ${pause.until.toISOString()}` : "no mail sent since";
    lines.push(`SMTP relay unreachable: ${pause.failures} failures in a row, ${state}; last error: ${pause.lastError ?? "unknown"}.`);
  }
  if (health.failed.deliveries > 0) lines.push(`${health.failed.deliveries === 1 ? "1 delivery" : `${health.failed.deliveries} deliveries`} failed for good in the last ${health.failed.days} days (see the delivery table's error column).`);
  return lines;
}
