// The delivery rows of frozen digests in Postgres, as the senders of lib/digest/send.ts use them:
// claim, release and record, recover the rows of dead senders, count. A record names the sender
// that claimed the row and changes exactly that row, or throws DeliveryLostError: a sender that
// lost a row must stop, never carry on as if it had written.
import type pg from "pg";
import { db } from "@/lib/db/client";

/** The class of the advisory locks senders hold (the second key is the owner). */
export const OWNER_LOCK_CLASS = 0x7470_6467; // "tpdg"

export type Claimed = { id: string; subscriberId: string; email: string; attempts: number };

export class DeliveryLostError extends Error {
  constructor(operation: string, id: string, owner: number) {
    super(`${operation}: delivery ${id} is no longer held by sender ${owner} (another sender took it over, or its lock was lost)`);
    this.name = "DeliveryLostError";
  }
}

function expectOne(result: pg.QueryResult, operation: string, id: string, owner: number): void {
  if (result.rowCount !== 1) throw new DeliveryLostError(operation, id, owner);
}

/**
 * Claims the next due delivery (spending one attempt), unless every sender is paused by an SMTP
 * outage (lib/digest/backoff.ts): the pause is checked in the same statement, so no lane of any
 * process claims while it lasts.
 */
export async function claim(date: string, owner: number, only: bigint | undefined): Promise<Claimed | undefined> {
  const { text, values } = claimStatement(date, owner, only);
  const { rows } = await db.pool.query<Claimed>(text, values);
  return rows[0];
}

/** The claim's SQL and parameters (the digest benchmark explains its plan). */
export function claimStatement(date: string, owner: number, only: bigint | undefined): { text: string; values: unknown[] } {
  const values: unknown[] = [date, owner];
  const onlyClause = only === undefined ? "" : `AND d.subscriber_id = $${values.push(only.toString())}`;
  const text = `WITH next AS (
       SELECT d.id, s.email FROM delivery d JOIN subscriber s ON s.id = d.subscriber_id
       WHERE d.digest_date = $1::date AND d.status = 'pending' AND d.next_attempt_at <= now() AND s.status = 'confirmed' ${onlyClause}
         AND NOT EXISTS (SELECT 1 FROM mail_backoff WHERE until > now())
       ORDER BY d.id LIMIT 1 FOR UPDATE OF d SKIP LOCKED
     )
     UPDATE delivery d SET status = 'sending', claimed_by = $2, claimed_at = now(), attempts = d.attempts + 1
     FROM next WHERE d.id = next.id
     RETURNING d.id::text AS id, d.subscriber_id::text AS "subscriberId", next.email, d.attempts`;
  return { text, values };
}

/**
 * Gives a claimed row back, due now, without spending its attempt: a row claimed ahead and never
 * sent, or one whose mail met an SMTP outage (`error` then says which).
 */
export async function release(id: string, owner: number, error: string | null = null): Promise<void> {
  const result = await db.pool.query(
    `UPDATE delivery SET status = 'pending', claimed_by = NULL, claimed_at = NULL, attempts = attempts - 1, next_attempt_at = now(), error = coalesce($3, error)
     WHERE id = $1 AND claimed_by = $2 AND status = 'sending'`,
    [id, owner, error],
  );
  expectOne(result, "release", id, owner);
}

/** Records an accepted mail. A sent mail also ends any SMTP pause: the relay works again. */
export async function markSent(id: string, owner: number, messageId: string | null): Promise<void> {
  const result = await db.pool.query(
    `WITH cleared AS (
       UPDATE mail_backoff SET failures = 0, until = least(until, now()), last_error = NULL, updated_at = now() WHERE failures > 0
     )
     UPDATE delivery SET status = 'sent', sent_at = now(), message_id = $3, error = NULL, claimed_by = NULL
     WHERE id = $1 AND claimed_by = $2 AND status = 'sending'`,
    [id, owner, messageId],
  );
  expectOne(result, "markSent", id, owner);
}

/** Whether a delivery is recorded as sent with this Message-ID (a retried record whose first try got through). */
export async function wasSent(id: string, messageId: string | null): Promise<boolean> {
  const { rowCount } = await db.pool.query(`SELECT 1 FROM delivery WHERE id = $1 AND status = 'sent' AND message_id IS NOT DISTINCT FROM $2`, [id, messageId]);
  return rowCount === 1;
}

