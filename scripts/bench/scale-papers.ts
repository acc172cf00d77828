// Papers at arXiv's scale for bench:scale: arXiv's rhythm (about 24,000 a month on weekdays), realistic
// categories with cross-lists, skewed votes and stars, and text walked from the word pairs of the
// bundled real titles and abstracts, so common words are as common as in real papers.
import fs from "node:fs";
import path from "node:path";
import { addDays, parseDay } from "@/lib/time";

/** Bump when the generated papers change, so a kept database built by an older generator is rebuilt. */
export const SCALE_GENERATOR = "scale-papers/1";

export type ScalePaper = {
  id: string;
  title: string;
  abstract: string;
  authors: string[];
  categories: string[];
  publishedAt: Date;
  listedAt: string;
  listedRank: number;
  votes: number;
  githubRepo: string | null;
  githubStars: number | null;
};

/** mulberry32: small, fast and good enough for test data; the same seed gives the same papers. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * A bigram walk over real text: the next word is the successor of a random occurrence of the
 * current one, so pairs ("language models") and frequencies ("models" in about half the
 * abstracts) are those of the sample. A document's end starts the walk again at a random document.
 */
class WordWalk {
  private readonly words: string[] = [];
  private readonly stream: number[] = [];
  private readonly starts: number[] = [];
  private readonly offsets: Int32Array;
  private readonly positions: Int32Array;

  constructor(documents: string[]) {
    const ids = new Map<string, number>();
    for (const document of documents) {
      const tokens = document.split(/\s+/).filter(Boolean);
      if (tokens.length < 2) continue;
      this.starts.push(this.stream.length);
      for (const token of tokens) {
        let id = ids.get(token);
        if (id === undefined) {
          id = this.words.length;
          ids.set(token, id);
          this.words.push(token);
        }
        this.stream.push(id);
      }
      this.stream.push(-1);
    }
    // Where each word occurs, grouped by word (counting sort), for an O(1) weighted pick of a successor.
    const counts = new Int32Array(this.words.length + 1);
    for (const id of this.stream) if (id >= 0) counts[id + 1]!++;
    this.offsets = new Int32Array(this.words.length + 1);
    for (let i = 1; i <= this.words.length; i++) this.offsets[i] = this.offsets[i - 1]! + counts[i]!;
    const fill = this.offsets.slice();
    this.positions = new Int32Array(this.offsets[this.words.length]!);
    this.stream.forEach((id, at) => {
      if (id >= 0) this.positions[fill[id]!++] = at;
    });
  }

  text(length: number, random: () => number): string {
    const out: string[] = [];
    let at = this.starts[Math.floor(random() * this.starts.length)]!;
    while (out.length < length) {
      const id = this.stream[at]!;
      out.push(this.words[id]!);
      const from = this.offsets[id]!;
      const occurrence = this.positions[from + Math.floor(random() * (this.offsets[id + 1]! - from))]!;
      at = occurrence + 1;
      if (this.stream[at] === -1) at = this.starts[Math.floor(random() * this.starts.length)]!;
    }
    return out.join(" ");
  }
}

type Sample = { titles: WordWalk; abstracts: WordWalk; names: string[] };

let sample: Sample | undefined;

function loadSample(): Sample {
  if (sample) return sample;
  const dir = path.join(process.cwd(), "data", "sample", "hf-daily-papers");
  const titles: string[] = [];
  const abstracts: string[] = [];
  const names = new Set<string>();
  for (const file of fs.readdirSync(dir).filter((name) => name.endsWith(".json")).sort()) {
    for (const item of JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as { paper: { title: string; summary: string; authors: { name: string }[] } }[]) {
      titles.push(item.paper.title);
      abstracts.push(item.paper.summary);
      for (const author of item.paper.authors) names.add(author.name);
    }
  }
  return (sample = { titles: new WordWalk(titles), abstracts: new WordWalk(abstracts), names: [...names] });
}

// arXiv's mix, roughly: share of primary categories (per group, then within it) and where papers cross-list.
const GROUPS: { share: number; categories: [string, number][] }[] = [
  { share: 0.42, categories: [["cs.LG", 28], ["cs.CV", 20], ["cs.CL", 15], ["cs.AI", 10], ["cs.RO", 6], ["cs.CR", 5], ["cs.IR", 3], ["cs.SE", 3], ["cs.HC", 3], ["cs.DC", 3], ["cs.NE", 2], ["cs.DS", 2]] },
  { share: 0.17, categories: [["math.OC", 14], ["math.PR", 12], ["math.AP", 12], ["math.NA", 12], ["math.CO", 12], ["math.AG", 10], ["math.ST", 10], ["math.DG", 9], ["math.NT", 9]] },
  { share: 0.13, categories: [["quant-ph", 40], ["hep-th", 20], ["hep-ph", 20], ["gr-qc", 12], ["hep-ex", 8]] },
  { share: 0.1, categories: [["cond-mat.mtrl-sci", 30], ["cond-mat.str-el", 25], ["cond-mat.mes-hall", 25], ["cond-mat.stat-mech", 20]] },
  { share: 0.08, categories: [["astro-ph.GA", 30], ["astro-ph.CO", 25], ["astro-ph.HE", 25], ["astro-ph.SR", 20]] },
  { share: 0.1, categories: [["eess.SP", 25], ["eess.IV", 20], ["eess.SY", 20], ["stat.ML", 20], ["stat.ME", 15]] },
];

