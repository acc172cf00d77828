// The private feed of a subscriber's digest (/feed/<secret>.xml): its statements (the subscriber and
// its nonce, the papers of its last deliveries) and what the feed says, built from them (pure).
import { z } from "zod";
import { abstractExcerpt } from "@/emails/digest";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import type { Feed, FeedEntry } from "@/lib/feeds/feed";
import { cleanText, oneLine } from "@/lib/feeds/xml";
import { tokenSecret } from "@/lib/mail/secret";
import { newNonce } from "@/lib/mail/tokens";
import { paperPath } from "@/lib/papers/identity";
import { parseDay } from "@/lib/time";
import { feedToken, feedTokenSubscriber, readFeedToken } from "./feed-token";
import { DEFAULT_PREFERENCES, type DigestState } from "./preferences";
import { type OwnSubscription, resetFeedNonce, type SubscriberStatus } from "./subscribe";

/** The feed holds this many digests, newest first, of at most FEED_PAPERS papers each. */
const FEED_DIGESTS = 30;
const FEED_PAPERS = 50;
const FEED_TITLE = "Your Trending Papers digest";

/**
 * Deliveries that went out or are going out: a pending (or in-flight) mail shows in the feed before
 * it reaches the inbox; a failed one, or one skipped because of an unsubscription, never does.
 */
const LISTED_STATUSES = ["sent", "sending", "pending"];

/** Postgres' bigint: a larger id in a token would be an error there, not a missing row. */
const MAX_ID = 9_223_372_036_854_775_807n;

// ---------------------------------------------------------------------------------------------
// Statements

type FeedSubscriber = { id: bigint; status: SubscriberStatus; feedNonce: string | null };

async function getFeedSubscriber(id: bigint): Promise<FeedSubscriber | null> {
  if (id > MAX_ID) return null;
  const { rows } = await db.pool.query<{ status: SubscriberStatus; feedNonce: string | null }>(
    `SELECT status, feed_nonce AS "feedNonce" FROM subscriber WHERE id = $1`,
    [id.toString()],
  );
  return rows[0] ? { id, ...rows[0] } : null;
}

/** The subscriber's nonce, created on first use; two first requests at once agree on one. */
async function ensureFeedNonce(id: bigint): Promise<string | null> {
  const { rows } = await db.pool.query<{ feedNonce: string }>(
    `UPDATE subscriber SET feed_nonce = coalesce(feed_nonce, $2) WHERE id = $1 RETURNING feed_nonce AS "feedNonce"`,
    [id.toString(), newNonce()],
  );
  return rows[0]?.feedNonce ?? null;
}

/** A paper as frozen in a digest or an edition, cut to what the feed shows. */
const frozenPaperSchema = z.object({
  id: z.string().min(1).max(100),
  title: z.string().catch(""),
  abstract: z.string().catch(""),
  rank: z.number().nullable().catch(null),
  reasons: z.array(z.string()).nullable().catch(null),
  authors: z.array(z.string()).catch([]),
  categories: z.array(z.string()).catch([]),
});

type FeedPaper = z.infer<typeof frozenPaperSchema>;
type FeedDigest = { date: string; personal: boolean; papers: FeedPaper[] };

/**
 * The subscriber's last FEED_DIGESTS listed deliveries, newest first, each with the papers of its
 * edition (or of the day's digest for everyone), the first FEED_PAPERS of them, long texts cut short.
 */
async function listFeedDigests(id: bigint): Promise<FeedDigest[]> {
  const { rows } = await db.pool.query<{ date: string; personal: boolean; papers: unknown[] }>(
    `SELECT d.digest_date::text AS date, d.edition_id IS NOT NULL AS personal,
       (SELECT coalesce(jsonb_agg(jsonb_build_object(
            'id', x.paper->>'id', 'title', left(x.paper->>'title', 1000), 'abstract', left(x.paper->>'abstract', 4000),
            'rank', x.paper->'rank', 'reasons', x.paper->'reasons', 'authors', x.paper->'authors', 'categories', x.paper->'categories'
          ) ORDER BY x.ord), '[]'::jsonb)
        FROM jsonb_array_elements(CASE WHEN jsonb_typeof(list.papers) = 'array' THEN list.papers ELSE '[]'::jsonb END) WITH ORDINALITY AS x(paper, ord)
        WHERE x.ord <= $3 AND jsonb_typeof(x.paper) = 'object') AS papers
     FROM delivery d
     JOIN digest g ON g.date = d.digest_date
     LEFT JOIN digest_edition e ON e.id = d.edition_id
     CROSS JOIN LATERAL (SELECT CASE WHEN d.edition_id IS NULL THEN g.papers ELSE e.content->'papers' END AS papers) AS list
     WHERE d.subscriber_id = $1 AND d.status = ANY($4)
     ORDER BY d.digest_date DESC
     LIMIT $2`,
    [id.toString(), FEED_DIGESTS, FEED_PAPERS, LISTED_STATUSES],
  );
  return rows.map((row) => ({
    date: row.date,
    personal: row.personal,
    papers: row.papers.flatMap((paper) => {
      const parsed = frozenPaperSchema.safeParse(paper);
      return parsed.success ? [parsed.data] : [];
    }),
  }));
}

