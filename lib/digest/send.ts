// Sending a frozen digest, exactly once per delivery row, from any number of processes at once.
//
// Each sender holds a session advisory lock on a random owner key for as long as it runs and stamps
// the rows it claims with that key. A row moves pending -> sending (claimed) -> sent | failed, or back
// to pending with a later next_attempt_at after a temporary SMTP failure. Rows left in `sending` by
// a sender whose lock is gone (killed, crashed, connection lost) go back to pending: their mail was
// in flight, and the SMTP server drops a message whose DATA it never acknowledged. The one window
// left: the server accepted a mail (250) and the sender died before recording it, so that mail can
// go twice; it is at most the mails in flight (DIGEST_CONCURRENCY), and a retried mail keeps its
// Message-ID so receiving systems can recognise the repeat.
import { randomInt } from "node:crypto";
import { Readable } from "node:stream";
import pg from "pg";
import { databaseUrl, db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { personalize, renderDigestMail, type RenderedMail } from "@/lib/mail/render";
import { isTemporaryMailError, type MailTransport } from "@/lib/mail/transport";
import { oneClickUnsubscribeUrl, unsubscribePageUrl } from "@/lib/subscriptions/links";
import type { FrozenDigest } from "./build";

/** The class of the advisory locks senders hold (the second key is the owner). */
const OWNER_LOCK_CLASS = 0x7470_6467; // "tpdg"
/** Longest wait between retries of one delivery. */
const MAX_RETRY_DELAY_MS = 15 * 60_000;
/** Tries to record a sent mail before giving up (the mail would then go again on a later run). */
const RECORD_ATTEMPTS = 4;
/** Longest idle wait between looks for due retries or rows of dead senders. */
const MAX_IDLE_MS = 5_000;

export type SendOptions = {
  transport: MailTransport;
  /** Mails in flight at once (defaults to DIGEST_CONCURRENCY). */
  concurrency?: number;
  /** Send only this subscriber's delivery (`npm run digest -- --only`). */
  onlySubscriberId?: bigint;
  maxAttempts?: number;
  retryMs?: number;
  /** Stop waiting for due retries after this long (the rows stay pending for the next run). */
  maxWaitMs?: number;
  log?: (message: string) => void;
  signal?: AbortSignal;
};

/** What this run did (sent, failed, retried) and where the digest's deliveries stand afterwards. */
export type SendReport = {
  sent: number;
  failed: number;
  retried: number;
  /** The digest's deliveries afterwards, whichever run handled them. */
  totals: { sent: number; failed: number; skipped: number; pending: number; sending: number };
  /** Kept for callers that read them flat: the totals' skipped, pending and sending. */
  skipped: number;
  pending: number;
  sending: number;
};

type Claimed = { id: string; subscriberId: string; email: string; attempts: number };

/** Waits; an abort ends the wait early (without an error: the lane then stops). */
const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });

export function retryDelay(attempts: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempts - 1), MAX_RETRY_DELAY_MS);
}

function messageDomain(): string {
  return new URL(env.APP_URL).hostname || "localhost";
}

