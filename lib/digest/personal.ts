// What one subscriber's digest holds, from their preferences: when it is due, which papers, and why
// each is there. Pure: the window's ranked papers and the search engine's matches come in, an
// edition's content goes out; plan.ts gathers the inputs and freezes the result.
import { writeSearchQuery } from "@/lib/search/query-url";
import { addDays } from "@/lib/time";
import type { TrendingItem } from "@/lib/papers/types";
import type { DigestPreferences, SavedSearch } from "@/lib/subscriptions/preferences";
import { toDigestPaper } from "./build";

// The edition's shape is what its mail shows (the template owns it): papers with why each is there
// ("in cs.RO", "matches “diffusion”"), and per follow how many more matched, with where to see them.
export type { EditionKind, EditionPaper, MailEdition as EditionContent, MoreMatches } from "@/emails/digest";
import type { EditionKind, MailEdition as EditionContent } from "@/emails/digest";

/** Papers a follow can add beyond the trending part, at most (the rest are counted under `more`). */
export const FOLLOW_CAP = 20;

/** 0 (Sunday) to 6, of a YYYY-MM-DD day. */
export function weekday(day: string): number {
  return new Date(`${day}T00:00:00Z`).getUTCDay();
}

/** The day a weekly subscriber's week starts, for the digest of `day`: the latest `weeklyDay` on or before it. */
export function weekStart(day: string, weeklyDay: number): string {
  return addDays(day, -((weekday(day) - weeklyDay + 7) % 7));
}

/**
 * Whether the digest of `day` goes to this subscriber. Weekly: on the chosen weekday, or, when
 * nothing was announced that day (arXiv announces on weekdays, so a Saturday subscriber gets
 * Monday's), with the first listing day after it (`previousListed`, the listing day before `day`,
 * is then before the week's start); once a week whichever order the days are frozen in: not when
 * `weeklySent` (the days of their recent weekly digests) has one in the same week.
 */
