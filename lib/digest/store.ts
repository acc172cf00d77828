// Every statement of the digest domain, by name: the frozen digests (digests), their delivery rows
// (deliveries), the SMTP pause all senders share (mailBackoff) and the senders' owner locks (ownerLock).
// Callers go through these objects, so the digest benchmark times each operation by its name.
import { createHash } from "node:crypto";
import type pg from "pg";
import { db } from "@/lib/db/client";
import { preparedName } from "@/lib/db/prepared";
import type { RankedPaper } from "@/lib/papers/types";
import type { DigestPreferences } from "@/lib/subscriptions/preferences";
import { preferenceSelect, type PreferenceRow, rowPreferences } from "@/lib/subscriptions/subscribe";
import type { EditionContent } from "./personal";
import type { DigestContent } from "./types";

/** The class of the advisory locks senders hold (the second key is the owner). */
const OWNER_LOCK_CLASS = 0x7470_6467; // "tpdg"

// ---------------------------------------------------------------------------------------------
// Digests: the paper list of a day, frozen once with its audience.

export type FrozenDigest = DigestContent & { createdAt: Date; completedAt: Date | null };
export type DigestListing = { date: string; papers: number; firstTitle: string | null; createdAt: Date };
export type UnfinishedDigest = { date: string; pending: number; sending: number; failed: number };

async function getDigest(date: string): Promise<FrozenDigest | null> {
  const { rows } = await db.pool.query<{ papers: RankedPaper[]; createdAt: Date; completedAt: Date | null }>(
    `SELECT papers, created_at AS "createdAt", completed_at AS "completedAt" FROM digest WHERE date = $1::date`,
    [date],
  );
  const row = rows[0];
  return row ? { date, papers: row.papers, createdAt: row.createdAt, completedAt: row.completedAt } : null;
}

/** Digests that went (or are going) out, newest first. */
async function listDigests(limit = 60): Promise<DigestListing[]> {
  const { rows } = await db.pool.query<DigestListing>(
    `SELECT date::text AS date, jsonb_array_length(papers) AS papers, papers->0->>'title' AS "firstTitle", created_at AS "createdAt"
     FROM digest ORDER BY date DESC LIMIT $1`,
    [limit],
  );
  return rows;
}

/** One mail of the digest, as planDigest (plan.ts) decides it: to whom, with which edition (null: the day's digest) and its papers. */
export type Recipient = { subscriberId: string; edition: EditionContent | null; paperIds: string[] };

/**
 * Freezes a digest: the paper list, the personal editions and one pending delivery per recipient
 * of the plan (planDigest), in one transaction. When the digest already exists (a rerun, a second
 * worker), nothing changes and the frozen one is returned: its papers and audience are decided once.
 */