// ---------------------------------------------------------------------------------------------
// What the feed says (pure)

/** Why a paper is in the mail: an edition says it per paper; the day's digest for everyone, by rank. */
function reasonsOf(paper: FeedPaper, personal: boolean): string[] {
  const given = (paper.reasons ?? []).map(oneLine).filter(Boolean).slice(0, 10);
  if (given.length > 0 || personal) return given;
  return paper.rank ? [`#${paper.rank} of the day's trending papers`] : [];
}

function entryText(paper: FeedPaper, personal: boolean): string {
  const reasons = reasonsOf(paper, personal);
  const excerpt = abstractExcerpt(cleanText(paper.abstract), 500);
  // Joined as the mail joins them; a reader that shows the description as HTML runs the two paragraphs together.
  return [reasons.length ? `Why: ${reasons.join(" · ")}.` : "", excerpt].filter(Boolean).join("\n\n");
}

/** Stable per (digest date, paper), whatever APP_URL is: a paper in two digests is two items. */
function feedEntryId(date: string, paperId: string): string {
  return `urn:trending-papers:digest:${date}:${paperId}`;
}

/** Links come from siteUrl (APP_URL), never from the request; the text is plain (the RSS writer escapes it). */
function buildPrivateFeed(digests: FeedDigest[], siteUrl: string, feedUrl: string): Feed {
  const entries: FeedEntry[] = digests.flatMap((digest) =>
    digest.papers.map((paper) => ({
      id: feedEntryId(digest.date, paper.id),
      url: new URL(paperPath(paper.id), siteUrl).toString(),
      title: oneLine(paper.title) || paper.id,
      text: entryText(paper, digest.personal),
      date: parseDay(digest.date),
      authors: paper.authors.slice(0, 30).map(oneLine).filter(Boolean),
      tags: paper.categories.slice(0, 10).map(oneLine).filter(Boolean),
    })),
  );
  const newest = digests[0]?.date;
  return {
    title: FEED_TITLE,
    description: `The papers of your last ${FEED_DIGESTS} digests, newest first, each with why it is there.`,
    homeUrl: new URL("/account/digest", siteUrl).toString(),
    rssUrl: feedUrl,
    // This feed has no JSON Feed twin; the RSS writer does not read this.
    jsonUrl: feedUrl,
    updated: newest ? parseDay(newest) : null,
    entries,
  };
}

// ---------------------------------------------------------------------------------------------
// Operations

function privateFeedUrl(subscriberId: bigint, nonce: string): string {
  return new URL(`/feed/${feedToken(tokenSecret(), subscriberId, nonce)}.xml`, env.APP_URL).toString();
}

/**
 * The feed's address for a subscriber who gets the digest (a nonce is made on first use), else null:
 * a feed is a way to read the digest, so it stops when the subscription does.
 */
export async function feedUrlFor(subscription: { id: bigint; status: SubscriberStatus; feedNonce: string | null }): Promise<string | null> {
  if (subscription.status !== "confirmed") return null;
  const nonce = subscription.feedNonce ?? (await ensureFeedNonce(subscription.id));
  return nonce ? privateFeedUrl(subscription.id, nonce) : null;
}

/** The state of a subscription (none: `email`'s, not subscribed) as the page and the API give it; the feed's address only `withFeed`. */
export async function digestState(subscription: OwnSubscription | null, email: string | null, withFeed: boolean): Promise<DigestState> {
  const feedUrl = subscription && withFeed ? await feedUrlFor(subscription) : null;
  return { email: subscription?.email ?? email, status: subscription?.status ?? "none", preferences: subscription?.preferences ?? DEFAULT_PREFERENCES, feedUrl };
}

/** A new address: the old one is a 404 from now on. */
export async function resetPrivateFeed(subscriberId: bigint): Promise<string> {
  return privateFeedUrl(subscriberId, await resetFeedNonce(subscriberId));
}

/**
 * The feed a secret opens, or null (a 404) when the secret is malformed, forged, reset, or its
 * subscriber is not subscribed (pending or unsubscribed).
 */
export async function loadPrivateFeed(secret: string): Promise<Feed | null> {
  const id = feedTokenSubscriber(secret);
  if (id === null) return null;
  const subscriber = await getFeedSubscriber(id);
  if (!subscriber || subscriber.status !== "confirmed") return null;
  if (!readFeedToken(tokenSecret(), secret, subscriber.feedNonce)) return null;
  return buildPrivateFeed(await listFeedDigests(id), env.APP_URL, privateFeedUrl(id, subscriber.feedNonce!));
}
