// Deterministic benchmark papers built from the vocabulary of the bundled real abstracts, shared by the bench scripts.
import fs from "node:fs";
import path from "node:path";
import { once } from "node:events";
import { addDays } from "@/lib/time";

// Words from the bundled real abstracts, so text lengths and vocabulary look like arXiv's.
export function vocabulary(): string[] {
  const dir = path.join(process.cwd(), "data", "sample", "hf-daily-papers");
  const words = new Set<string>();
  for (const file of fs.readdirSync(dir).slice(0, 10)) {
    for (const item of JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as { paper: { summary: string } }[]) {
      for (const word of item.paper.summary.split(/\s+/)) if (word) words.add(word);
    }
  }
  return [...words];
}

/** A seeded linear congruential generator in [0, 1]: the same seed gives the same papers and queries. */
export function makeRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

export type GeneratedPaper = { id: string; title: string; abstract: string; authors: string[]; categories: string[]; created: Date };

export const CATEGORIES = ["cs.LG", "cs.CL", "cs.CV", "cs.AI", "stat.ML", "math.OC", "hep-th", "quant-ph"];

// Deterministic, so a second pass (bench:ingest's COPY) streams the very same rows again instead of holding them in memory.
export function* generatePapers(count: number): Generator<GeneratedPaper> {
  const words = vocabulary();
  const random = makeRandom(42);
  const pick = () => words[Math.floor(random() * words.length)]!;
  const sentence = (n: number) => Array.from({ length: n }, pick).join(" ");
  const perMonth = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    // About 1,000 papers a listing day, like a busy arXiv day.
    const day = addDays("2020-01-01", Math.floor(i / 1000));
    const month = `${day.slice(2, 4)}${day.slice(5, 7)}`;
    const sequence = (perMonth.get(month) ?? 0) + 1;
    perMonth.set(month, sequence);
    yield {
      id: `${month}.${String(sequence).padStart(5, "0")}`,
      title: sentence(6 + Math.floor(random() * 8)),
      abstract: sentence(120 + Math.floor(random() * 120)),
      authors: Array.from({ length: 2 + Math.floor(random() * 6) }, () => `${pick()} ${pick()}`),
      categories: [CATEGORIES[i % CATEGORIES.length]!, CATEGORIES[(i + 3) % CATEGORIES.length]!],
      created: new Date(`${day}T${String(Math.floor(random() * 24)).padStart(2, "0")}:00:00Z`),
    };
  }
}

/** Writes papers as Kaggle arXiv-metadata JSON Lines, the format `npm run ingest` reads for bulk dumps. */
export async function writeKaggleFile(rows: Iterable<GeneratedPaper>, file: string): Promise<void> {
  const out = fs.createWriteStream(file);
  for (const row of rows) {
    const record = {
      id: row.id, submitter: row.authors[0], authors: row.authors.join(", "), title: row.title, comments: "10 pages",
      "journal-ref": null, doi: null, "report-no": null, categories: row.categories.join(" "), license: null, abstract: row.abstract,
      versions: [{ version: "v1", created: row.created.toUTCString() }], update_date: row.created.toISOString().slice(0, 10),
      authors_parsed: row.authors.map((name) => [name.split(" ")[1], name.split(" ")[0], ""]),
    };
    if (!out.write(`${JSON.stringify(record)}\n`)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}

/** The id generatePapers gives its `index`-th paper (0-based), computed without generating the ones before it. */
export function generatedPaperId(index: number): string {
  const day = addDays("2020-01-01", Math.floor(index / 1000));
  const firstOfMonth = Math.round((Date.parse(`${day.slice(0, 8)}01T00:00:00Z`) - Date.parse("2020-01-01T00:00:00Z")) / 86_400_000);
  return `${day.slice(2, 4)}${day.slice(5, 7)}.${String(index - firstOfMonth * 1000 + 1).padStart(5, "0")}`;
}

/**
 * A day's harvest arriving after the first `existing` papers of generatePapers: `count` papers, half
 * of them new (ids in January 2027, after anything generatePapers gives up to 2.5 million papers) and
 * half new versions of known papers spread over the whole range (new title, abstract and date).
 */
export function* dailyHarvest(existing: number, count: number): Generator<GeneratedPaper> {
  const words = vocabulary();
  const random = makeRandom(7);
  const pick = () => words[Math.floor(random() * words.length)]!;
  const sentence = (n: number) => Array.from({ length: n }, pick).join(" ");
  const changed = Math.min(Math.floor(count / 2), existing);
  for (let i = 0; i < count; i++) {
    const id = i < changed ? generatedPaperId(Math.floor((i * existing) / changed)) : `2701.${String(i - changed + 1).padStart(5, "0")}`;
    yield {
      id,
      title: sentence(6 + Math.floor(random() * 8)),
      abstract: sentence(120 + Math.floor(random() * 120)),
      authors: Array.from({ length: 2 + Math.floor(random() * 6) }, () => `${pick()} ${pick()}`),
      categories: [CATEGORIES[i % CATEGORIES.length]!],
      created: new Date(`2027-01-04T${String(Math.floor(random() * 24)).padStart(2, "0")}:00:00Z`),
    };
  }
}
