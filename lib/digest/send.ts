// Sending a frozen digest, exactly once per delivery row, from any number of processes at once.
//
// Each sender holds a session advisory lock on a random owner key, on a connection of its own, for
// as long as it runs, and stamps the rows it claims with that key; every statement it runs is a named
// operation of store.ts. A mail costs one statement (its record, which also claims rows ahead) and a
// share of one check on the lock connection; its message is built from its edition's template,
// encoded once per run (lib/mail/message-template.ts), with only the subscriber's links and headers.
// A row moves pending -> sending (claimed) -> sent | failed, or back to pending: later, after a 4xx for its address (an attempt spent), or at once when the relay itself
// is unreachable (no SMTP reply, or 421: no attempt spent, and every sender pauses, mailBackoff).
// Rows left in `sending` by a sender whose lock is gone (killed, crashed, connection lost) go back to
// pending: their mail was in flight, and the SMTP server drops a message whose DATA it never
// acknowledged.
//
// A sender stops as soon as its lock connection errors or ends, and when a record finds its row
// taken. Right before the final dot of each mail's DATA it asks, on the lock connection itself,
// whether it still holds the row; if not (or if that connection is dead) the message stream fails,
// so the server never accepts the mail. The window left: the server accepted a mail (250) and the
// sender died or lost its lock before recording it (or between that check and the server's answer),
// so that mail can go twice. A lane never has more than one accepted, unrecorded mail, so it is at
// most DIGEST_CONCURRENCY mails, and a retried mail keeps its Message-ID so receiving systems can
// recognise the repeat.
import { randomInt } from "node:crypto";
import type { SendMailOptions } from "nodemailer";
import pg from "pg";
import { databaseUrl } from "@/lib/db/client";
import { env } from "@/lib/env";
import { buildMessage, type MessageTemplate, messageTemplate } from "@/lib/mail/message-template";
import { PaperBlocks, renderDigestMail } from "@/lib/mail/render";
import { appliesDataHooks, type DataHooks, isMailOutage, isTemporaryMailError, type MailTransport } from "@/lib/mail/transport";
import { countEvent } from "@/lib/metrics/events";
import { manageDigestUrl, oneClickUnsubscribeUrl, unsubscribePageUrl } from "@/lib/subscriptions/links";
import { digestListId } from "@/lib/subscriptions/subscribe";
import { type Claimed, deliveries, DeliveryLostError, digests, type FrozenDigest, mailBackoff, ownerLock } from "./store";

/** How a sender's owner-lock connection shows in pg_stat_activity. */
export const OWNER_APPLICATION_NAME = "trending-papers-digest-owner";
/** Longest wait between retries of one delivery. */
const MAX_RETRY_DELAY_MS = 15 * 60_000;
/** Tries to record a sent mail before giving up (the mail would then go again on a later run). */
const RECORD_ATTEMPTS = 4;
/** Editions' message templates a sender keeps at once (each about 100 KB). */
const KEPT_TEMPLATES = 32;
/** Rows a lane holds claimed ahead of its mail in flight (claimed together, topped up with records). */
const CLAIM_AHEAD = 3;
/** Longest idle wait between looks for due retries or rows of dead senders. */
const MAX_IDLE_MS = 5_000;

export type SendOptions = {
  transport: MailTransport;
  /** Mails in flight at once (defaults to DIGEST_CONCURRENCY). */
  concurrency?: number;
  /** Send only this subscriber's delivery (`npm run digest -- --only`). */
  onlySubscriberId?: bigint;
  maxAttempts?: number;
  /** First retry delay of a delivery, and first pause of all sending in an SMTP outage (both doubling). */
  retryMs?: number;
  /** Longest pause of all sending in an SMTP outage (defaults to DIGEST_PAUSE_MAX_MS). */
  pauseMaxMs?: number;
  /** Stop waiting for due retries after this long (the rows stay pending for the next run). */
  maxWaitMs?: number;
  log?: (message: string) => void;
  signal?: AbortSignal;
};