/** Holds this sender's owner lock on a dedicated connection: while it is held, the sender is alive. */
async function takeOwnerLock(url: string): Promise<{ owner: number; release(): Promise<void> }> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => undefined);
  await client.connect();
  for (;;) {
    const owner = randomInt(1, 2 ** 31 - 1);
    const { rows } = await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock($1, $2) AS ok`, [OWNER_LOCK_CLASS, owner]);
    if (rows[0]?.ok) return { owner, release: () => client.end().catch(() => undefined) };
  }
}

/** Puts back rows claimed by senders that are gone (their owner lock is free). */
export async function recoverAbandoned(date: string, owner: number): Promise<number> {
  const { rowCount } = await db.pool.query(
    `UPDATE delivery SET status = 'pending', claimed_by = NULL, claimed_at = NULL, next_attempt_at = now()
     WHERE digest_date = $1::date AND status = 'sending' AND claimed_by IS DISTINCT FROM $2
       AND (claimed_by IS NULL OR pg_try_advisory_xact_lock(${OWNER_LOCK_CLASS}, claimed_by))`,
    [date, owner],
  );
  return rowCount ?? 0;
}

/** Marks pending deliveries of subscribers who are no longer confirmed as skipped. */
async function skipUnsubscribed(date: string): Promise<number> {
  const { rowCount } = await db.pool.query(
    `UPDATE delivery d SET status = 'skipped', error = 'unsubscribed before it was sent'
     FROM subscriber s WHERE s.id = d.subscriber_id AND d.digest_date = $1::date AND d.status = 'pending' AND s.status <> 'confirmed'`,
    [date],
  );
  return rowCount ?? 0;
}

async function claim(date: string, owner: number, only: bigint | undefined): Promise<Claimed | undefined> {
  const params: unknown[] = [date, owner];
  const onlyClause = only === undefined ? "" : `AND d.subscriber_id = $${params.push(only.toString())}`;
  const { rows } = await db.pool.query<Claimed>(
    `WITH next AS (
       SELECT d.id, s.email FROM delivery d JOIN subscriber s ON s.id = d.subscriber_id
       WHERE d.digest_date = $1::date AND d.status = 'pending' AND d.next_attempt_at <= now() AND s.status = 'confirmed' ${onlyClause}
       ORDER BY d.id LIMIT 1 FOR UPDATE OF d SKIP LOCKED
     )
     UPDATE delivery d SET status = 'sending', claimed_by = $2, claimed_at = now(), attempts = d.attempts + 1
     FROM next WHERE d.id = next.id
     RETURNING d.id::text AS id, d.subscriber_id::text AS "subscriberId", next.email, d.attempts`,
    params,
  );
  return rows[0];
}

/** Gives back a row claimed ahead that this sender will not send after all (it stopped). */
async function unclaim(row: Claimed, owner: number): Promise<void> {
  await db.pool.query(
    `UPDATE delivery SET status = 'pending', claimed_by = NULL, claimed_at = NULL, attempts = attempts - 1 WHERE id = $1 AND claimed_by = $2`,
    [row.id, owner],
  );
}

type Counts = { due: Date | null; pending: number; sending: number; skipped: number; sent: number; failed: number };

async function counts(date: string, only: bigint | undefined): Promise<Counts> {
  const params: unknown[] = [date];
  const onlyClause = only === undefined ? "" : `AND subscriber_id = $${params.push(only.toString())}`;
  const { rows } = await db.pool.query<Counts>(
    `SELECT min(next_attempt_at) FILTER (WHERE status = 'pending') AS due,
            count(*) FILTER (WHERE status = 'pending')::int AS pending,
            count(*) FILTER (WHERE status = 'sending')::int AS sending,
            count(*) FILTER (WHERE status = 'skipped')::int AS skipped,
            count(*) FILTER (WHERE status = 'sent')::int AS sent,
            count(*) FILTER (WHERE status = 'failed')::int AS failed
     FROM delivery WHERE digest_date = $1::date ${onlyClause}`,
    params,
  );
  return rows[0] ?? { due: null, pending: 0, sending: 0, skipped: 0, sent: 0, failed: 0 };
}

/** Sends every due delivery of a frozen digest; returns when none is left for this sender. */
export async function sendDigest(digest: FrozenDigest, options: SendOptions): Promise<SendReport> {
  const log = options.log ?? (() => undefined);
  const concurrency = options.concurrency ?? env.DIGEST_CONCURRENCY;
  const maxAttempts = options.maxAttempts ?? env.DIGEST_MAX_ATTEMPTS;
  const retryMs = options.retryMs ?? env.DIGEST_RETRY_MS;
  const deadline = Date.now() + (options.maxWaitMs ?? 2 * 3_600_000);
  const report: SendReport = { sent: 0, failed: 0, retried: 0, totals: { sent: 0, failed: 0, skipped: 0, pending: 0, sending: 0 }, skipped: 0, pending: 0, sending: 0 };
  const rendered: RenderedMail = await renderDigestMail({ date: digest.date, papers: digest.papers, appUrl: env.APP_URL });
  const domain = messageDomain();
  const lock = await takeOwnerLock(databaseUrl());
  const { owner } = lock;

  /**
   * Sends one claimed delivery. The end of its HTML part waits for `previous`, the "sent" record
   * of the lane's last mail: the server cannot accept this mail (it needs the final dot of DATA)
   * before the last one is recorded, so a lane never has more than one accepted, unrecorded mail,
   * while the record's round trip overlaps this mail's envelope. Returns the sent mail for recording.
   */
  async function deliver(row: Claimed, previous: Promise<void>): Promise<{ id: string; messageId: string | null } | undefined> {
    const subscriberId = BigInt(row.subscriberId);
    const mail = personalize(rendered, unsubscribePageUrl(subscriberId));
    let previousFailed = false;
    previous.catch(() => {
      previousFailed = true;
    });
    try {
      const info = await options.transport.sendMail({
        from: env.MAIL_FROM,
        to: row.email,
        subject: mail.subject,
        html: Readable.from(
          (async function* () {
            yield mail.html;
            await previous;
          })(),
        ),
        text: mail.text,
        // The same id on every attempt of this delivery: a repeat after a crash is recognisable.
        messageId: `<digest.${digest.date}.${row.id}@${domain}>`,
        headers: { "List-Unsubscribe": `<${oneClickUnsubscribeUrl(subscriberId)}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
      });
      return { id: row.id, messageId: info.messageId ?? null };
    } catch (error) {
      // The last mail's record failed, so this one was cut off on purpose: not this delivery's fault.
      // Its row stays claimed and goes back to pending once this sender stops.
      if (previousFailed) throw error;
      const message = (error as Error).message.slice(0, 500);
      if (isTemporaryMailError(error) && row.attempts < maxAttempts) {
        const delay = retryDelay(row.attempts, retryMs);
        await db.pool.query(
          `UPDATE delivery SET status = 'pending', claimed_by = NULL, error = $3, next_attempt_at = now() + make_interval(secs => $4::double precision / 1000)
           WHERE id = $1 AND claimed_by = $2`,
          [row.id, owner, message, delay],
        );
        report.retried++;
        log(`${row.email}: temporary failure (${message}); attempt ${row.attempts} of ${maxAttempts}, next in ${Math.round(delay / 1000)} s`);
      } else {
        await db.pool.query(`UPDATE delivery SET status = 'failed', claimed_by = NULL, error = $3 WHERE id = $1 AND claimed_by = $2`, [row.id, owner, message]);
        report.failed++;
        log(`${row.email}: failed (${message})`);
      }
      return undefined;
    }
  }

  /** Records a sent mail, trying a few times: a mail left unrecorded would go again on a later run. */
  async function record(sent: { id: string; messageId: string | null }): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        const { rowCount } = await db.pool.query(
          `UPDATE delivery SET status = 'sent', sent_at = now(), message_id = $3, error = NULL, claimed_by = NULL WHERE id = $1 AND claimed_by = $2`,
          [sent.id, owner, sent.messageId],
        );
        if (rowCount) report.sent++;
        return;
      } catch (error) {
        if (attempt >= RECORD_ATTEMPTS) throw error;
        await sleep(100 * attempt);
      }
    }
  }

  /**
   * One SMTP connection's worth of sending. The next row is claimed while the current mail is in
   * flight, and a mail's record is written while the next one's envelope goes out, so the database
   * round trips overlap SMTP. A row claimed ahead and never sent goes back to pending.
   */
  async function lane(): Promise<void> {
    const claimNext = () => claim(digest.date, owner, options.onlySubscriberId);
    let recorded: Promise<void> = Promise.resolve();
    let next: Promise<Claimed | undefined> | undefined = claimNext();
    try {
      while (!options.signal?.aborted) {
        const row = await (next ?? claimNext());
        next = undefined;
        if (row) {
          next = claimNext();
          // Mark the pending promise as handled; it is awaited at the top of the loop or in `finally`.
          next.catch(() => undefined);
          const sent = await deliver(row, recorded);
          await recorded;
          recorded = sent ? record(sent) : Promise.resolve();
          recorded.catch(() => undefined);
          continue;
        }
        await recorded;
        const recovered = await recoverAbandoned(digest.date, owner);
        if (recovered > 0) {
          log(`${recovered} deliveries were in flight in a sender that stopped; sending them again`);
          continue;
        }
        const left = await counts(digest.date, options.onlySubscriberId);
        // Done when nothing is pending; rows other live senders are sending are theirs to finish.
        if (left.pending === 0 || Date.now() >= deadline) return;
        const wait = left.due ? Math.max(0, left.due.getTime() - Date.now()) : MAX_IDLE_MS;
        await sleep(Math.min(wait, MAX_IDLE_MS, Math.max(0, deadline - Date.now())) + 5, options.signal);
      }
    } finally {
      // The row claimed ahead goes back whatever happened to the last record.
      const recordFailure = await recorded.then(() => undefined, (error: unknown) => error ?? new Error("recording a sent mail failed"));
      const ahead = await next?.catch(() => undefined);
      if (ahead) await unclaim(ahead, owner).catch(() => undefined);
      if (recordFailure) throw recordFailure;
    }
  }

  try {
    await skipUnsubscribed(digest.date);
    // Every lane finishes (and records its last mail) before the owner lock is released: a lane
    // still sending must not have its rows taken for abandoned by another sender.
    const lanes = await Promise.allSettled(Array.from({ length: concurrency }, () => lane()));
    const failed = lanes.find((result) => result.status === "rejected");
    if (failed) throw failed.reason;
    await skipUnsubscribed(digest.date);
    const left = await counts(digest.date, undefined);
    report.totals = { sent: left.sent, failed: left.failed, skipped: left.skipped, pending: left.pending, sending: left.sending };
    report.pending = left.pending;
    report.sending = left.sending;
    report.skipped = left.skipped;
    if (left.pending === 0 && left.sending === 0) {
      await db.pool.query(`UPDATE digest SET completed_at = coalesce(completed_at, now()) WHERE date = $1::date`, [digest.date]);
    }
    return report;
  } finally {
    await lock.release();
  }
}