async function freezeDigest(content: DigestContent, recipients: Recipient[]): Promise<{ digest: FrozenDigest; created: boolean; recipients: number }> {
  const client = await db.pool.connect();
  try {
    await client.query("BEGIN");
    // Concurrent freezes of the same date wait here on the primary key; only one inserts.
    const inserted = await client.query(`INSERT INTO digest (date, papers) VALUES ($1::date, $2::jsonb) ON CONFLICT (date) DO NOTHING RETURNING date`, [
      content.date,
      JSON.stringify(content.papers),
    ]);
    const created = inserted.rowCount === 1;
    let count = 0;
    if (created) {
      // Equal content is one edition; deliveries are inserted edition by edition, so senders claiming
      // in id order render each edition once and then fill in links.
      // Recipients share edition objects: each is serialised and hashed once.
      const serialised = new Map<EditionContent, { json: string; key: string }>();
      const keyed = recipients.map((recipient) => {
        if (!recipient.edition) return { ...recipient, json: null, key: "" };
        let done = serialised.get(recipient.edition);
        if (!done) {
          const json = JSON.stringify(recipient.edition);
          done = { json, key: createHash("sha256").update(json).digest("base64url") };
          serialised.set(recipient.edition, done);
        }
        return { ...recipient, ...done };
      });
      keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : Number(BigInt(a.subscriberId) - BigInt(b.subscriberId))));
      const editions = new Map<string, { kind: string; from: string; json: string }>();
      for (const recipient of keyed) if (recipient.edition && !editions.has(recipient.key)) editions.set(recipient.key, { kind: recipient.edition.kind, from: recipient.edition.from, json: recipient.json! });
      const ids = new Map<string, string>();
      if (editions.size > 0) {
        const { rows } = await client.query<{ id: string; key: string }>(
          `INSERT INTO digest_edition (digest_date, content_key, kind, window_from, content)
           SELECT $1::date, e.key, e.kind, e.window_from::date, e.content::jsonb FROM jsonb_to_recordset($2::jsonb) AS e(key text, kind text, window_from text, content text)
           RETURNING id::text, content_key AS key`,
          // Each edition's JSON as serialised for its key, carried as a string: not parsed back only to be serialised again.
          [content.date, JSON.stringify([...editions].map(([key, edition]) => ({ key, kind: edition.kind, window_from: edition.from, content: edition.json })))],
        );
        for (const row of rows) ids.set(row.key, row.id);
      }
      const audience = await client.query(
        `INSERT INTO delivery (digest_date, subscriber_id, edition_id, paper_ids)
         SELECT $1::date, r.subscriber_id::bigint, r.edition_id::bigint, r.paper_ids
         FROM ROWS FROM (jsonb_to_recordset($2::jsonb) AS (subscriber_id text, edition_id text, paper_ids text[])) WITH ORDINALITY AS r(subscriber_id, edition_id, paper_ids, n)
         JOIN subscriber s ON s.id = r.subscriber_id::bigint AND s.status = 'confirmed'
         ORDER BY r.n
         ON CONFLICT (digest_date, subscriber_id) DO NOTHING`,
        [content.date, JSON.stringify(keyed.map((recipient) => ({ subscriber_id: recipient.subscriberId, edition_id: recipient.edition ? ids.get(recipient.key) : null, paper_ids: recipient.paperIds })))],
      );
      count = audience.rowCount ?? 0;
    }
    await client.query("COMMIT");
    const digest = await getDigest(content.date);
    if (!digest) throw new Error(`digest ${content.date} vanished right after it was frozen`);
    if (!created) count = await countDeliveries(content.date);
    return { digest, created, recipients: count };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** A personal edition's content, as frozen. */
async function getEdition(id: string): Promise<EditionContent | null> {
  const { rows } = await db.pool.query<{ content: EditionContent }>(`SELECT content FROM digest_edition WHERE id = $1`, [id]);
  return rows[0]?.content ?? null;
}

type AudienceMember = {
  id: string;
  preferences: DigestPreferences;
  /** Days of this subscriber's weekly digests around `day` (two weeks either side). */
  weeklySent: string[];
  /** Papers that mails of the two weeks before `day` carried (or will: pending and in flight). */
  sentPaperIds: string[];
};

/** Every confirmed subscriber with what deciding their digest of `day` needs. */
export async function audience(day: string): Promise<AudienceMember[]> {
  const { rows } = await db.pool.query<PreferenceRow & { id: string; weeklySent: string[]; sentPaperIds: string[] }>(
    `SELECT s.id::text, ${preferenceSelect("s.")},
            coalesce((SELECT array_agg(DISTINCT d.digest_date::text) FROM delivery d JOIN digest_edition e ON e.id = d.edition_id
                      WHERE d.subscriber_id = s.id AND e.kind = 'weekly' AND d.status <> 'skipped'
                        AND d.digest_date BETWEEN $1::date - 14 AND $1::date + 14), '{}') AS "weeklySent",
            coalesce((SELECT array_agg(DISTINCT p) FROM delivery d CROSS JOIN unnest(d.paper_ids) AS p
                      WHERE d.subscriber_id = s.id AND d.status IN ('pending', 'sending', 'sent')
                        AND d.digest_date BETWEEN $1::date - 14 AND $1::date - 1), '{}') AS "sentPaperIds"
     FROM subscriber s WHERE s.status = 'confirmed' ORDER BY s.id`,
    [day],
  );
  return rows.map((row) => ({ id: row.id, preferences: rowPreferences(row), weeklySent: row.weeklySent, sentPaperIds: row.sentPaperIds }));
}

/** A digest is complete once none of its deliveries is pending or sending (failed ones are reported, not retried). */
async function markCompleted(date: string): Promise<void> {
  await db.pool.query(`UPDATE digest SET completed_at = coalesce(completed_at, now()) WHERE date = $1::date`, [date]);
}

