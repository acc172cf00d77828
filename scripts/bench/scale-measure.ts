// What bench:scale measures on one database, through the product's own functions: trending windows
// (every period, with and without a category, at several dates, with their plans), the Postgres search
// fallback on a query mix and on typo'd titles, a paper page's statements and /api/health's.
import pg from "pg";
import { db } from "@/lib/db/client";
import { digestHealth } from "@/lib/digest/health";
import { harvestStatus } from "@/lib/harvest/state";
import { normalizeArxivId } from "@/lib/papers/identity";
import { PERIODS, type Period } from "@/lib/papers/period";
import { categoryIds } from "@/lib/papers/categories";
import { latestListedDay, paperDetail, paperSources, TRENDING_SQL, trendingRows } from "@/lib/papers/queries";
import { listTrending } from "@/lib/papers/trending";
import { searchPostgres } from "@/lib/search/postgres-search";
import { exactMatchRow } from "@/lib/search/store";
import type { SearchQuery } from "@/lib/search/types";
import { addDays } from "@/lib/time";
import { seededRandom } from "./scale-papers";

export type Timing = { p50: number; p95: number; max: number; n: number };

export function summarize(ms: number[]): Timing {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1)))] ?? NaN;
  return { p50: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] ?? NaN, n: sorted.length };
}

async function timed<T>(run: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const value = await run();
  return [performance.now() - started, value];
}

// ---------------------------------------------------------------------------------------------
// Trending

export const TRENDING_CATEGORIES = [undefined, "cs.LG", "hep-th"] as const;

export type TrendingCase = { period: Period; category: string | undefined; date: string; label: string; rows: number; total: number; timing: Timing };

export type TrendingReport = {
  cases: TrendingCase[];
  /** p50/p95 over every case of a period (all its dates and categories). */
  byPeriod: Record<Period, Timing>;
  /** listTrending as the home page calls it (no date: the latest day, plus day navigation). */
  page: Record<Period, Timing>;
  plans: { label: string; plan: string }[];
};

/** The days windows end on: the latest, one in the middle of the listings, one a month after the first. */
async function trendingDates(pool: pg.Pool): Promise<{ date: string; label: string }[]> {
  const { rows } = await pool.query<{ first: string; last: string }>(`SELECT min(listed_at)::text AS first, max(listed_at)::text AS last FROM paper`);
  const { first, last } = rows[0]!;
  const span = Math.round((Date.parse(last) - Date.parse(first)) / 86_400_000);
  const onListedDay = async (day: string) =>
    (await pool.query<{ day: string }>(`SELECT max(listed_at)::text AS day FROM paper WHERE listed_at <= $1::date`, [day])).rows[0]!.day;
  return [
    { date: last, label: "latest" },
    { date: await onListedDay(addDays(first, Math.floor(span / 2))), label: "middle" },
    { date: await onListedDay(addDays(first, 35)), label: "early" },
  ];
}

function windowParams(period: Period, date: string, category: string | undefined, limit: number) {
  const { days, halfLifeDays } = PERIODS[period];
  return { to: date, from: addDays(date, 1 - days), halfLifeDays, limit, offset: 0, category };
}