function weighted<T>(items: [T, number][], random: () => number): T {
  const total = items.reduce((sum, [, weight]) => sum + weight, 0);
  let roll = random() * total;
  for (const [item, weight] of items) if ((roll -= weight) < 0) return item;
  return items[items.length - 1]![0];
}

function categoriesFor(random: () => number): string[] {
  const group = weighted(GROUPS.map((g) => [g, g.share] as [typeof g, number]), random);
  const chosen = [weighted(group.categories, random)];
  // About 0.9 cross-lists per paper: most from the same group, some anywhere (cs.LG with stat.ML, math.OC, ...).
  const extra = weighted([[0, 40], [1, 35], [2, 17], [3, 8]], random);
  for (let i = 0; i < extra; i++) {
    const from = random() < 0.7 ? group : weighted(GROUPS.map((g) => [g, g.share] as [typeof g, number]), random);
    const category = weighted(from.categories, random);
    if (!chosen.includes(category)) chosen.push(category);
  }
  return chosen;
}

/** A Pareto draw >= 1: most small, a few very large. */
function pareto(random: () => number, alpha: number): number {
  return Math.pow(1 - random(), -1 / alpha);
}

// Weekdays only, Mondays heaviest, as arXiv announces; about 24,000 a month.
const WEEKDAY_WEIGHT = [0, 1.25, 1.0, 0.95, 0.95, 0.85, 0];
const PER_WEEKDAY = 24_000 / (261 / 12);

export type Schedule = { days: { day: string; count: number; firstInMonth: number }[]; first: string; last: string };

/** Listing days ending on `latest`, going back until `count` papers are placed; each day's papers and ids. */
export function scheduleDays(count: number, latest: string): Schedule {
  const backwards: { day: string; count: number }[] = [];
  let left = count;
  for (let day = latest; left > 0; day = addDays(day, -1)) {
    const weight = WEEKDAY_WEIGHT[parseDay(day).getUTCDay()]!;
    if (weight === 0) continue;
    const n = Math.min(left, Math.round(PER_WEEKDAY * weight * (0.9 + 0.2 * seededRandom(parseDay(day).getTime() / 86_400_000)())));
    backwards.push({ day, count: n });
    left -= n;
  }
  const days: Schedule["days"] = [];
  const perMonth = new Map<string, number>();
  for (const { day, count: n } of backwards.reverse()) {
    const month = day.slice(0, 7);
    const before = perMonth.get(month) ?? 0;
    perMonth.set(month, before + n);
    days.push({ day, count: n, firstInMonth: before + 1 });
  }
  return { days, first: days[0]!.day, last: latest };
}

/** The papers of one listing day (deterministic per day, so shards can generate days independently). */
export function* papersOfDay(entry: Schedule["days"][number], seed: number): Generator<ScalePaper> {
  const { titles, abstracts, names } = loadSample();
  const random = seededRandom(seed ^ Math.floor(parseDay(entry.day).getTime() / 86_400_000));
  const prefix = `${entry.day.slice(2, 4)}${entry.day.slice(5, 7)}`;
  for (let i = 0; i < entry.count; i++) {
    // About 5% are featured on Hugging Face and carry its votes (Pareto: median about 4, a few in the hundreds).
    const featured = random() < 0.05;
    const hasCode = random() < (featured ? 0.6 : 0.2);
    const published = parseDay(entry.day).getTime() - Math.floor(random() * 3 * 86_400_000) - Math.floor(random() * 86_400_000);
    yield {
      id: `${prefix}.${String(entry.firstInMonth + i).padStart(5, "0")}`,
      title: titles.text(5 + Math.floor(random() * 10), random),
      abstract: abstracts.text(120 + Math.floor(random() * 140), random),
      authors: Array.from({ length: Math.min(40, 1 + Math.floor((pareto(random, 1.4) - 1) * 4)) }, () => names[Math.floor(random() * names.length)]!),
      categories: categoriesFor(random),
      publishedAt: new Date(published),
      listedAt: entry.day,
      listedRank: featured ? 2 : 1,
      votes: featured ? Math.min(2_000, Math.floor(pareto(random, 0.8) * 2)) : 0,
      githubRepo: hasCode ? `https://github.com/lab-${Math.floor(random() * 50_000)}/${prefix}-${entry.firstInMonth + i}` : null,
      githubStars: hasCode && random() < 0.8 ? Math.min(80_000, Math.floor(pareto(random, 0.7) * 3) - 3) : null,
    };
  }
}