/** Digests not completed yet (all of them, or those before `before`), oldest first. */
async function unfinishedDigests(before?: string): Promise<UnfinishedDigest[]> {
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

export const digests = { get: getDigest, list: listDigests, freeze: freezeDigest, markCompleted, unfinished: unfinishedDigests, edition: getEdition };

// ---------------------------------------------------------------------------------------------
// Deliveries: claim, release and record, recover the rows of dead senders, count. A record names
// the sender that claimed the row and changes exactly that row, or throws DeliveryLostError: a
// sender that lost a row must stop, never carry on as if it had written. The statements a sender
// runs for every mail (claim, markSent, markSentAndClaim, stillHeld) are named prepared statements.

/** A claimed delivery; `editionId` null: the day's digest as everyone sees it. */
export type Claimed = { id: string; subscriberId: string; email: string; attempts: number; editionId: string | null };
export type Counts = { due: Date | null; pending: number; sending: number; skipped: number; sent: number; failed: number };

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
 * Claims up to `limit` due deliveries, the lowest ids first (spending one attempt each), unless every
 * sender is paused by an SMTP outage (mailBackoff below): the pause is checked in the same statement,
 * so no lane of any process claims while it lasts.
 */
async function claim(date: string, owner: number, only: bigint | undefined, limit = 1): Promise<Claimed[]> {
  const { text, values } = claimStatement(date, owner, only, limit);
  const { rows } = await db.pool.query<Claimed>({ name: preparedName("digest-claim", text), text, values });
  return inIdOrder(rows);
}

/** The claim's SQL and parameters (the digest benchmark explains its plan). */
export function claimStatement(date: string, owner: number, only: bigint | undefined, limit = 1): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const text = `WITH ${claimClauses(values, date, owner, only, limit, "")}
     SELECT * FROM claimed`;
  return { text, values };
}

/**
 * The CTEs `next` and `claimed` of a claim, their parameters appended to `values`; `condition` is
 * one more condition on the rows to claim (markSentAndClaim claims only if its record held).
 */
function claimClauses(values: unknown[], date: string, owner: number, only: bigint | undefined, limit: number, condition: string): string {
  const $ = (value: unknown) => `$${values.push(value)}`;
  const dateParam = $(date);
  const ownerParam = $(owner);
  const onlyClause = only === undefined ? "" : `AND d.subscriber_id = ${$(only.toString())}`;
  return `next AS (
       SELECT d.id, s.email FROM delivery d JOIN subscriber s ON s.id = d.subscriber_id
       WHERE d.digest_date = ${dateParam}::date AND d.status = 'pending' AND d.next_attempt_at <= now() AND s.status = 'confirmed' ${onlyClause}
         AND NOT EXISTS (SELECT 1 FROM mail_backoff WHERE until > now()) ${condition}
       ORDER BY d.id LIMIT ${claimLimit(limit)} FOR UPDATE OF d SKIP LOCKED
     ),
     claimed AS (
       UPDATE delivery d SET status = 'sending', claimed_by = ${ownerParam}, claimed_at = now(), attempts = d.attempts + 1
       FROM next WHERE d.id = next.id
       RETURNING d.id::text AS id, d.subscriber_id::text AS "subscriberId", next.email, d.attempts, d.edition_id::text AS "editionId"
     )`;
}

/**
 * A claim's LIMIT, written into the SQL (a prepared statement per limit: a generic plan would not
 * know how few rows it takes).
 */
function claimLimit(limit: number): string {
  if (!Number.isInteger(limit) || limit < 0 || limit > 100) throw new Error(`a claim takes 0 to 100 rows (asked for ${limit})`);
  return String(limit);
}

const inIdOrder = (rows: Claimed[]) => rows.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));

/**
 * Gives a claimed row back, due now, without spending its attempt: a row claimed ahead and never
 * sent, or one whose mail met an SMTP outage (`error` then says which).
 */
async function release(id: string, owner: number, error: string | null = null): Promise<void> {
  const result = await db.pool.query(
    `UPDATE delivery SET status = 'pending', claimed_by = NULL, claimed_at = NULL, attempts = attempts - 1, next_attempt_at = now(), error = coalesce($3, error)
     WHERE id = $1 AND claimed_by = $2 AND status = 'sending'`,
    [id, owner, error],
  );
  expectOne(result, "release", id, owner);
}

/** The CTEs that record an accepted mail; a sent mail also ends any SMTP pause: the relay works again. */
function recordClauses(values: unknown[], id: string, owner: number, messageId: string | null): string {
  const $ = (value: unknown) => `$${values.push(value)}`;
  return `cleared AS (
       UPDATE mail_backoff SET failures = 0, until = least(until, now()), last_error = NULL, updated_at = now() WHERE failures > 0
     ),
     recorded AS (
       UPDATE delivery SET status = 'sent', sent_at = now(), message_id = ${$(messageId)}, error = NULL, claimed_by = NULL
       WHERE id = ${$(id)} AND claimed_by = ${$(owner)} AND status = 'sending'
       RETURNING id
     )`;
}

