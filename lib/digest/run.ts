// One digest run, as the scheduled job and `npm run digest` do it: finish the digests earlier runs
// left unfinished (oldest first), then pick the day, freeze (or reuse) its digest, send what is due.
import { announceChangeOrLog } from "@/lib/cache/notify";
import { digestFrozenTags } from "@/lib/cache/tags";
import { env } from "@/lib/env";
import { normalizeEmail } from "@/lib/mail/address";
import { mailTransport, type MailTransport } from "@/lib/mail/transport";
import { pluralize } from "@/lib/papers/format";
import type { RankedPaper } from "@/lib/papers/types";
import { confirmedCount, findSubscriber } from "@/lib/subscriptions/subscribe";
import { isValidDay } from "@/lib/time";
import { computeDigest, defaultDigestDate } from "./build";
import { freezeDigest } from "./plan";
import { sendDigest, type SendReport } from "./send";
import { deliveries, digests, type FrozenDigest, type UnfinishedDigest } from "./store";

/** How long one run waits, in all, for due retries and SMTP pauses (its digests share it). */
const DEFAULT_MAX_WAIT_MS = 2 * 3_600_000;

export type RunDigestOptions = {
  /** YYYY-MM-DD; default: the latest day with listed papers, after finishing earlier unfinished digests. */
  date?: string;
  /** Show what would be sent; write and send nothing. */
  dryRun?: boolean;
  /** Send only this subscriber's mail (the digest is still frozen for everyone; earlier digests are left alone). */
  only?: string;
  transport?: MailTransport;
  log?: (message: string) => void;
  signal?: AbortSignal;
} & Pick<Parameters<typeof sendDigest>[1], "concurrency" | "maxAttempts" | "retryMs" | "pauseMaxMs" | "maxWaitMs">;

/** One digest this run sent (or tried to). */
export type SentDigest = { date: string; papers: number; created: boolean; recipients: number; report: SendReport };

export type RunDigestResult = (
  | { outcome: "no-papers"; date: string | null }
  | { outcome: "dry-run"; date: string; papers: RankedPaper[]; recipients: number; existing: boolean; unfinished?: UnfinishedDigest[] }
  | ({ outcome: "sent" } & SentDigest)
) & {
  /** Earlier digests left unfinished by other runs, which this run sent first (oldest first); absent when there were none. */
  earlier?: SentDigest[];
};

export class DigestInputError extends Error {}

