// What a subscriber's digest holds and when it comes: topics (arXiv categories), followed keywords,
// authors and saved searches, the cadence and the size. One schema checks them wherever they come
// from (the subscribe API and form, PUT /api/me/digest, the "Your digest" page), with a bound on
// every list and string; pure, so the pages' client code uses it too.
import { z } from "zod";
import { canonicalCategory } from "@/lib/papers/categories";

export const CADENCES = ["daily", "weekdays", "weekly", "paused"] as const;
export type Cadence = (typeof CADENCES)[number];

/** A saved search: a query with the filters an alert can keep (dates come from the digest's window). */
export type SavedSearch = { q: string; categories: string[]; hasCode?: boolean };

export type DigestPreferences = {
  /** Canonical arXiv category ids; none: every category. */
  categories: string[];
  /** Whether a paper cross-listed into a topic counts, or only one whose primary category it is. */
  crossLists: boolean;
  keywords: string[];
  authors: string[];
  searches: SavedSearch[];
  cadence: Cadence;
  /** 0 (Sunday) to 6: a weekly digest comes with the first digest on or after this day each week. */
  weeklyDay: number;
  /** Papers in the trending part (5 to 50); null: the site's DIGEST_SIZE. */
  size: number | null;
  /** Mail "nothing for you today" on a day with nothing, instead of no mail. */
  sendEmpty: boolean;
};

export const DEFAULT_PREFERENCES: DigestPreferences = {
  categories: [],
  crossLists: true,
  keywords: [],
  authors: [],
  searches: [],
  cadence: "daily",
  weeklyDay: 1,
  size: null,
  sendEmpty: false,
};

export type DigestStatus = "confirmed" | "pending" | "unsubscribed" | "none";

/**
 * A digest subscription as "Your digest" starts from and GET /api/me/digest answers it. `feedUrl`:
 * the private feed's address while subscribed, to a signed-in person only (a mail's link can be
 * forwarded), else null.
 */
export type DigestState = { email: string | null; status: DigestStatus; preferences: DigestPreferences; feedUrl: string | null };

export const PREFERENCE_LIMITS = { categories: 60, keywords: 30, authors: 30, searches: 20, text: 200, query: 300 } as const;

export const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const;

/** Collapses whitespace; what is left must not be empty. */
const text = (max: number) =>
  z
    .string()
    .max(max * 4, `is longer than ${max} characters`)
    .transform((value) => value.replace(/\s+/g, " ").trim())
    .pipe(z.string().min(1, "is empty").max(max, `is longer than ${max} characters`));

const category = z.string().max(40, "is not an arXiv category").transform((value, context) => {
  const id = canonicalCategory(value);
  if (!id) {
    context.addIssue({ code: "custom", message: `${JSON.stringify(value.slice(0, 40))} is not an arXiv category` });
    return z.NEVER;
  }
  return id;
});

/** Case and spacing do not make two entries. */
function dedupe<T>(values: T[], key: (value: T) => string): T[] {
  const seen = new Set<string>();
  return values.filter((value) => {
    const k = key(value);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

const categories = z
  .array(category)
  .max(PREFERENCE_LIMITS.categories, `has more than ${PREFERENCE_LIMITS.categories} entries`)
  .transform((values) => dedupe(values, (value) => value));

const phrases = (max: number) =>
  z
    .array(text(PREFERENCE_LIMITS.text))
    .max(max, `has more than ${max} entries`)
    .transform((values) => dedupe(values, (value) => value.toLowerCase()));

export const savedSearchSchema = z
  .object({
    q: text(PREFERENCE_LIMITS.query),
    categories: categories.default([]),
    hasCode: z.boolean().optional(),
  })
  .strict();

const searches = z
  .array(savedSearchSchema)
  .max(PREFERENCE_LIMITS.searches, `has more than ${PREFERENCE_LIMITS.searches} entries`)
  .transform((values) => dedupe(values, savedSearchKey));

/** Every field optional: what is left out keeps its value (PUT /api/me/digest) or its default (subscribing). */
export const preferencesPatchSchema = z
  .object({
    categories,
    crossLists: z.boolean(),
    keywords: phrases(PREFERENCE_LIMITS.keywords),
    authors: phrases(PREFERENCE_LIMITS.authors),
    searches,
    cadence: z.enum(CADENCES, { message: `must be one of ${CADENCES.join(", ")}` }),
    weeklyDay: z.number().int("must be a whole number").min(0, "must be 0 (Sunday) to 6").max(6, "must be 0 (Sunday) to 6"),
    size: z.number().int("must be a whole number").min(5, "must be 5 to 50").max(50, "must be 5 to 50").nullable(),
    sendEmpty: z.boolean(),
  })
  .partial()
  .strict();

export type PreferencesPatch = z.infer<typeof preferencesPatchSchema>;

export function applyPatch(current: DigestPreferences, patch: PreferencesPatch): DigestPreferences {
  const next = { ...current };
  for (const [key, value] of Object.entries(patch)) if (value !== undefined) (next as Record<string, unknown>)[key] = value;
  return next;
}

/** One saved search as a key: the same query and filters are one alert. */
export function savedSearchKey(search: SavedSearch): string {
  return JSON.stringify([search.q.toLowerCase(), [...search.categories].sort(), search.hasCode ?? null]);
}

/** Whether these preferences ask for anything beyond the day's digest as everyone gets it. */
export function isPersonal(preferences: DigestPreferences): boolean {
  return (
    preferences.categories.length > 0 ||
    preferences.keywords.length > 0 ||
    preferences.authors.length > 0 ||
    preferences.searches.length > 0 ||
    preferences.cadence === "weekly" ||
    preferences.size !== null ||
    preferences.sendEmpty
  );
}

/** A short human summary ("cs.RO, cs.LG · 2 keywords · weekly on Monday"), for pages and mails. */
export function describePreferences(preferences: DigestPreferences): string {
  const parts: string[] = [];
  parts.push(preferences.categories.length > 0 ? preferences.categories.join(", ") : "all categories");
  const follows = preferences.keywords.length + preferences.authors.length + preferences.searches.length;
  if (follows > 0) parts.push(`${follows} followed ${follows === 1 ? "keyword, author or search" : "keywords, authors and searches"}`);
  const cadence = { daily: "daily", weekdays: "on weekdays", weekly: `weekly on ${WEEKDAYS[preferences.weeklyDay]}`, paused: "paused" }[preferences.cadence];
  parts.push(cadence);
  return parts.join(" · ");
}

/**
 * The preference fields of a subscribe request (POST /api/subscribe), named as the API names them:
 * `follow` is the keywords. Absent fields take the defaults.
 */
export const subscribeFieldsSchema = preferencesPatchSchema.omit({ keywords: true }).extend({ follow: preferencesPatchSchema.shape.keywords });

export function subscribePreferences(fields: z.infer<typeof subscribeFieldsSchema>): DigestPreferences {
  const { follow, ...rest } = fields;
  return applyPatch(DEFAULT_PREFERENCES, { ...rest, keywords: follow });
}