/** Records an accepted mail. */
async function markSent(id: string, owner: number, messageId: string | null): Promise<void> {
  const values: unknown[] = [];
  const text = `WITH ${recordClauses(values, id, owner, messageId)} SELECT 1 FROM recorded`;
  const result = await db.pool.query({ name: preparedName("digest-sent", text), text, values });
  expectOne(result, "markSent", id, owner);
}

/**
 * Records an accepted mail and, in the same statement (one round trip and one commit), claims up
 * to `next.limit` more rows as claim() does: only if the record held, and only while no pause runs
 * as the statement starts. Throws DeliveryLostError, having claimed nothing, when the row is not held.
 */
async function markSentAndClaim(id: string, owner: number, messageId: string | null, next: { date: string; only: bigint | undefined; limit: number }): Promise<Claimed[]> {
  const values: unknown[] = [];
  const records = recordClauses(values, id, owner, messageId);
  const claims = claimClauses(values, next.date, owner, next.only, next.limit, "AND EXISTS (SELECT 1 FROM recorded)");
  const text = `WITH ${records}, ${claims}
     SELECT (SELECT count(*) FROM recorded)::int AS recorded, coalesce((SELECT json_agg(claimed) FROM claimed), '[]'::json) AS claimed`;
  const { rows } = await db.pool.query<{ recorded: number; claimed: Claimed[] }>({ name: preparedName("digest-sent-claim", text), text, values });
  const row = rows[0];
  if (row?.recorded !== 1) throw new DeliveryLostError("markSent", id, owner);
  return inIdOrder(row.claimed);
}

/** Whether a delivery is recorded as sent with this Message-ID (a retried record whose first try got through). */
async function wasSent(id: string, messageId: string | null): Promise<boolean> {
  const { rowCount } = await db.pool.query(`SELECT 1 FROM delivery WHERE id = $1 AND status = 'sent' AND message_id IS NOT DISTINCT FROM $2`, [id, messageId]);
  return rowCount === 1;
}

/** A temporary failure for this address (4xx): pending again after `delayMs`, the attempt spent. */
async function markRetry(id: string, owner: number, error: string, delayMs: number): Promise<void> {
  const result = await db.pool.query(
    `UPDATE delivery SET status = 'pending', claimed_by = NULL, error = $3, next_attempt_at = now() + make_interval(secs => $4::double precision / 1000)
     WHERE id = $1 AND claimed_by = $2 AND status = 'sending'`,
    [id, owner, error, delayMs],
  );
  expectOne(result, "markRetry", id, owner);
}

/** A permanent failure (5xx, or the attempts used up). */
async function markFailed(id: string, owner: number, error: string): Promise<void> {
  const result = await db.pool.query(`UPDATE delivery SET status = 'failed', claimed_by = NULL, error = $3 WHERE id = $1 AND claimed_by = $2 AND status = 'sending'`, [
    id,
    owner,
    error,
  ]);
  expectOne(result, "markFailed", id, owner);
}

/**
 * Which of these rows this sender still holds, asked on its owner-lock connection: the query fails
 * when that connection (and so the lock) is gone, and leaves out a row another sender took.
 */
async function stillHeld(lockConnection: pg.Client, ids: string[], owner: number): Promise<Set<string>> {
  const text = `SELECT id::text FROM delivery WHERE id = ANY($1::bigint[]) AND claimed_by = $2 AND status = 'sending'`;
  const { rows } = await lockConnection.query<{ id: string }>({ name: preparedName("digest-held", text), text, values: [ids, owner] });
  return new Set(rows.map((row) => row.id));
}

/** Gives back every row this sender still holds, due now, attempts unspent: for when it has no mail in flight. */
async function releaseHeld(date: string, owner: number): Promise<number> {
  const { rowCount } = await db.pool.query(
    `UPDATE delivery SET status = 'pending', claimed_by = NULL, claimed_at = NULL, attempts = attempts - 1, next_attempt_at = now()
     WHERE digest_date = $1::date AND claimed_by = $2 AND status = 'sending'`,
    [date, owner],
  );
  return rowCount ?? 0;
}

