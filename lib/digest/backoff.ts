// The SMTP pause every digest sender shares (the one row of mail_backoff): set by a connection-level
// failure, checked by every claim (lib/digest/deliveries.ts), cleared by the next sent mail.
import { db } from "@/lib/db/client";

export type MailPause = {
  /** No delivery is claimed before this. */
  until: Date;
  /** Connection-level failures since the last sent mail. */
  failures: number;
  lastError: string | null;
  /** Whether `until` is still ahead. */
  active: boolean;
};

type Row = { until: Date; failures: number; lastError: string | null; active: boolean };
const RETURNING = `RETURNING until, failures, last_error AS "lastError", until > now() AS active`;

/**
 * Records a connection-level failure. While a pause runs, further failures (other lanes' mails that
 * were in flight when the relay went away) do not lengthen it; the first failure after it ended
 * doubles it, from `baseMs` up to `maxMs`.
 */
export async function pauseMail(error: string, baseMs: number, maxMs: number): Promise<MailPause> {
  const { rows } = await db.pool.query<Row>(
    `INSERT INTO mail_backoff AS b (id, until, failures, last_error, updated_at)
     VALUES (1, now() + make_interval(secs => least($2::double precision, $3::double precision) / 1000), 1, $1, now())
     ON CONFLICT (id) DO UPDATE SET
       failures = CASE WHEN b.until > now() THEN b.failures ELSE b.failures + 1 END,
       until = CASE WHEN b.until > now() THEN b.until
                    ELSE now() + make_interval(secs => least($2::double precision * 2 ^ least(b.failures, 40), $3::double precision) / 1000) END,
       last_error = $1, updated_at = now()
     ${RETURNING}`,
    [error, baseMs, maxMs],
  );
  const row = rows[0];
  if (!row) throw new Error("mail_backoff: the upsert returned no row");
  return row;
}

/** The outage since the last sent mail, if any (its pause may be over: nothing got through since). */
export async function currentPause(): Promise<MailPause | null> {
  const { rows } = await db.pool.query<Row>(`SELECT until, failures, last_error AS "lastError", until > now() AS active FROM mail_backoff WHERE failures > 0`);
  return rows[0] ?? null;
}
