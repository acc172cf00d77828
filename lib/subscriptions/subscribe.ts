// Double opt-in subscriptions: subscribe (same answer whatever the address's state), confirm with
// a signed single-use link, unsubscribe with a signed long-lived link. Each statement of these
// flows is in the named operation that runs it; the digest reads its audience in lib/digest.
import { verifyPerson } from "@/lib/auth/store";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { normalizeEmail } from "@/lib/mail/address";
import { consumeMailLimits, mailLimitMessage } from "@/lib/mail/limits";
import { renderConfirmMail } from "@/lib/mail/render";
import { tokenSecret } from "@/lib/mail/secret";
import { newNonce, readConfirmToken, readUnsubscribeToken } from "@/lib/mail/tokens";
import { mailTransport } from "@/lib/mail/transport";
import { countEvent } from "@/lib/metrics/events";
import { confirmUrl, unsubscribePageUrl } from "./links";
import { CADENCES, DEFAULT_PREFERENCES, PREFERENCE_LIMITS, savedSearchSchema, type DigestPreferences } from "./preferences";

/** A subscriber row's status (the column is text; these are the values it holds). */
export type SubscriberStatus = "pending" | "confirmed" | "unsubscribed";

export type SubscribeResult =
  | { status: "check-inbox"; email: string }
  | { status: "invalid"; error: string }
  | { status: "limited"; retryAfterSeconds: number; message: string }
  | { status: "mail-failed" };

/** What the page and the API say after a subscribe request, the same for every address state. */
export function checkInboxMessage(email: string): string {
  return `Thanks! We sent a message to ${email}. Open the link in it to confirm your subscription (it works for 48 hours).`;
}

/**
 * The digest list's List-Id (RFC 2919), on digest and confirmation mails so filters can file them:
 * `Trending Papers <digest.HOST>`, HOST from APP_URL. The id must be a dot-atom in a namespace we
 * own, so an address or an odd host name (an IP, `[::1]`) gives `digest.localhost`.
 */
export function digestListId(appUrl: string = env.APP_URL): string {
  const host = new URL(appUrl).hostname.toLowerCase().replace(/\.$/, "");
  const label = "[a-z0-9](?:[a-z0-9-]*[a-z0-9])?";
  const isDomain = new RegExp(`^${label}(?:\\.${label})*$`).test(host) && !/^[0-9.]+$/.test(host);
  return `Trending Papers <digest.${isDomain ? host : "localhost"}>`;
}

export const MAIL_FAILED_MESSAGE = "We could not send the confirmation email just now. Please try again in a few minutes.";

/**
 * Starts double opt-in. Preferences given here (the subscribe form's topics, the API's fields) are
 * kept for a new, pending or unsubscribed address and apply once it is confirmed; a confirmed
 * subscriber's are never changed by this unauthenticated request (they change them signed in),
 * and a request without preferences leaves an existing row's as they are.
 */
export async function subscribe(input: { email: unknown; ip?: string; preferences?: DigestPreferences }): Promise<SubscribeResult> {
  const address = normalizeEmail(input.email);
  if (!address.ok) return { status: "invalid", error: address.error };
  const email = address.email;
  const limit = await consumeMailLimits({ email, ip: input.ip });
  if (!limit.ok) {
    countEvent("mails", { kind: "confirm", outcome: "limited" });
    return { status: "limited", retryAfterSeconds: limit.retryAfterSeconds, message: mailLimitMessage(limit) };
  }

  // New, pending and unsubscribed addresses (re)start confirmation with a fresh single-use nonce;
  // a confirmed one stays confirmed and is told so by mail. The caller's answer is the same.
  // Without preferences in the request, an existing row keeps the ones it has.
  // Nor do the preferences of a row a signed-in person saved (person_id, preferences_updated_at): an
  // unauthenticated request never changes what someone chose signed in.
  const keep = (column: string) => `${column} = CASE WHEN subscriber.status = 'confirmed' THEN subscriber.${column} ELSE EXCLUDED.${column} END`;
  const keepSaved = (column: string) =>
    `${column} = CASE WHEN subscriber.status = 'confirmed' OR subscriber.person_id IS NOT NULL OR subscriber.preferences_updated_at IS NOT NULL THEN subscriber.${column} ELSE EXCLUDED.${column} END`;
  const updates = [keep("subscribed_ip"), ...(input.preferences ? PREFERENCE_NAMES.map(keepSaved) : [])];
  const { rows } = await db.pool.query<{ id: string; status: SubscriberStatus; confirmNonce: string | null }>(
    `INSERT INTO subscriber (email, status, confirm_nonce, subscribed_ip, ${PREFERENCE_NAMES.join(", ")})
     VALUES ($1, 'pending', $2, $3, ${preferenceParams(4).join(", ")})
     ON CONFLICT (email) DO UPDATE SET
       status = CASE WHEN subscriber.status = 'confirmed' THEN 'confirmed' ELSE 'pending' END,
       confirm_nonce = CASE WHEN subscriber.status = 'confirmed' THEN NULL ELSE EXCLUDED.confirm_nonce END,
       subscribed_at = CASE WHEN subscriber.status = 'confirmed' THEN subscriber.subscribed_at ELSE now() END,
       ${updates.join(",\n       ")}
     RETURNING id::text, status, confirm_nonce AS "confirmNonce"`,
    [email, newNonce(), input.ip ?? null, ...preferenceValues(input.preferences ?? DEFAULT_PREFERENCES)],
  );
  const row = rows[0]!;
  const id = BigInt(row.id);
  const alreadySubscribed = row.status === "confirmed";
  const mail = await renderConfirmMail({
    appUrl: env.APP_URL,
    confirmUrl: alreadySubscribed ? "" : confirmUrl(id, row.confirmNonce!),
    alreadySubscribed,
    unsubscribeUrl: alreadySubscribed ? unsubscribePageUrl(id) : undefined,
  });
  try {
    // The digest's List-Id: the confirmation belongs to the list it confirms.
    await mailTransport().sendMail({ from: env.MAIL_FROM, to: email, subject: mail.subject, html: mail.html, text: mail.text, headers: { "List-Id": digestListId() } });
    countEvent("mails", { kind: "confirm", outcome: "sent" });
  } catch (error) {
    countEvent("mails", { kind: "confirm", outcome: "failed" });
    console.error(`subscribe: could not send to ${email}: ${(error as Error).message}`);
    return { status: "mail-failed" };
  }
  return { status: "check-inbox", email };
}

