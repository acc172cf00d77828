// Who gets the digest of a day, and what: each due subscriber's edition from their preferences
// (personal.ts), computed once per distinct preference set, before the digest is frozen with it
// (digests.freeze). Subscribers without preferences get the day's digest as everyone sees it.
import { listedDaysAround } from "@/lib/papers/queries";
import { listTrending } from "@/lib/papers/trending";
import type { TrendingItem } from "@/lib/papers/types";
import { searchPapers } from "@/lib/search";
import { isPersonal, type DigestPreferences } from "@/lib/subscriptions/preferences";
import { env } from "@/lib/env";
import { addDays } from "@/lib/time";
import { isDue, keywordKey, searchKey, selectEdition, type EditionContent, type EditionKind } from "./personal";
import { audience, digests, type Recipient } from "./store";
import type { DigestContent } from "./types";

/** A window holds at most this many papers for personal editions (a week of arXiv is about 6,000). */
const WINDOW_LIMIT = 20_000;
/** Matches of one follow looked at, at most (a follow matching more is counted from these). */
const MATCH_LIMIT = 200;

type DigestPlan = { recipients: Recipient[]; editions: number; notDue: number; nothingNew: number };

/** A phrase of several words is searched as a phrase; one word keeps the engine's typo tolerance. */
function followQuery(text: string): string {
  return /\s/.test(text) && !text.includes('"') ? `"${text}"` : text;
}

export async function planDigest(content: DigestContent): Promise<DigestPlan> {
  const day = content.date;
  const general = content.papers.map((paper) => paper.id);
  const [subscribers, around] = await Promise.all([audience(day), listedDaysAround(day, day)]);

  const windows = new Map<EditionKind, Promise<TrendingItem[]>>();
  const windowOf = (kind: EditionKind) => {
    let window = windows.get(kind);
    if (!window) {
      window = listTrending({ period: kind === "weekly" ? "week" : "day", date: day, limit: WINDOW_LIMIT }).then((page) => page.items);
      windows.set(kind, window);
    }
    return window;
  };
  const matchCache = new Map<string, Promise<Set<string>>>();
  const matchesOf = async (kind: EditionKind, preferences: DigestPreferences): Promise<Map<string, Set<string>>> => {
    const from = addDays(day, kind === "weekly" ? -6 : 0);
    const ask = (label: string, query: Parameters<typeof searchPapers>[0]) => {
      // By the query itself: a followed keyword (a phrase) and a saved search of the same words are two searches.
      const key = JSON.stringify([kind, query.q, query.categories ?? [], query.hasCode ?? null]);
      let hits = matchCache.get(key);
      if (!hits) {
        hits = searchPapers(query).then((result) => {
          // A digest is frozen once: no answer at all must fail the run (retried later), not freeze "no matches".
          if (result.unanswered) throw new Error(`the search for “${query.q}” got no answer from Meilisearch or Postgres; the digest is not frozen, the next run tries again`);
          return new Set(result.items.map((hit) => hit.id));
        });
        matchCache.set(key, hits);
      }
      return hits.then((ids) => [label, ids] as const);
    };
    const base = { from, to: day, sort: "newest" as const, limit: MATCH_LIMIT, offset: 0 };
    return new Map(
      await Promise.all([
        ...preferences.keywords.map((keyword) => ask(keywordKey(keyword), { ...base, q: followQuery(keyword) })),
        ...preferences.searches.map((search) => ask(searchKey(search), { ...base, q: search.q, categories: search.categories, hasCode: search.hasCode })),
      ]),
    );
  };

  const editionCache = new Map<string, Promise<EditionContent>>();
  const recipients: Recipient[] = [];
  let notDue = 0;
  let nothingNew = 0;
  for (const subscriber of subscribers) {
    const { preferences } = subscriber;
    if (!isDue(preferences, day, subscriber.weeklySent, around.previous)) {
      notDue++;
      continue;
    }
    const sent = new Set(subscriber.sentPaperIds);
    if (!isPersonal(preferences) && !general.some((id) => sent.has(id))) {
      recipients.push({ subscriberId: subscriber.id, edition: null, paperIds: general });
      continue;
    }
    const kind: EditionKind = preferences.cadence === "weekly" ? "weekly" : "daily";
    const size = preferences.size ?? env.DIGEST_SIZE;
    const compute = async (excluded: ReadonlySet<string>) =>
      selectEdition({ preferences, kind, day, window: await windowOf(kind), matches: await matchesOf(kind, preferences), sent: excluded, size });
    // Subscribers with the same preferences share one edition, unless an earlier mail sent them one of its papers.
    const key = JSON.stringify([kind, size, preferences.categories, preferences.crossLists, preferences.keywords, preferences.authors, preferences.searches]);
    let shared = editionCache.get(key);
    if (!shared) {
      shared = compute(new Set());
      editionCache.set(key, shared);
    }
    let edition = await shared;
    if (edition.papers.some((paper) => sent.has(paper.id))) edition = await compute(sent);
    if (edition.papers.length === 0 && !preferences.sendEmpty) {
      nothingNew++;
      continue;
    }
    recipients.push({ subscriberId: subscriber.id, edition, paperIds: edition.papers.map((paper) => paper.id) });
  }
  // Distinct edition objects: equal preferences share one; one recomputed for a subscriber's sent papers is its own.
  const editions = new Set(recipients.flatMap((recipient) => (recipient.edition ? [recipient.edition] : []))).size;
  return { recipients, editions, notDue, nothingNew };
}

/** Plans the digest of `content.date` and freezes it with that plan (or returns the one frozen before). */
export async function freezeDigest(content: DigestContent): Promise<Awaited<ReturnType<typeof digests.freeze>> & { plan: DigestPlan }> {
  const plan = await planDigest(content);
  return { ...(await digests.freeze(content, plan.recipients)), plan };
}