export async function runDigest(options: RunDigestOptions = {}): Promise<RunDigestResult> {
  const log = options.log ?? (() => undefined);
  if (options.date !== undefined && !isValidDay(options.date)) throw new DigestInputError(`--date must be a calendar day as YYYY-MM-DD (got ${JSON.stringify(options.date)})`);
  const date = options.date ?? (await defaultDigestDate());
  if (!date) {
    log("No papers at all yet: nothing to send.");
    return { outcome: "no-papers", date: null };
  }
  let onlyId: bigint | undefined;
  if (options.only !== undefined) {
    const address = normalizeEmail(options.only);
    if (!address.ok) throw new DigestInputError(`--only: ${address.error}`);
    const subscriber = await findSubscriber(address.email);
    if (!subscriber) throw new DigestInputError(`--only: ${address.email} has not subscribed`);
    if (subscriber.status !== "confirmed") throw new DigestInputError(`--only: ${address.email} is ${subscriber.status}, not confirmed`);
    onlyId = subscriber.id;
  }
  // A run for a given day, or for one subscriber, does just that; the daily run also finishes what
  // earlier runs left (an SMTP outage, a crash), before the new day is frozen.
  const catchUp = options.date === undefined && onlyId === undefined;

  const existing = await digests.get(date);
  if (options.dryRun) {
    const papers = existing?.papers ?? (await computeDigest(date, env.DIGEST_SIZE)).papers;
    const audience = existing ? await deliveries.count(date, ["pending", "sending"]) : await confirmedCount();
    if (papers.length === 0) return { outcome: "no-papers", date };
    const unfinished = catchUp ? await digests.unfinished(date) : [];
    return {
      outcome: "dry-run",
      date,
      papers,
      recipients: onlyId === undefined ? audience : 1,
      existing: existing !== null,
      ...(unfinished.length > 0 ? { unfinished } : {}),
    };
  }

  const deadline = Date.now() + (options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS);
  const send = (digest: FrozenDigest) =>
    sendDigest(digest, {
      transport: options.transport ?? mailTransport(),
      onlySubscriberId: onlyId,
      concurrency: options.concurrency,
      maxAttempts: options.maxAttempts,
      retryMs: options.retryMs,
      pauseMaxMs: options.pauseMaxMs,
      maxWaitMs: Math.max(0, deadline - Date.now()),
      log,
      signal: options.signal,
    });

  const earlier: SentDigest[] = [];
  for (const unfinished of catchUp ? await digests.unfinished(date) : []) {
    if (options.signal?.aborted) break;
    const digest = await digests.get(unfinished.date);
    if (!digest) continue;
    log(`Digest for ${unfinished.date} is unfinished (${unfinished.pending} pending, ${unfinished.sending} sending): sending it first.`);
    const report = await send(digest);
    earlier.push({ date: unfinished.date, papers: digest.papers.length, created: false, recipients: await deliveries.count(unfinished.date), report });
  }
  const withEarlier = earlier.length > 0 ? { earlier } : {};

  let frozen = existing;
  let created = false;
  let recipients = 0;
  if (!frozen) {
    const content = await computeDigest(date, env.DIGEST_SIZE);
    if (content.papers.length === 0) {
      log(`No papers listed on ${date}: nothing to send.`);
      return { outcome: "no-papers", date, ...withEarlier };
    }
    ({ digest: frozen, created, recipients } = await freezeDigest(content));
    if (created) await announceChangeOrLog(digestFrozenTags(date), undefined, log);
    log(created ? `Digest for ${date} frozen: ${content.papers.length} papers, ${recipients} confirmed subscribers.` : `Digest for ${date} was frozen by another run.`);
  }
  if (!created) {
    recipients = await deliveries.count(date);
  }
  if (onlyId !== undefined) {
    if (!(await deliveries.has(date, onlyId))) throw new DigestInputError(`--only: ${options.only} confirmed after the ${date} digest was frozen; they get the next one`);
  }
  const report = await send(frozen);
  return { outcome: "sent", date, papers: frozen.papers.length, created, recipients, report, ...withEarlier };
}

/** Whether a run left work undone: a delivery failed, or some are still pending, in any digest it sent. */
export function runLeftWork(result: RunDigestResult): boolean {
  const sent = [...(result.earlier ?? []), ...(result.outcome === "sent" ? [result] : [])];
  return sent.some(({ report }) => report.failed > 0 || report.pending > 0);
}

function describeSent(sent: SentDigest, label: string): string {
  const { report } = sent;
  const { totals } = report;
  const now = [`${report.sent} sent`, `${report.failed} failed`];
  if (report.retried) now.push(`${report.retried} temporary failures to retry`);
  if (report.paused) now.push(`${report.paused} of them while the SMTP relay was unreachable (no attempt spent)`);
  const all = [`${totals.sent} sent`, `${totals.failed} failed`, `${totals.skipped} skipped (unsubscribed)`];
  if (totals.pending) all.push(`${totals.pending} still pending (a later run retries them)`);
  if (totals.sending) all.push(`${totals.sending} in flight in another sender`);
  const header = `${label} ${sent.date} (${sent.papers} papers, ${pluralize(sent.recipients, "recipient")}${sent.created ? ", frozen now" : ""})`;
  return `${header}: this run ${now.join(", ")}; in all ${all.join(", ")}.`;
}

export function describeRun(result: RunDigestResult): string {
  const earlier = (result.earlier ?? []).map((sent) => describeSent(sent, "Unfinished digest for"));
  switch (result.outcome) {
    case "no-papers":
      return [...earlier, result.date ? `No papers listed on ${result.date}: nothing sent.` : "No papers at all yet: nothing sent."].join("\n");
    case "dry-run":
      return [
        `Dry run for ${result.date}${result.existing ? " (already frozen)" : ""}: ${result.papers.length} papers, ${result.recipients} recipients would get it. Nothing written or sent.`,
        ...(result.unfinished ?? []).map((digest) => `  First, the unfinished digest for ${digest.date} would be sent on (${digest.pending} pending, ${digest.sending} sending).`),
        ...result.papers.map((paper) => `  ${String(paper.rank).padStart(2)}. ${paper.title} (${paper.votes} votes)`),
      ].join("\n");
    case "sent":
      return [...earlier, describeSent(result, "Digest for")].join("\n");
  }
}