export type ConfirmResult =
  | { status: "confirmed"; email: string; personId: bigint }
  | { status: "already-confirmed" }
  | { status: "expired" }
  | { status: "used" }
  | { status: "invalid" };

export type ConfirmLinkState = { status: "valid"; email: string } | Exclude<ConfirmResult, { status: "confirmed" }>;

/** What the link's page shows (a GET): read only, so a mail scanner opening the link confirms nothing. */
export async function inspectConfirmation(token: string): Promise<ConfirmLinkState> {
  const check = readConfirmToken(tokenSecret(), token);
  if (!check.ok) return { status: check.reason === "expired" ? "expired" : "invalid" };
  const { rows } = await db.pool.query<{ email: string; status: SubscriberStatus; confirmNonce: string | null }>(
    `SELECT email, status, confirm_nonce AS "confirmNonce" FROM subscriber WHERE id = $1`,
    [check.value.subscriberId.toString()],
  );
  const row = rows[0];
  if (!row) return { status: "invalid" };
  if (row.status === "pending" && row.confirmNonce === check.value.nonce) return { status: "valid", email: row.email };
  return { status: row.status === "confirmed" ? "already-confirmed" : "used" };
}

/** Uses the link (a POST from its page): the subscription starts, and the address becomes a person (signed in by the caller). */
export async function confirmSubscription(token: string, ip?: string): Promise<ConfirmResult> {
  const check = readConfirmToken(tokenSecret(), token);
  if (!check.ok) return { status: check.reason === "expired" ? "expired" : "invalid" };
  const { subscriberId, nonce } = check.value;
  const client = await db.pool.connect();
  try {
    await client.query("BEGIN");
    const { rows } = await client.query<{ email: string }>(
      `UPDATE subscriber SET status = 'confirmed', confirmed_at = now(), confirmed_ip = $3, confirm_nonce = NULL, unsubscribed_at = NULL
       WHERE id = $1 AND status = 'pending' AND confirm_nonce = $2 RETURNING email`,
      [subscriberId.toString(), nonce, ip ?? null],
    );
    const email = rows[0]?.email;
    if (email) {
      const personId = await verifyPerson(email, client);
      await client.query(`UPDATE subscriber SET person_id = $2 WHERE id = $1`, [subscriberId.toString(), personId.toString()]);
      await client.query("COMMIT");
      return { status: "confirmed", email, personId };
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  const current = await db.pool.query<{ status: SubscriberStatus }>(`SELECT status FROM subscriber WHERE id = $1`, [subscriberId.toString()]);
  return { status: current.rows[0]?.status === "confirmed" ? "already-confirmed" : "used" };
}

export type UnsubscribeResult = { status: "unsubscribed"; email: string | null } | { status: "invalid" };

/** Idempotent; also stops any of the subscriber's digest mails that have not gone out yet. */
export async function unsubscribe(token: string): Promise<UnsubscribeResult> {
  const check = readUnsubscribeToken(tokenSecret(), token);
  if (!check.ok) return { status: "invalid" };
  const id = check.value.subscriberId.toString();
  const client = await db.pool.connect();
  try {
    await client.query("BEGIN");
    const { rows } = await client.query<{ email: string }>(
      `UPDATE subscriber SET status = 'unsubscribed', confirm_nonce = NULL,
         unsubscribed_at = CASE WHEN status = 'unsubscribed' THEN unsubscribed_at ELSE now() END
       WHERE id = $1 RETURNING email`,
      [id],
    );
    await client.query(`UPDATE delivery SET status = 'skipped', error = 'unsubscribed before it was sent' WHERE subscriber_id = $1 AND status = 'pending'`, [id]);
    await client.query("COMMIT");
    return { status: "unsubscribed", email: rows[0]?.email ?? null };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** The digest audience's size, for the CLI and the bench. */
export async function confirmedCount(): Promise<number> {
  const { rows } = await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM subscriber WHERE status = 'confirmed'`);
  return rows[0]?.n ?? 0;
}

/** A subscriber by address (as normalizeEmail returns it), or null. */
export async function findSubscriber(email: string): Promise<{ id: bigint; status: SubscriberStatus } | null> {
  const { rows } = await db.pool.query<{ id: string; status: SubscriberStatus }>(`SELECT id::text, status FROM subscriber WHERE email = $1`, [email]);
  return rows[0] ? { id: BigInt(rows[0].id), status: rows[0].status } : null;
}

// ---------------------------------------------------------------------------------------------
// Digest preferences (lib/subscriptions/preferences.ts): read and written with the subscriber row.

/** The subscriber row's preference columns and the field each reads as, in preferenceValues order. */
const PREFERENCE_FIELDS = [
  ["categories", "categories"],
  ["cross_lists", "crossLists"],
  ["keywords", "keywords"],
  ["authors", "authors"],
  ["searches", "searches"],
  ["cadence", "cadence"],
  ["weekly_day", "weeklyDay"],
  ["digest_size", "size"],
  ["send_empty", "sendEmpty"],
] as const;

const PREFERENCE_NAMES = PREFERENCE_FIELDS.map(([column]) => column);

/** The preference columns to SELECT as a PreferenceRow (`prefix`: a table alias, "s."). */
export function preferenceSelect(prefix = ""): string {
  return PREFERENCE_FIELDS.map(([column, field]) => (column === field ? `${prefix}${column}` : `${prefix}${column} AS "${field}"`)).join(", ");
}

/** The parameters preferenceValues fills, from $first on, in column order (searches is JSON). */
function preferenceParams(first: number): string[] {
  return PREFERENCE_NAMES.map((column, index) => `$${first + index}${column === "searches" ? "::jsonb" : ""}`);
}

const PREFERENCE_COLUMNS = preferenceSelect();

export type PreferenceRow = Omit<DigestPreferences, "categories" | "keywords" | "authors"> & { categories: string[] | null; keywords: string[] | null; authors: string[] | null };

export function rowPreferences(row: PreferenceRow): DigestPreferences {
  return {
    categories: row.categories ?? [],
    crossLists: row.crossLists,
    keywords: row.keywords ?? [],
    authors: row.authors ?? [],
    // Read as the schema says (a hand-edited row must not stop everyone's digest).
    searches: savedSearchSchema.array().max(PREFERENCE_LIMITS.searches).catch([]).parse(row.searches),
    cadence: CADENCES.includes(row.cadence) ? row.cadence : "daily",
    weeklyDay: row.weeklyDay >= 0 && row.weeklyDay <= 6 ? row.weeklyDay : DEFAULT_PREFERENCES.weeklyDay,
    size: row.size !== null && row.size >= 5 && row.size <= 50 ? row.size : null,
    sendEmpty: row.sendEmpty,
  };
}

/** The values of the preference columns, in PREFERENCE_FIELDS order, for an INSERT or UPDATE (searches as JSON). */
function preferenceValues(preferences: DigestPreferences): unknown[] {
  return PREFERENCE_FIELDS.map(([, field]) => (field === "searches" ? JSON.stringify(preferences.searches) : preferences[field]));
}

/** An UPDATE's assignments of every preference column, from $2 on. */
const PREFERENCE_ASSIGNMENTS = preferenceParams(2)
  .map((param, index) => `${PREFERENCE_NAMES[index]} = ${param}`)
  .join(", ");

export type OwnSubscription = { id: bigint; email: string; status: SubscriberStatus; preferences: DigestPreferences; feedNonce: string | null };

/**
 * Who is asking for a subscription: a signed-in person (their confirmed subscription, or the one at
 * their address), or the holder of a digest mail's "change your digest" link (that subscriber).
 */
export type SubscriptionOwner = { personId: bigint; email: string } | { subscriberId: bigint };

function ownerClause(owner: SubscriptionOwner): { where: string; order: string; values: string[] } {
  if ("subscriberId" in owner) return { where: "id = $1", order: "id", values: [owner.subscriberId.toString()] };
  return { where: "person_id = $1 OR email = $2", order: "(person_id = $1) DESC NULLS LAST, id", values: [owner.personId.toString(), owner.email] };
}

export async function subscriptionOf(owner: SubscriptionOwner): Promise<OwnSubscription | null> {
  const { where, order, values } = ownerClause(owner);
  const { rows } = await db.pool.query<PreferenceRow & { id: string; email: string; status: SubscriberStatus; feedNonce: string | null }>(
    `SELECT id::text, email, status, feed_nonce AS "feedNonce", ${PREFERENCE_COLUMNS} FROM subscriber WHERE ${where} ORDER BY ${order} LIMIT 1`,
    values,
  );
  const row = rows[0];
  return row ? { id: BigInt(row.id), email: row.email, status: row.status, preferences: rowPreferences(row), feedNonce: row.feedNonce } : null;
}

/**
 * Saves preferences (`update` of those the row has, read under its lock), and with `subscribed`
 * starts (confirmed at once: signing in, or a link mailed to the address, verified it) or ends the
 * subscription. Ending it also stops mails not yet sent, as
 * the unsubscribe link does. Applies from the next digest: a frozen one keeps what it froze. A person
 * without a subscription gets one (unsubscribed unless `subscribed`); a link's subscriber must exist.
 */
export async function saveOwnSubscription(
  owner: SubscriptionOwner,
  update: (current: DigestPreferences) => DigestPreferences,
  subscribed: boolean | undefined,
  ip?: string,
): Promise<OwnSubscription | null> {
  const { where, order, values: ownerValues } = ownerClause(owner);
  const client = await db.pool.connect();
  try {
    await client.query("BEGIN");
    // The preferences are changed as the locked row has them: two saves at once both land.
    const existing = await client.query<PreferenceRow & { id: string }>(
      `SELECT id::text, ${PREFERENCE_COLUMNS} FROM subscriber WHERE ${where} ORDER BY ${order} LIMIT 1 FOR UPDATE`,
      ownerValues,
    );
    const row = existing.rows[0];
    const values = preferenceValues(update(row ? rowPreferences(row) : DEFAULT_PREFERENCES));
    let id = row?.id;
    if (id) {
      await client.query(
        `UPDATE subscriber SET ${PREFERENCE_ASSIGNMENTS},
           preferences_updated_at = now(), person_id = coalesce(person_id, $${2 + PREFERENCE_NAMES.length})
         WHERE id = $1`,
        [id, ...values, "personId" in owner ? owner.personId.toString() : null],
      );
    } else if ("personId" in owner) {
      const inserted = await client.query<{ id: string }>(
        `INSERT INTO subscriber (email, status, subscribed_ip, person_id, ${PREFERENCE_NAMES.join(", ")}, preferences_updated_at)
         VALUES ($1, 'unsubscribed', $2, $3, ${preferenceParams(4).join(", ")}, now()) RETURNING id::text`,
        [owner.email, ip ?? null, owner.personId.toString(), ...values],
      );
      id = inserted.rows[0]!.id;
    } else {
      await client.query("ROLLBACK");
      return null;
    }
    if (subscribed === true) {
      await client.query(
        `UPDATE subscriber SET status = 'confirmed', confirm_nonce = NULL, unsubscribed_at = NULL,
           confirmed_at = CASE WHEN status = 'confirmed' THEN confirmed_at ELSE now() END,
           confirmed_ip = CASE WHEN status = 'confirmed' THEN confirmed_ip ELSE $2 END,
           subscribed_at = CASE WHEN status = 'confirmed' THEN subscribed_at ELSE now() END
         WHERE id = $1`,
        [id, ip ?? null],
      );
    } else if (subscribed === false) {
      await client.query(
        `UPDATE subscriber SET status = 'unsubscribed', confirm_nonce = NULL,
           unsubscribed_at = CASE WHEN status = 'unsubscribed' THEN unsubscribed_at ELSE now() END
         WHERE id = $1`,
        [id],
      );
      await client.query(`UPDATE delivery SET status = 'skipped', error = 'unsubscribed before it was sent' WHERE subscriber_id = $1 AND status = 'pending'`, [id]);
    }
    await client.query("COMMIT");
    return await subscriptionOf({ subscriberId: BigInt(id) });
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** A new nonce for the private feed: its old address stops working. */
export async function resetFeedNonce(subscriberId: bigint): Promise<string> {
  const nonce = newNonce();
  await db.pool.query(`UPDATE subscriber SET feed_nonce = $2 WHERE id = $1`, [subscriberId.toString(), nonce]);
  return nonce;
}
