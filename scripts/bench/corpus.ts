// The papers a benchmark instance holds: generated ones (about 1,000 a listing day, see papers.ts) or a given
// file, ingested through the same code as `npm run ingest`, then some with code and votes so those bite.
import path from "node:path";
import type pg from "pg";
import { ingestFiles } from "@/lib/ingest/run-ingest";
import { generatePapers, writeKaggleFile } from "./papers";

export async function loadCorpus(pool: pg.Pool, tmp: string, source: { papers: number; file?: string }): Promise<{ papers: number; ingestSeconds: number }> {
  let file = source.file;
  if (!file) {
    console.log(`Generating ${source.papers.toLocaleString()} papers (Kaggle JSON Lines) from the vocabulary of the bundled abstracts…`);
    file = path.join(tmp, "papers.jsonl");
    await writeKaggleFile(generatePapers(source.papers), file);
  }
  const started = performance.now();
  const summary = await ingestFiles(pool, [file], { today: "2026-01-01", batchSize: 2_000 });
  const ingestSeconds = (performance.now() - started) / 1000;
  const papers = summary.inserted + summary.updated + summary.unchanged;
  if (papers === 0) throw new Error(`nothing ingested from ${file}: ${summary.rejections[0]?.reason ?? "no records"}`);
  if (summary.rejected > 0) console.log(`  ${summary.rejected} records rejected (first: ${summary.rejections[0]?.reason})`);
  if (!source.file) {
    // The Kaggle format carries no code links or votes: give a fixed ~15% a repository and ~30% a skewed
    // vote count (hashtext is deterministic), as on Hugging Face, so `hasCode`, `sort=votes` and the
    // trending scores are realistic.
    await pool.query(`UPDATE paper SET
        github_repo = CASE WHEN abs(hashtext(id)) % 100 < 15 THEN 'https://github.com/bench/' || replace(id, '.', '-') END,
        source_upvotes = floor(power((abs(hashtext(id || ':votes')) % 1000) / 1000.0, 4) * 500)::int
      WHERE abs(hashtext(id)) % 100 < 30`);
  }
  await pool.query("ANALYZE paper");
  return { papers, ingestSeconds };
}