export async function measureTrending(pool: pg.Pool, repeats: number): Promise<TrendingReport> {
  const dates = await trendingDates(pool);
  const cases: TrendingCase[] = [];
  const byPeriod = {} as Record<Period, Timing>;
  for (const period of Object.keys(PERIODS) as Period[]) {
    const all: number[] = [];
    for (const { date, label } of dates) {
      for (const category of TRENDING_CATEGORIES) {
        // The home page asks for a page of 30 and one more, to know whether there is a next page.
        const window = windowParams(period, date, category, 31);
        const ms: number[] = [];
        let rows = 0;
        let total = 0;
        for (let i = 0; i < repeats + 2; i++) {
          const [took, result] = await timed(() => trendingRows(window));
          if (i >= 2) ms.push(took);
          rows = result.length;
          total = result[0]?.total ?? 0;
        }
        all.push(...ms);
        cases.push({ period, category, date, label, rows, total, timing: summarize(ms) });
      }
    }
    byPeriod[period] = summarize(all);
  }
  const page = {} as Record<Period, Timing>;
  for (const period of Object.keys(PERIODS) as Period[]) {
    const ms: number[] = [];
    for (let i = 0; i < repeats + 2; i++) {
      const [took] = await timed(() => listTrending({ period, limit: 30 }));
      if (i >= 2) ms.push(took);
    }
    page[period] = summarize(ms);
  }
  const plans: TrendingReport["plans"] = [];
  const latest = dates[0]!.date;
  for (const [period, category] of [["day", undefined], ["week", undefined], ["month", undefined], ["month", "hep-th"]] as const) {
    const w = windowParams(period, latest, category, 31);
    const { rows } = await pool.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${TRENDING_SQL}`, [w.to, w.from, w.halfLifeDays, w.limit, w.offset, w.category ? categoryIds(w.category) : null]);
    plans.push({ label: `${period} window ending ${latest}${category ? `, category ${category}` : ""}`, plan: rows.map((row) => row["QUERY PLAN"]).join("\n") });
  }
  return { cases, byPeriod, page, plans };
}

// ---------------------------------------------------------------------------------------------
// The search fallback

export type MixKind = "word" | "phrase" | "typo'd title" | "arXiv id";
type MixQuery = { kind: MixKind; query: SearchQuery };

export type FallbackReport = {
  overall: Timing;
  byKind: Record<MixKind, Timing>;
  failures: number;
  hits: { found: number; tried: number; missed: { id: string; query: string }[] };
  typoTiming: Timing;
  plan: string;
};

// Words nobody searches for alone.
const STOP = new Set("with that this from which their these those such into than have also both while through where when were been they them then there what more most only other over under using upon about between within without across towards".split(" "));

/** One transposition of two neighbouring letters inside a long word (never its first letter), as a hurried typist makes. */
export function transposeInLongWord(title: string, random: () => number): string | undefined {
  const words = [...title.matchAll(/\p{L}{7,}/gu)];
  if (words.length === 0) return undefined;
  const match = words[Math.floor(random() * words.length)]!;
  const word = match[0];
  const candidates = Array.from({ length: word.length - 2 }, (_, i) => i + 1).filter((i) => word[i] !== word[i + 1]);
  if (candidates.length === 0) return undefined;
  const at = candidates[Math.floor(random() * candidates.length)]!;
  const typo = word.slice(0, at) + word[at + 1]! + word[at]! + word.slice(at + 2);
  return title.slice(0, match.index) + typo + title.slice(match.index + word.length);
}

async function samplePapers(pool: pg.Pool, count: number, seed: number): Promise<{ id: string; title: string }[]> {
  const { rows } = await pool.query<{ id: string; title: string }>(
    `SELECT id, title FROM paper TABLESAMPLE BERNOULLI ($1) REPEATABLE ($2) ORDER BY md5(id) LIMIT $3`,
    [Math.min(100, ((count * 3) / (await countPapers(pool))) * 100), seed, count],
  );
  return rows;
}

async function countPapers(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(`SELECT reltuples::bigint AS n FROM pg_class WHERE relname = 'paper'`);
  return Math.max(1, Number(rows[0]?.n ?? 1));
}

/** Words, pairs of neighbouring title words, typo'd titles and arXiv ids (some versioned), a few with a filter or another sort. */
export async function buildMix(pool: pg.Pool, count: number, seed: number): Promise<MixQuery[]> {
  const papers = await samplePapers(pool, Math.max(200, count), seed);
  const random = seededRandom(seed);
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!;
  const words: string[] = [];
  const pairs: string[] = [];
  for (const { title } of papers) {
    const tokens = title.toLowerCase().split(/[^\p{L}]+/u).filter((word) => word.length >= 4 && !STOP.has(word));
    words.push(...tokens);
    for (let i = 1; i < tokens.length; i++) pairs.push(`${tokens[i - 1]} ${tokens[i]}`);
  }
  const mix: MixQuery[] = [];
  while (mix.length < count) {
    const roll = random();
    const paper = pick(papers);
    let kind: MixKind;
    let q: string | undefined;
    if (roll < 0.35) [kind, q] = ["word", pick(words)];
    else if (roll < 0.65) [kind, q] = ["phrase", pick(pairs)];
    else if (roll < 0.85) [kind, q] = ["typo'd title", transposeInLongWord(paper.title, random)];
    else [kind, q] = ["arXiv id", random() < 0.3 ? `${paper.id}v${1 + Math.floor(random() * 3)}` : random() < 0.2 ? `arXiv:${paper.id}` : paper.id];
    if (!q) continue;
    const query: SearchQuery = { q, sort: "relevance", limit: 20, offset: 0 };
    if (kind !== "arXiv id") {
      if (random() < 0.15) query.categories = [pick(["cs.LG", "cs.CV", "cs.CL", "quant-ph", "hep-th", "math.PR"])];
      const sort = random();
      if (sort < 0.1) query.sort = "newest";
      else if (sort < 0.15) query.sort = "votes";
    }
    mix.push({ kind, query });
  }
  return mix;
}

/** A search as searchPapers runs it while Meilisearch is down: the exact id/title lookup beside the fallback. */
export async function degradedSearch(pool: pg.Pool, query: SearchQuery): Promise<string[]> {
  const id = normalizeArxivId(query.q);
  const pinned = !id && query.q.length < 8 ? Promise.resolve(undefined) : exactMatchRow(pool, id ? { id } : { title: query.q }, query);
  const [result, pin] = await Promise.all([searchPostgres(pool, query), pinned]);
  const ids = result.hits.map((hit) => hit.id);
  return pin ? [pin.paperId, ...ids.filter((other) => other !== pin.paperId)] : ids;
}

export async function measureFallback(pool: pg.Pool, url: string, queries: number, typoTitles: number, seed: number): Promise<FallbackReport> {
  const mix = await buildMix(pool, queries, seed);
  for (const { query } of mix.slice(0, 20)) await degradedSearch(pool, query).catch(() => undefined); // warm-up
  const byKindMs = new Map<MixKind, number[]>();
  const all: number[] = [];
  let failures = 0;
  for (const { kind, query } of mix) {
    const started = performance.now();
    try {
      await degradedSearch(pool, query);
    } catch {
      failures++;
    }
    const took = performance.now() - started;
    all.push(took);
    byKindMs.set(kind, [...(byKindMs.get(kind) ?? []), took]);
  }
  const byKind = Object.fromEntries([...byKindMs].map(([kind, ms]) => [kind, summarize(ms)])) as Record<MixKind, Timing>;

  // hit@10: a real title with one transposition in a long word; is the paper among the first 10?
  const random = seededRandom(seed + 1);
  const sample = await samplePapers(pool, typoTitles * 2, seed + 1);
  const missed: { id: string; query: string }[] = [];
  const typoMs: number[] = [];
  let tried = 0;
  for (const paper of sample) {
    if (tried === typoTitles) break;
    const q = transposeInLongWord(paper.title, random);
    if (!q) continue;
    tried++;
    const [took, ids] = await timed(() => degradedSearch(pool, { q, sort: "relevance", limit: 20, offset: 0 }).catch(() => [] as string[]));
    typoMs.push(took);
    if (!ids.slice(0, 10).includes(paper.id)) missed.push({ id: paper.id, query: q });
  }
  const planQuery = mix.find((entry) => entry.kind === "word")!.query.q;
  const plan = await explainFallback(url, planQuery);
  return { overall: summarize(all), byKind, failures, hits: { found: tried - missed.length, tried, missed }, typoTiming: summarize(typoMs), plan: `q=${JSON.stringify(planQuery)}\n${plan}` };
}

/**
 * The plans of the fallback's statements for one query, as Postgres ran them: a one-connection pool
 * with auto_explain sending every plan back as a notice.
 */
async function explainFallback(url: string, q: string): Promise<string> {
  const options = ["session_preload_libraries=auto_explain", "auto_explain.log_min_duration=0", "auto_explain.log_analyze=on", "auto_explain.log_buffers=on", "auto_explain.log_timing=on", "auto_explain.log_level=notice"];
  const explaining = new pg.Pool({ connectionString: url, max: 1, options: options.map((option) => `-c ${option}`).join(" ") });
  const plans: string[] = [];
  explaining.on("connect", (client) => client.on("notice", (notice) => plans.push(notice.message ?? "")));
  try {
    await searchPostgres(explaining, { q, sort: "relevance", limit: 20, offset: 0 });
    return plans.filter((plan) => /Query Text/.test(plan) && !/^duration: [\d.]+ ms\s+plan:\s+Query Text: (BEGIN|COMMIT|SET)/.test(plan)).join("\n");
  } catch (error) {
    return `(no plan: ${(error as Error).message})`;
  } finally {
    await explaining.end();
  }
}

// ---------------------------------------------------------------------------------------------
// A paper page's statements and /api/health's

export type PageReport = { paper: Timing; health: Timing };

export async function measurePageAndHealth(pool: pg.Pool, repeats: number, seed: number): Promise<PageReport> {
  const papers = await samplePapers(pool, repeats, seed + 2);
  const paperMs: number[] = [];
  for (const { id } of papers) {
    const [took] = await timed(() => Promise.all([paperDetail(id), paperSources(id)]));
    paperMs.push(took);
  }
  const healthMs: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const [took] = await timed(() => Promise.all([latestListedDay(), harvestStatus(db.pool), digestHealth()]));
    healthMs.push(took);
  }
  return { paper: summarize(paperMs), health: summarize(healthMs) };
}
