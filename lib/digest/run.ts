// One digest run, as the scheduled job and `npm run digest` do it: pick the day, freeze (or reuse)
// its digest, send what is due.
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { normalizeEmail } from "@/lib/mail/address";
import { mailTransport, type MailTransport } from "@/lib/mail/transport";
import { pluralize } from "@/lib/papers/format";
import { isValidDay } from "@/lib/time";
import { computeDigest, defaultDigestDate, freezeDigest, getDigest } from "./build";
import { sendDigest, type SendReport } from "./send";
import type { DigestPaper } from "./types";

export type RunDigestOptions = {
  /** YYYY-MM-DD; default: the latest day with listed papers. */
  date?: string;
  /** Show what would be sent; write and send nothing. */
  dryRun?: boolean;
  /** Send only this subscriber's mail (the digest is still frozen for everyone). */
  only?: string;
  transport?: MailTransport;
  log?: (message: string) => void;
  signal?: AbortSignal;
} & Pick<Parameters<typeof sendDigest>[1], "concurrency" | "maxAttempts" | "retryMs" | "maxWaitMs">;

export type RunDigestResult =
  | { outcome: "no-papers"; date: string | null }
  | { outcome: "dry-run"; date: string; papers: DigestPaper[]; recipients: number; existing: boolean }
  | { outcome: "sent"; date: string; papers: number; created: boolean; recipients: number; report: SendReport };

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
    const { rows } = await db.pool.query<{ id: string; status: string }>(`SELECT id::text, status FROM subscriber WHERE email = $1`, [address.email]);
    if (!rows[0]) throw new DigestInputError(`--only: ${address.email} has not subscribed`);
    if (rows[0].status !== "confirmed") throw new DigestInputError(`--only: ${address.email} is ${rows[0].status}, not confirmed`);
    onlyId = BigInt(rows[0].id);
  }

  const existing = await getDigest(date);
  if (options.dryRun) {
    const papers = existing?.papers ?? (await computeDigest(date, env.DIGEST_SIZE)).papers;
    const { rows } = existing
      ? await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM delivery WHERE digest_date = $1::date AND status IN ('pending', 'sending')`, [date])
      : await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM subscriber WHERE status = 'confirmed'`);
    if (papers.length === 0) return { outcome: "no-papers", date };
    return { outcome: "dry-run", date, papers, recipients: onlyId === undefined ? (rows[0]?.n ?? 0) : 1, existing: existing !== null };
  }

  let frozen = existing;
  let created = false;
  let recipients = 0;
  if (!frozen) {
    const content = await computeDigest(date, env.DIGEST_SIZE);
    if (content.papers.length === 0) {
      log(`No papers listed on ${date}: nothing to send.`);
      return { outcome: "no-papers", date };
    }
    ({ digest: frozen, created, recipients } = await freezeDigest(content));
    log(created ? `Digest for ${date} frozen: ${content.papers.length} papers, ${recipients} confirmed subscribers.` : `Digest for ${date} was frozen by another run.`);
  }
  if (!created) {
    const { rows } = await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM delivery WHERE digest_date = $1::date`, [date]);
    recipients = rows[0]?.n ?? 0;
  }
  if (onlyId !== undefined) {
    const { rows } = await db.pool.query(`SELECT 1 FROM delivery WHERE digest_date = $1::date AND subscriber_id = $2`, [date, onlyId.toString()]);
    if (rows.length === 0) throw new DigestInputError(`--only: ${options.only} confirmed after the ${date} digest was frozen; they get the next one`);
  }
  const report = await sendDigest(frozen, {
    transport: options.transport ?? mailTransport(),
    onlySubscriberId: onlyId,
    concurrency: options.concurrency,
    maxAttempts: options.maxAttempts,
    retryMs: options.retryMs,
    maxWaitMs: options.maxWaitMs,
    log,
    signal: options.signal,
  });
  return { outcome: "sent", date, papers: frozen.papers.length, created, recipients, report };
}

export function describeRun(result: RunDigestResult): string {
  switch (result.outcome) {
    case "no-papers":
      return result.date ? `No papers listed on ${result.date}: nothing sent.` : "No papers at all yet: nothing sent.";
    case "dry-run":
      return [
        `Dry run for ${result.date}${result.existing ? " (already frozen)" : ""}: ${result.papers.length} papers, ${result.recipients} recipients would get it. Nothing written or sent.`,
        ...result.papers.map((paper) => `  ${String(paper.rank).padStart(2)}. ${paper.title} (${paper.votes} votes)`),
      ].join("\n");
    case "sent": {
      const { report } = result;
      const { totals } = report;
      const now = [`${report.sent} sent`, `${report.failed} failed`];
      if (report.retried) now.push(`${report.retried} temporary failures to retry`);
      const all = [`${totals.sent} sent`, `${totals.failed} failed`, `${totals.skipped} skipped (unsubscribed)`];
      if (totals.pending) all.push(`${totals.pending} still pending (a later run retries them)`);
      if (totals.sending) all.push(`${totals.sending} in flight in another sender`);
      const header = `Digest for ${result.date} (${result.papers} papers, ${pluralize(result.recipients, "recipient")}${result.created ? ", frozen now" : ""})`;
      return `${header}: this run ${now.join(", ")}; in all ${all.join(", ")}.`;
    }
  }
}