/** A temporary failure for this address (4xx): pending again after `delayMs`, the attempt spent. */
export async function markRetry(id: string, owner: number, error: string, delayMs: number): Promise<void> {
  const result = await db.pool.query(
    `UPDATE delivery SET status = 'pending', claimed_by = NULL, error = $3, next_attempt_at = now() + make_interval(secs => $4::double precision / 1000)
     WHERE id = $1 AND claimed_by = $2 AND status = 'sending'`,
    [id, owner, error, delayMs],
  );
  expectOne(result, "markRetry", id, owner);
}

/** A permanent failure (5xx, or the attempts used up). */
export async function markFailed(id: string, owner: number, error: string): Promise<void> {
  const result = await db.pool.query(`UPDATE delivery SET status = 'failed', claimed_by = NULL, error = $3 WHERE id = $1 AND claimed_by = $2 AND status = 'sending'`, [
    id,
    owner,
    error,
  ]);
  expectOne(result, "markFailed", id, owner);
}

/**
 * Whether this sender still holds the row, asked on its owner-lock connection: the query fails
 * when that connection (and so the lock) is gone, and finds nothing when another sender took the row.
 */
export async function stillHeld(lockConnection: pg.Client, id: string, owner: number): Promise<boolean> {
  const { rowCount } = await lockConnection.query(`SELECT 1 FROM delivery WHERE id = $1 AND claimed_by = $2 AND status = 'sending'`, [id, owner]);
  return rowCount === 1;
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
export async function skipUnsubscribed(date: string): Promise<number> {
  const { rowCount } = await db.pool.query(
    `UPDATE delivery d SET status = 'skipped', error = 'unsubscribed before it was sent'
     FROM subscriber s WHERE s.id = d.subscriber_id AND d.digest_date = $1::date AND d.status = 'pending' AND s.status <> 'confirmed'`,
    [date],
  );
  return rowCount ?? 0;
}

export type Counts = { due: Date | null; pending: number; sending: number; skipped: number; sent: number; failed: number };

/** Where a digest's deliveries stand (one subscriber's with `only`); `due` is the earliest pending row's time. */
export async function counts(date: string, only?: bigint): Promise<Counts> {
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

/** A digest is complete once none of its deliveries is pending or sending (failed ones are reported, not retried). */
export async function markCompleted(date: string): Promise<void> {
  await db.pool.query(`UPDATE digest SET completed_at = coalesce(completed_at, now()) WHERE date = $1::date`, [date]);
}

export type UnfinishedDigest = { date: string; pending: number; sending: number; failed: number };

/** Digests not completed yet (all of them, or those before `before`), oldest first. */
export async function unfinishedDigests(before?: string): Promise<UnfinishedDigest[]> {
  const { rows } = await db.pool.query<UnfinishedDigest>(
    `SELECT g.date::text AS date,
            count(d.id) FILTER (WHERE d.status = 'pending')::int AS pending,
            count(d.id) FILTER (WHERE d.status = 'sending')::int AS sending,
            count(d.id) FILTER (WHERE d.status = 'failed')::int AS failed
     FROM digest g LEFT JOIN delivery d ON d.digest_date = g.date
     WHERE g.completed_at IS NULL AND ($1::date IS NULL OR g.date < $1::date)
     GROUP BY g.date ORDER BY g.date`,
    [before ?? null],
  );
  return rows;
}

/** Deliveries that failed for good in the last `days` days (a failed row keeps the time its last attempt was claimed). */
export async function recentFailures(days: number): Promise<number> {
  const { rows } = await db.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM delivery WHERE status = 'failed' AND claimed_at > now() - make_interval(days => $1::int)`,
    [days],
  );
  return rows[0]?.n ?? 0;
}

/** How many deliveries a digest has (in these states, or all). */
export async function countDeliveries(date: string, statuses?: string[]): Promise<number> {
  const { rows } = await db.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM delivery WHERE digest_date = $1::date AND ($2::text[] IS NULL OR status = ANY($2::text[]))`,
    [date, statuses ?? null],
  );
  return rows[0]?.n ?? 0;
}

/** Whether a subscriber is in a digest's audience (confirmed before it was frozen). */
export async function hasDelivery(date: string, subscriberId: bigint): Promise<boolean> {
  const { rowCount } = await db.pool.query(`SELECT 1 FROM delivery WHERE digest_date = $1::date AND subscriber_id = $2`, [date, subscriberId.toString()]);
  return (rowCount ?? 0) > 0;
}

/**
 * The operations a sender runs, by name: sendDigest calls them through this object, so the digest
 * benchmark times each one by its name (it replaces the entries) rather than by its SQL text.
 */
export const deliveries = { claim, release, markSent, wasSent, markRetry, markFailed, stillHeld, recoverAbandoned, skipUnsubscribed, counts, markCompleted };
