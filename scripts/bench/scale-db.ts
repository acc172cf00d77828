// The databases bench:scale measures: one migrated database per size in one embedded Postgres, filled
// by COPY with generated papers (secondary indexes built after the rows, in parallel shards), and
// kept for the next run when asked; a marker table says what it holds and what building it took.
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { migrate } from "@/lib/db/migrate";
import { papersOfDay, scheduleDays, SCALE_GENERATOR, type ScalePaper, type Schedule } from "./scale-papers";

export const SCALE_LATEST_DAY = "2026-06-30";
const SEED = 20_260_630;
const SHARDS = 2;

export type LoadReport = {
  papers: number;
  generator: string;
  first: string;
  last: string;
  copySeconds: number;
  /** Seconds to build each secondary index of paper after the rows were in. */
  indexSeconds: Record<string, number>;
  vacuumSeconds: number;
  totalSeconds: number;
};

function copyText(value: string | number | null): string {
  if (value === null) return "\\N";
  return String(value).replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r");
}

function pgArray(values: string[]): string {
  return `{${values.map((value) => `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`).join(",")}}`;
}

const COPY_COLUMNS = "id, title, abstract, authors, categories, published_at, listed_at, listed_rank, comment, github_repo, github_stars, source_upvotes";

function copyLine(paper: ScalePaper): string {
  return `${[
    paper.id, paper.title, paper.abstract, pgArray(paper.authors), pgArray(paper.categories), paper.publishedAt.toISOString(),
    paper.listedAt, paper.listedRank, "12 pages, 5 figures", paper.githubRepo, paper.githubStars, paper.votes,
  ].map(copyText).join("\t")}\n`;
}

/** Streams one shard's days (every SHARDS-th day) into paper with COPY. */
async function copyShard(pool: pg.Pool, schedule: Schedule, shard: number): Promise<void> {
  const client = await pool.connect();
  try {
    // The papers are generated and rebuilt, never precious: no need to wait for each commit's fsync.
    await client.query("SET synchronous_commit = off");
    const lines = function* () {
      for (let i = shard; i < schedule.days.length; i += SHARDS) {
        for (const paper of papersOfDay(schedule.days[i]!, SEED)) yield copyLine(paper);
      }
    };
    await pipeline(Readable.from(lines()), client.query(copyFrom(`COPY paper (${COPY_COLUMNS}) FROM STDIN`)));
  } finally {
    client.release();
  }
}

async function databaseExists(adminUrl: string, name: string): Promise<boolean> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    return (await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name])).rowCount === 1;
  } finally {
    await admin.end();
  }
}

async function recreateDatabase(adminUrl: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
}

/** What a kept database holds, or undefined when it is missing, unfinished or from another generator. */
export async function readLoadReport(adminUrl: string, name: string, papers: number): Promise<LoadReport | undefined> {
  if (!(await databaseExists(adminUrl, name))) return undefined;
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const { rows } = await client.query<{ report: LoadReport }>(`SELECT report FROM bench_scale_load WHERE id = 1`).catch(() => ({ rows: [] }));
    const report = rows[0]?.report;
    return report && report.papers === papers && report.generator === SCALE_GENERATOR ? report : undefined;
  } finally {
    await client.end();
  }
}

/**
 * Builds database `name` afresh with `papers` generated papers: migrate, drop paper's secondary
 * indexes, COPY in SHARDS parallel streams (the generated search vector is computed on the way in,
 * the bulk of the work), build the indexes again, record sources, VACUUM ANALYZE.
 */
export async function buildScaleDatabase(adminUrl: string, name: string, papers: number, log: (line: string) => void): Promise<LoadReport> {
  await recreateDatabase(adminUrl, name);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  await migrate(url.toString());
  const pool = new pg.Pool({ connectionString: url.toString(), max: SHARDS + 1 });
  try {
    const started = performance.now();
    const schedule = scheduleDays(papers, SCALE_LATEST_DAY);
    const { rows: indexes } = await pool.query<{ name: string; def: string }>(
      `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
       WHERE i.schemaname = 'public' AND i.tablename = 'paper'
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
    );
    for (const index of indexes) await pool.query(`DROP INDEX "${index.name}"`);
    // The outbox triggers would queue every paper for Meilisearch; bench:scale indexes by reindex instead.
    await pool.query("ALTER TABLE paper DISABLE TRIGGER USER");
    log(`  ${name}: copying ${papers.toLocaleString("en-US")} papers listed ${schedule.first} to ${schedule.last} in ${SHARDS} streams…`);
    await Promise.all(Array.from({ length: SHARDS }, (_, shard) => copyShard(pool, schedule, shard)));
    const copySeconds = (performance.now() - started) / 1000;
    await pool.query("ALTER TABLE paper ENABLE TRIGGER USER");
    await pool.query(`INSERT INTO paper_source (paper_id, source, external_id) SELECT id, 'arxiv-kaggle', id FROM paper`);
    const indexSeconds: Record<string, number> = {};
    const client = await pool.connect();
    try {
      await client.query("SET maintenance_work_mem = '512MB'");
      for (const index of indexes) {
        const t = performance.now();
        await client.query(index.def);
        indexSeconds[index.name] = (performance.now() - t) / 1000;
        log(`  ${name}: ${index.name} built in ${indexSeconds[index.name]!.toFixed(0)} s`);
      }
    } finally {
      client.release();
    }
    const vacuumStarted = performance.now();
    await pool.query("VACUUM (ANALYZE) paper");
    await pool.query("VACUUM (ANALYZE) paper_source");
    const vacuumSeconds = (performance.now() - vacuumStarted) / 1000;
    const report: LoadReport = {
      papers, generator: SCALE_GENERATOR, first: schedule.first, last: schedule.last,
      copySeconds, indexSeconds, vacuumSeconds, totalSeconds: (performance.now() - started) / 1000,
    };
    await pool.query(`CREATE TABLE bench_scale_load (id int PRIMARY KEY, report jsonb NOT NULL)`);
    await pool.query(`INSERT INTO bench_scale_load VALUES (1, $1)`, [JSON.stringify(report)]);
    return report;
  } finally {
    await pool.end();
  }
}