export function isDue(preferences: DigestPreferences, day: string, weeklySent: readonly string[], previousListed: string | null): boolean {
  switch (preferences.cadence) {
    case "paused":
      return false;
    case "daily":
      return true;
    case "weekdays":
      return weekday(day) >= 1 && weekday(day) <= 5;
    case "weekly": {
      const start = weekStart(day, preferences.weeklyDay);
      const end = addDays(start, 6);
      if (weeklySent.some((sent) => sent >= start && sent <= end)) return false;
      return day === start || (previousListed !== null && previousListed < start);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Authors: "S. Levine" follows "Sergey Levine", "Jürgen Schmidhuber" follows "Jurgen Schmidhuber".

/** Lower case, accents off, punctuation as spaces; "Levine, Sergey" becomes "sergey levine". */
function nameTokens(name: string): string[] {
  const flat = name.normalize("NFKD").replace(/\p{M}+/gu, "").toLowerCase();
  const ordered = flat.includes(",") ? flat.split(",").slice(1).join(" ") + " " + flat.split(",")[0] : flat;
  return ordered.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

function compatible(a: string, b: string): boolean {
  return a === b || (a.length === 1 && b.startsWith(a)) || (b.length === 1 && a.startsWith(b));
}

/** Given names (all tokens but the surname) that agree as far as both go. */
function givenNamesAgree(f: readonly string[], a: readonly string[]): boolean {
  for (let i = 0; i < Math.min(f.length, a.length) - 1; i++) if (!compatible(f[i]!, a[i]!)) return false;
  return true;
}

/** The same surname, and given names that agree as far as both go (an initial agrees with its name). */
export function authorMatches(followed: string, author: string): boolean {
  const f = nameTokens(followed);
  const a = nameTokens(author);
  return f.length > 0 && a.length > 0 && f.at(-1) === a.at(-1) && givenNamesAgree(f, a);
}

/** One author of one paper of a window, by surname. */
type AuthorEntry = { paper: TrendingItem; name: string; tokens: string[] };

/**
 * A window's authors by surname, made once per window (the plan hands every edition the same
 * array): a followed author then looks at the papers of its surname only, not at every name.
 */
const authorIndexes = new WeakMap<readonly TrendingItem[], Map<string, AuthorEntry[]>>();

function authorsBySurname(window: readonly TrendingItem[]): Map<string, AuthorEntry[]> {
  let index = authorIndexes.get(window);
  if (!index) {
    index = new Map();
    for (const paper of window) {
      for (const name of paper.authors) {
        const tokens = nameTokens(name);
        const surname = tokens.at(-1);
        if (surname === undefined) continue;
        const entries = index.get(surname);
        if (entries) entries.push({ paper, name, tokens });
        else index.set(surname, [{ paper, name, tokens }]);
      }
    }
    authorIndexes.set(window, index);
  }
  return index;
}

// ---------------------------------------------------------------------------------------------
// Selection.

export type SelectionInput = {
  preferences: DigestPreferences;
  kind: EditionKind;
  /** The digest's day (the window ends on it). */
  day: string;
  /** The window's papers in trending order (rank 1 first). */
  window: TrendingItem[];
  /** Papers of the window the search engine matched, per followed keyword (keywordKey) and per saved search (searchKey). */
  matches: Map<string, Set<string>>;
  /** Papers earlier mails already sent this subscriber. */
  sent: ReadonlySet<string>;
  /** Papers in the trending part. */
  size: number;
};

const quoted = (text: string) => `“${text}”`;

/** The key of a followed keyword's matches in SelectionInput.matches. */
export const keywordKey = (keyword: string) => `k:${keyword}`;
/** The key of a saved search's matches in SelectionInput.matches. */
export const searchKey = (search: SavedSearch) => `s:${savedSearchLabel(search)}`;

function savedSearchLabel(search: SavedSearch): string {
  const filters = [...search.categories, ...(search.hasCode ? ["with code"] : [])];
  return filters.length > 0 ? `${search.q} (${filters.join(", ")})` : search.q;
}

/** Where "and 12 more" leads: the search for that follow over the digest's window. */
function morePath(q: string, from: string, to: string, search?: SavedSearch): string {
  return `/search?${writeSearchQuery({ q, categories: search?.categories, hasCode: search?.hasCode || undefined, from, to })}`;
}

/** The ids of a window, once per window: every edition planned from it asks. */
const windowIdSets = new WeakMap<readonly TrendingItem[], ReadonlySet<string>>();

function idsOf(window: readonly TrendingItem[]): ReadonlySet<string> {
  let ids = windowIdSets.get(window);
  if (!ids) {
    ids = new Set(window.map((paper) => paper.id));
    windowIdSets.set(window, ids);
  }
  return ids;
}

/**
 * The edition: the top `size` of the window within the topics (all categories without any), then
 * every other paper of the window that a follow matches, up to FOLLOW_CAP (the rest counted per
 * follow), none that an earlier mail sent. Each paper says why it is there.
 */
export function selectEdition(input: SelectionInput): EditionContent {
  const { preferences, window, sent } = input;
  const from = addDays(input.day, input.kind === "weekly" ? -6 : 0);
  const when = input.kind === "weekly" ? "this week" : "today";
  const topics = new Set(preferences.categories);
  const inTopics = (paper: TrendingItem): string | null => {
    if (topics.size === 0) return null;
    const candidates = preferences.crossLists ? paper.categories : paper.categories.slice(0, 1);
    return candidates.find((category) => topics.has(category)) ?? null;
  };

  const reasons = new Map<string, string[]>();
  const add = (id: string, reason: string) => {
    const list = reasons.get(id) ?? [];
    if (!list.includes(reason)) list.push(reason);
    reasons.set(id, list);
  };

  const trending: TrendingItem[] = [];
  for (const paper of window) {
    if (trending.length >= input.size) break;
    if (sent.has(paper.id)) continue;
    const topic = inTopics(paper);
    if (topics.size > 0 && topic === null) continue;
    trending.push(paper);
    if (topic) add(paper.id, `in ${topic}`);
    add(paper.id, `trending #${paper.rank} ${when}`);
  }
  const shown = new Set(trending.map((paper) => paper.id));

  // Follows: which papers of the window each one brings, in trending order.
  // Keyed by kind too: a keyword, a saved search and an author can be the same words.
  const follows: { key: string; label: string; reason: string; ids: Set<string>; path: string }[] = [];
  const windowIds = idsOf(window);
  const inWindow = (hits: Set<string> | undefined) => new Set([...(hits ?? [])].filter((id) => windowIds.has(id)));
  for (const keyword of preferences.keywords) {
    follows.push({ key: keywordKey(keyword), label: keyword, reason: `matches ${quoted(keyword)}`, ids: inWindow(input.matches.get(keywordKey(keyword))), path: morePath(keyword, from, input.day) });
  }
  for (const search of preferences.searches) {
    const label = savedSearchLabel(search);
    follows.push({ key: searchKey(search), label, reason: `from your search ${quoted(label)}`, ids: inWindow(input.matches.get(searchKey(search))), path: morePath(search.q, from, input.day, search) });
  }
  const bySurname = preferences.authors.length > 0 ? authorsBySurname(window) : new Map<string, AuthorEntry[]>();
  for (const followed of preferences.authors) {
    const ids = new Set<string>();
    const f = nameTokens(followed);
    // In window order, and a paper's first matching name, as the paper lists its authors.
    for (const { paper, name, tokens } of bySurname.get(f.at(-1) ?? "") ?? []) {
      if (ids.has(paper.id) || !givenNamesAgree(f, tokens)) continue;
      ids.add(paper.id);
      add(paper.id, `by ${name}`);
    }
    follows.push({ key: `a:${followed}`, label: followed, reason: "", ids, path: morePath(followed, from, input.day) });
  }

  const extra: TrendingItem[] = [];
  const unshown = new Map<string, number>();
  // A paper matched by several follows is shown once, for all of them; trending order decides who gets in.
  const matched = new Set(follows.flatMap((follow) => [...follow.ids]));
  for (const paper of window) {
    if (!matched.has(paper.id) || sent.has(paper.id)) continue;
    for (const follow of follows) if (follow.reason && follow.ids.has(paper.id)) add(paper.id, follow.reason);
    if (shown.has(paper.id)) continue;
    if (extra.length < FOLLOW_CAP) {
      extra.push(paper);
      shown.add(paper.id);
    }
  }
  for (const follow of follows) {
    const left = [...follow.ids].filter((id) => !shown.has(id) && !sent.has(id)).length;
    if (left > 0) unshown.set(follow.key, left);
  }

  const papers = [...trending, ...extra].map((paper, index) => ({ ...toDigestPaper(paper), rank: index + 1, reasons: reasons.get(paper.id) ?? [] }));
  const more = follows.flatMap((follow) => (unshown.has(follow.key) ? [{ label: follow.label, count: unshown.get(follow.key)!, searchPath: follow.path }] : []));
  return { kind: input.kind, from, to: input.day, papers, more };
}