/** Puts back rows claimed by senders that are gone (their owner lock is free). */
async function recoverAbandoned(date: string, owner: number): Promise<number> {
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

/** Where a digest's deliveries stand (one subscriber's with `only`); `due` is the earliest pending row's time. */
async function counts(date: string, only?: bigint): Promise<Counts> {
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

/** How many deliveries a digest has (in these states, or all). */
async function countDeliveries(date: string, statuses?: string[]): Promise<number> {
  const { rows } = await db.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM delivery WHERE digest_date = $1::date AND ($2::text[] IS NULL OR status = ANY($2::text[]))`,
    [date, statuses ?? null],
  );
  return rows[0]?.n ?? 0;
}

/** Whether a subscriber is in a digest's audience (confirmed before it was frozen). */
async function hasDelivery(date: string, subscriberId: bigint): Promise<boolean> {
  const { rowCount } = await db.pool.query(`SELECT 1 FROM delivery WHERE digest_date = $1::date AND subscriber_id = $2`, [date, subscriberId.toString()]);
  return (rowCount ?? 0) > 0;
}

/** Deliveries that failed for good in the last `days` days (a failed row keeps the time its last attempt was claimed). */
async function recentFailures(days: number): Promise<number> {
  const { rows } = await db.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM delivery WHERE status = 'failed' AND claimed_at > now() - make_interval(days => $1::int)`,
    [days],
  );
  return rows[0]?.n ?? 0;
}

export const deliveries = {
  claim,
  release,
  markSent,
  markSentAndClaim,
  wasSent,
  markRetry,
  markFailed,
  stillHeld,
  releaseHeld,
  recoverAbandoned,
  skipUnsubscribed,
  counts,
  count: countDeliveries,
  has: hasDelivery,
  recentFailures,
};

// ---------------------------------------------------------------------------------------------
// Mail backoff: the one row of mail_backoff, set by a connection-level SMTP failure, checked by
// every claim, cleared by the next sent mail (markSent).

export type MailPause = {
  /** No delivery is claimed before this. */
  until: Date;
  /** Connection-level failures since the last sent mail. */
  failures: number;
  lastError: string | null;
  /** Whether `until` is still ahead. */
  active: boolean;
};

/**
 * Records a connection-level failure. While a pause runs, further failures (other lanes' mails that
 * were in flight when the relay went away) do not lengthen it; the first failure after it ended
 * doubles it, from `baseMs` up to `maxMs`. The policy lives in the statement so that concurrent
 * senders apply it to the one row atomically.
 */
async function pauseMail(error: string, baseMs: number, maxMs: number): Promise<MailPause> {
  const { rows } = await db.pool.query<MailPause>(
    `INSERT INTO mail_backoff AS b (id, until, failures, last_error, updated_at)
     VALUES (1, now() + make_interval(secs => least($2::double precision, $3::double precision) / 1000), 1, $1, now())
     ON CONFLICT (id) DO UPDATE SET
       failures = CASE WHEN b.until > now() THEN b.failures ELSE b.failures + 1 END,
       until = CASE WHEN b.until > now() THEN b.until
                    ELSE now() + make_interval(secs => least($2::double precision * 2 ^ least(b.failures, 40), $3::double precision) / 1000) END,
       last_error = $1, updated_at = now()
     RETURNING until, failures, last_error AS "lastError", until > now() AS active`,
    [error, baseMs, maxMs],
  );
  const row = rows[0];
  if (!row) throw new Error("mail_backoff: the upsert returned no row");
  return row;
}

/** The outage since the last sent mail, if any (its pause may be over: nothing got through since). */
async function currentPause(): Promise<MailPause | null> {
  const { rows } = await db.pool.query<MailPause>(`SELECT until, failures, last_error AS "lastError", until > now() AS active FROM mail_backoff WHERE failures > 0`);
  return rows[0] ?? null;
}

export const mailBackoff = { pause: pauseMail, current: currentPause };

// ---------------------------------------------------------------------------------------------
// Owner locks: a session advisory lock per sender, held on a connection of its own. While it is
// held the sender is alive; recoverAbandoned takes the rows of owners whose lock is free.

/** Takes `owner`'s lock on this connection, if no other session holds it. */
async function tryLock(connection: pg.Client, owner: number): Promise<boolean> {
  const { rows } = await connection.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock($1, $2) AS ok`, [OWNER_LOCK_CLASS, owner]);
  return rows[0]?.ok === true;
}

/** Gives `owner`'s lock back (ending the connection would too). */
async function unlock(connection: pg.Client, owner: number): Promise<void> {
  await connection.query(`SELECT pg_advisory_unlock($1, $2)`, [OWNER_LOCK_CLASS, owner]);
}

export const ownerLock = { tryLock, unlock };