/** What this run did (sent, failed, retried) and where the digest's deliveries stand afterwards. */
export type SendReport = {
  sent: number;
  failed: number;
  /** Mails put back for a later try: a 4xx for the address, or (`paused`) the relay unreachable. */
  retried: number;
  /** Of those, mails put back without spending an attempt because the SMTP relay was unreachable. */
  paused: number;
  /** The digest's deliveries afterwards, whichever run handled them. */
  totals: { sent: number; failed: number; skipped: number; pending: number; sending: number };
  /** Skipped, pending and sending among the deliveries this run was asked for (all, or --only's one). */
  skipped: number;
  pending: number;
  sending: number;
};

/** A sender that stopped before its work was done: its lock connection went away. */
export class SenderStoppedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "SenderStoppedError";
  }
}

type OwnerLock = { owner: number; connection: pg.Client; lost: AbortSignal; release(): Promise<void> };

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

/** The headers every digest mail carries besides the one-click unsubscribe: List-Id, and Feedback-ID when MAIL_FEEDBACK_ID is set. */
function listHeaders(): Record<string, string> {
  return { "List-Id": digestListId(), ...(env.MAIL_FEEDBACK_ID ? { "Feedback-ID": env.MAIL_FEEDBACK_ID } : {}) };
}

/**
 * Holds this sender's owner lock on a dedicated connection: while it is held, the sender is alive.
 * `lost` fires when that connection errors or ends before release(): the lock is gone with it.
 */
async function takeOwnerLock(url: string): Promise<OwnerLock> {
  const connection = new pg.Client({ connectionString: url, application_name: OWNER_APPLICATION_NAME });
  const lost = new AbortController();
  let released = false;
  const lose = (why: string) => {
    if (released || lost.signal.aborted) return;
    lost.abort(new SenderStoppedError(`the digest sender stopped: its owner-lock connection to Postgres ${why}; the deliveries it held go back to pending for another or the next run`));
  };
  connection.on("error", (error) => lose(`failed (${error.message})`));
  connection.on("end", () => lose("ended"));
  await connection.connect();
  try {
    for (;;) {
      const owner = randomInt(1, 2 ** 31 - 1);
      if (await ownerLock.tryLock(connection, owner)) {
        return {
          owner,
          connection,
          lost: lost.signal,
          release: async () => {
            released = true;
            // Ending the session frees the lock as well; the unlock is skipped when the connection is already gone.
            if (!lost.signal.aborted) await ownerLock.unlock(connection, owner).catch(() => undefined);
            await connection.end().catch(() => undefined);
          },
        };
      }
    }
  } catch (error) {
    released = true;
    await connection.end().catch(() => undefined);
    throw error;
  }
}

type Sent = { id: string; messageId: string | null };

/** Sends every due delivery of a frozen digest; returns when none is left for this sender. */
export async function sendDigest(digest: FrozenDigest, options: SendOptions): Promise<SendReport> {
  const log = options.log ?? (() => undefined);
  const concurrency = options.concurrency ?? env.DIGEST_CONCURRENCY;
  const maxAttempts = options.maxAttempts ?? env.DIGEST_MAX_ATTEMPTS;
  const retryMs = options.retryMs ?? env.DIGEST_RETRY_MS;
  const pauseMaxMs = options.pauseMaxMs ?? env.DIGEST_PAUSE_MAX_MS;
  const deadline = Date.now() + (options.maxWaitMs ?? 2 * 3_600_000);
  // The checks before each mail's final dot live in the transport's message stream.
  if (!appliesDataHooks(options.transport)) throw new Error("sendDigest needs a transport from createMailTransport (lib/mail/transport.ts): its mails wait for the sender's checks before their final dot");
  const report: SendReport = { sent: 0, failed: 0, retried: 0, paused: 0, totals: { sent: 0, failed: 0, skipped: 0, pending: 0, sending: 0 }, skipped: 0, pending: 0, sending: 0 };
  // One rendering per edition (null: the day's digest), encoded once and shared by every subscriber it
  // goes to; each mail only fills in that subscriber's links and headers.
  // Deliveries are claimed in id order, and freeze numbers them edition by edition, so the few
  // templates kept (least recently used out) serve whole runs of mails.
  const templates = new Map<string | null, Promise<MessageTemplate>>();
  const blocks = new PaperBlocks();
  const templateOf = (editionId: string | null): Promise<MessageTemplate> => {
    let template = templates.get(editionId);
    if (template) {
      templates.delete(editionId);
      templates.set(editionId, template);
    } else {
      template = (async () => {
        const edition = editionId === null ? null : await digests.edition(editionId);
        if (editionId !== null && !edition) throw new Error(`digest edition ${editionId} is missing`);
        return messageTemplate(await renderDigestMail({ date: digest.date, papers: digest.papers, appUrl: env.APP_URL, edition, blocks }));
      })();
      // A failed rendering is tried again by the next mail that needs it.
      template.catch(() => templates.delete(editionId));
      templates.set(editionId, template);
      if (templates.size > KEPT_TEMPLATES) templates.delete(templates.keys().next().value!);
    }
    return template;
  };
  await templateOf(null);
  const domain = messageDomain();
  const listHeaderValues = listHeaders();
  const lock = await takeOwnerLock(databaseUrl());
  const { owner } = lock;
  // A lane that fails stops the others; so do a lost lock and the caller's signal.
  const failure = new AbortController();
  const signal = AbortSignal.any([lock.lost, failure.signal, ...(options.signal ? [options.signal] : [])]);
  let loggedFailures = 0;
  // One query at a time on the lock connection (pg's own queueing of concurrent queries is deprecated).
  // Lanes that reach the end of a mail while a check is on the wire wait for the next one, which
  // asks for all of them at once: each lane's answer is still given after it asked.
  let waiting: { id: string; resolve(held: boolean): void; reject(error: unknown): void }[] = [];
  let asking = false;
  const askWaiting = async () => {
    asking = true;
    while (waiting.length > 0) {
      const batch = waiting;
      waiting = [];
      try {
        const held = await deliveries.stillHeld(lock.connection, batch.map((ask) => ask.id), owner);
        for (const ask of batch) ask.resolve(held.has(ask.id));
      } catch (error) {
        for (const ask of batch) ask.reject(error);
      }
    }
    asking = false;
  };
  const heldOnLock = (id: string) =>
    new Promise<boolean>((resolve, reject) => {
      waiting.push({ id, resolve, reject });
      if (!asking) void askWaiting();
    });

  /**
   * Sends one claimed delivery. The end of its message waits for `previous`, the "sent" record
   * of the lane's last mail: the server cannot accept this mail (it needs the final dot of DATA)
   * before the last one is recorded, so a lane never has more than one accepted, unrecorded mail,
   * while the record's round trip overlaps this mail's envelope. Then, still before the dot, it
   * checks that this sender holds the row and its lock. Returns the sent mail for recording, or
   * "outage" when the relay could not be reached (the row is back to pending, sending paused).
   */
  async function deliver(row: Claimed, previous: Promise<void>): Promise<Sent | "outage" | undefined> {
    const subscriberId = BigInt(row.subscriberId);
    // Set when this sender cut the mail off on purpose: not this delivery's fault.
    let cutOff: unknown;
    previous.catch((error: unknown) => {
      cutOff ??= error ?? new Error("recording the lane's previous mail failed");
    });
    // The message, from its edition's template. Building it fails alike for every mail (a link that
    // would need escaping: a setting's fault, not this delivery's), so a failure stops the sender
    // and the row goes back to pending.
    const composed = buildMessage(await templateOf(row.editionId), {
      from: env.MAIL_FROM,
      to: row.email,
      // The same id on every attempt of this delivery: a repeat after a crash is recognisable.
      messageId: `<digest.${digest.date}.${row.id}@${domain}>`,
      headers: { "List-Unsubscribe": `<${oneClickUnsubscribeUrl(subscriberId)}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click", ...listHeaderValues },
      unsubscribeUrl: unsubscribePageUrl(subscriberId),
      manageUrl: manageDigestUrl(subscriberId),
    });
    const confirmHeld = async () => {
      let held: boolean;
      try {
        held = await heldOnLock(row.id);
      } catch (error) {
        throw (cutOff = lock.lost.reason ?? new SenderStoppedError(`the digest sender stopped: its owner-lock connection failed (${(error as Error).message})`));
      }
      if (!held) {
        countEvent("digestDuplicatesAvoided", {});
        throw (cutOff = new DeliveryLostError("before the end of its mail", row.id, owner));
      }
    };
    try {
      const mailOptions: SendMailOptions & DataHooks = {
        // Called once the server has said go ahead to DATA: nodemailer reads the message ahead as
        // soon as a connection takes it, and a check then would leave the envelope's round trips
        // (or a server holding RCPT) between the check and the dot.
        beforeDataEnd: async () => {
          await previous;
          await confirmHeld();
        },
        raw: composed.raw,
        envelope: composed.envelope,
        messageId: composed.messageId,
      };
      await options.transport.sendMail(mailOptions);
      return { id: row.id, messageId: composed.messageId };
    } catch (error) {
      // The row stays claimed and goes back to pending once this sender stops.
      if (cutOff !== undefined) throw cutOff;
      const message = (error as Error).message.slice(0, 500);
      if (isMailOutage(error)) {
        // Pause everyone first, so no lane claims this row again before the pause is in place.
        const pause = await mailBackoff.pause(message, retryMs, pauseMaxMs);
        await deliveries.release(row.id, owner, message);
        report.retried++;
        report.paused++;
        countEvent("mails", { kind: "digest", outcome: "retried" });
        if (pause.failures !== loggedFailures) {
          loggedFailures = pause.failures;
          log(`SMTP unreachable (${message}): every sender pauses until ${pause.until.toISOString()} (failure ${pause.failures}); no attempt spent`);
        }
        return "outage";
      }
      if (isTemporaryMailError(error) && row.attempts < maxAttempts) {
        const delay = retryDelay(row.attempts, retryMs);
        await deliveries.markRetry(row.id, owner, message, delay);
        report.retried++;
        countEvent("mails", { kind: "digest", outcome: "retried" });
        log(`${row.email}: temporary failure (${message}); attempt ${row.attempts} of ${maxAttempts}, next in ${Math.round(delay / 1000)} s`);
      } else {
        await deliveries.markFailed(row.id, owner, message);
        report.failed++;
        countEvent("mails", { kind: "digest", outcome: "failed" });
        log(`${row.email}: failed (${message})`);
      }
      return undefined;
    }
  }

  /**
   * Records a sent mail, trying a few times: a mail left unrecorded would go again on a later run.
   * With `claim`, the first try also claims up to `claim.limit` rows for the lane (markSentAndClaim).
   * When that try's answer is lost, the rows it may have claimed stay with this sender until it
   * stops, and then go back to pending for the next run.
   */
  async function record(sent: Sent, claim?: { limit: number; into: Claimed[] }): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        if (attempt === 1 && claim && claim.limit > 0) {
          claim.into.push(...(await deliveries.markSentAndClaim(sent.id, owner, sent.messageId, { date: digest.date, only: options.onlySubscriberId, limit: claim.limit })));
        } else {
          await deliveries.markSent(sent.id, owner, sent.messageId);
        }
        report.sent++;
        countEvent("mails", { kind: "digest", outcome: "sent" });
        return;
      } catch (error) {
        // A try whose answer was lost may have been written: then the retry finds the row sent.
        if (error instanceof DeliveryLostError) {
          if (attempt > 1 && (await deliveries.wasSent(sent.id, sent.messageId))) {
            report.sent++;
            countEvent("mails", { kind: "digest", outcome: "sent" });
            return;
          }
          throw error;
        }
        if (attempt >= RECORD_ATTEMPTS) throw error;
        await sleep(100 * attempt);
      }
    }
  }

  /**
   * One SMTP connection's worth of sending. The lane keeps rows claimed ahead of the mail in flight
   * (CLAIM_AHEAD at most), and tops them up in the statement that records a sent mail; that record
   * is written while the next mail's envelope goes out, so the database round trips overlap SMTP,
   * and a mail costs the lane one statement besides the check before its dot. A row claimed ahead
   * and never sent goes back to pending.
   */
  async function lane(): Promise<void> {
    const ahead: Claimed[] = [];
    let recorded: Promise<void> = Promise.resolve();
    try {
      while (!signal.aborted) {
        // The last record may be bringing rows; claim only when it brought none.
        if (ahead.length === 0) await recorded;
        if (ahead.length === 0 && !signal.aborted) ahead.push(...(await deliveries.claim(digest.date, owner, options.onlySubscriberId, CLAIM_AHEAD)));
        const row = ahead.shift();
        if (row) {
          const outcome = await deliver(row, recorded);
          await recorded;
          // Top up while a row is still ahead, so the next mail goes out during this record.
          recorded = typeof outcome === "object" ? record(outcome, ahead.length <= 1 ? { limit: CLAIM_AHEAD - ahead.length, into: ahead } : undefined) : Promise.resolve();
          recorded.catch(() => undefined);
          if (outcome === "outage") {
            // The rows claimed ahead would meet the same outage: they wait for the pause like the rest.
            // One at a time, each out of `ahead` once given back: on an error `finally` gives back the rest.
            while (ahead.length > 0) {
              await deliveries.release(ahead[0]!.id, owner);
              ahead.shift();
            }
          }
          continue;
        }
        if (signal.aborted) break;
        const recovered = await deliveries.recoverAbandoned(digest.date, owner);
        if (recovered > 0) {
          log(`${recovered} deliveries were in flight in a sender that stopped; sending them again`);
          continue;
        }
        const left = await deliveries.counts(digest.date, options.onlySubscriberId);
        // Done when nothing is pending; rows other live senders are sending are theirs to finish.
        if (left.pending === 0 || Date.now() >= deadline) return;
        const pause = await mailBackoff.current();
        const resumeAt = Math.max(left.due?.getTime() ?? 0, pause?.active ? pause.until.getTime() : 0);
        const wait = resumeAt > 0 ? Math.max(0, resumeAt - Date.now()) : MAX_IDLE_MS;
        await sleep(Math.min(wait, MAX_IDLE_MS, Math.max(0, deadline - Date.now())) + 5, signal);
      }
    } finally {
      // The rows claimed ahead go back whatever happened to the last record (which may have added some).
      const recordFailure = await recorded.then(() => undefined, (error: unknown) => error ?? new Error("recording a sent mail failed"));
      let releaseFailure: unknown;
      for (const held of ahead.splice(0)) {
        await deliveries.release(held.id, owner).catch((error: unknown) => (releaseFailure ??= error));
      }
      const error = recordFailure ?? releaseFailure;
      if (error) throw error;
    }
  }

  try {
    await deliveries.skipUnsubscribed(digest.date);
    for (;;) {
      // Every lane finishes (and records its last mail) before the owner lock is released: a lane
      // still sending must not have its rows taken for abandoned by another sender.
      const lanes = await Promise.allSettled(
        Array.from({ length: concurrency }, () =>
          lane().catch((error: unknown) => {
            failure.abort(error);
            throw error;
          }),
        ),
      );
      // A lost lock explains whatever else went wrong (another sender took the rows over).
      if (lock.lost.aborted) throw lock.lost.reason;
      const failed = lanes.find((result) => result.status === "rejected");
      if (failed) throw failed.reason;
      // No mail is in flight now: a row still claimed by this sender was claimed by a record whose
      // answer was lost (its retry found the mail recorded). It goes back to pending and is sent.
      const stranded = await deliveries.releaseHeld(digest.date, owner);
      if (stranded === 0) break;
      log(`${stranded} deliveries claimed by a record whose answer was lost went back to pending; sending them`);
    }
    await deliveries.skipUnsubscribed(digest.date);
    const left = await deliveries.counts(digest.date);
    report.totals = { sent: left.sent, failed: left.failed, skipped: left.skipped, pending: left.pending, sending: left.sending };
    // What this run was asked to send (one subscriber's mail with --only) is what is left of it.
    const mine = options.onlySubscriberId === undefined ? left : await deliveries.counts(digest.date, options.onlySubscriberId);
    report.pending = mine.pending;
    report.sending = mine.sending;
    report.skipped = mine.skipped;
    if (left.pending === 0 && left.sending === 0) await digests.markCompleted(digest.date);
    return report;
  } finally {
    await lock.release();
  }
}
