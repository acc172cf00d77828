import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PERIODS, type Period } from "@/lib/papers/period";
import { TRENDING_SQL, trendingRows } from "@/lib/papers/queries";
import { explainScore, scoreTrending } from "@/lib/papers/score";
import { listTrending } from "@/lib/papers/trending";
import { addDays, daysBetween } from "@/lib/time";
import { createAppDatabase, type TestDatabase } from "./test-db";

let database: TestDatabase;

// Days 2026-03-01 .. 2026-04-14 (weekends empty, as on arXiv); about 40 papers a weekday.
const FIRST = "2026-03-01";
const LAST = "2026-04-14";
// cs.SY is an alias of eess.SY: a paper tagged with either is in eess.SY's windows.
const CATEGORIES = ["cs.LG", "cs.CL", "hep-th", "math.PR", "quant-ph", "eess.SY", "cs.SY"];
/** The ids each category of the comparison matches, written out here rather than taken from the taxonomy. */
const MATCHED: Record<string, string[]> = { "cs.LG": ["cs.LG"], "hep-th": ["hep-th"], "eess.SY": ["eess.SY", "cs.SY"], "cs.SY": ["eess.SY", "cs.SY"] };

function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 48_271) % 2_147_483_647;
    return state / 2_147_483_647;
  };
}

beforeAll(async () => {
  database = await createAppDatabase();
  const random = seeded(7);
  const rows: unknown[][] = [];
  let n = 0;
  for (let day = FIRST; day <= LAST; day = addDays(day, 1)) {
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    for (let i = 0; i < 40; i++) {
      n++;
      // Most papers have no votes (so they tie at 0 and go by id); votes repeat; stars of 1 and 3 make
      // exact ties with papers without code (8 votes + 1 star = 10 votes), and some have many.
      const roll = random();
      const source = roll < 0.6 ? 0 : roll < 0.9 ? Math.floor(random() * 12) : Math.floor(random() * 400);
      const local = random() < 0.1 ? Math.floor(random() * 3) : 0;
      const starsRoll = random();
      const stars = starsRoll < 0.7 ? null : starsRoll < 0.8 ? 1 : starsRoll < 0.85 ? 3 : starsRoll < 0.9 ? 0 : Math.floor(random() * 20_000);
      const categories = [CATEGORIES[Math.floor(random() * CATEGORIES.length)]!, ...(random() < 0.4 ? [CATEGORIES[Math.floor(random() * CATEGORIES.length)]!] : [])];
      rows.push([`2603.${String(n).padStart(5, "0")}`, `Paper ${n}`, day, [...new Set(categories)], source, local, stars]);
    }
  }
  await database.pool.query(
    `INSERT INTO paper (id, title, listed_at, listed_rank, categories, source_upvotes, local_upvotes, github_stars)
     SELECT id, title, listed_at::date, 1, string_to_array(categories, ','), source, local, stars
     FROM json_to_recordset($1::json) AS x(id text, title text, listed_at text, categories text, source int, local int, stars int)`,
    [JSON.stringify(rows.map(([id, title, day, categories, source, local, stars]) => ({ id, title, listed_at: day, categories: (categories as string[]).join(","), source, local, stars })))],
  );
  await database.pool.query("VACUUM ANALYZE paper");
});

afterAll(async () => {
  await database.drop();
});

/** The ranking by reading and sorting every paper of the window, written independently of TRENDING_SQL. */
async function fullSort(to: string, period: Period, category: string | undefined, limit: number, offset: number) {
  const { days, halfLifeDays } = PERIODS[period];
  const { rows } = await database.pool.query<{ id: string; score: number; total: number }>(
    `SELECT id, score, count(*) OVER ()::int AS total FROM (
       SELECT id, source_upvotes + local_upvotes AS votes, trend_points,
         trend_points * power(0.5, ($1::date - listed_at)::float8 / $3::float8) AS score
       FROM paper WHERE listed_at BETWEEN $2::date AND $1::date
         AND ($4::text[] IS NULL OR EXISTS (SELECT 1 FROM unnest(categories) AS c WHERE c = ANY($4::text[])))
     ) w ORDER BY score DESC, trend_points DESC, votes DESC, id LIMIT $5 OFFSET $6`,
    [to, addDays(to, 1 - days), halfLifeDays, category ? MATCHED[category]! : null, limit, offset],
  );
  return rows;
}

describe("trending windows at scale", () => {
  it("each paper's stored points are explainScore's points (votes + 2·log2(1 + stars)), and its votes the sum of both counts", async () => {
    const { rows } = await database.pool.query<{ votes: number; upvotes: number; stars: number | null; points: number }>(
      `SELECT source_upvotes + local_upvotes AS votes, upvotes, github_stars AS stars, trend_points AS points FROM paper`,
    );
    expect(new Set(rows.map((row) => row.stars)).size).toBeGreaterThan(50);
    for (const row of rows) {
      expect(row.upvotes).toBe(row.votes);
      expect(row.points).toBeCloseTo(explainScore({ votes: row.votes, githubStars: row.stars, ageDays: 0, period: "day" }).points, 9);
    }
  });

  it("points follow later votes and stars, and are never negative", async () => {
    await database.pool.query(`INSERT INTO paper (id, title, listed_at, source_upvotes, github_stars) VALUES ('2603.99999', 'Moving paper', '2026-04-14', 5, NULL)`);
    const points = async () => (await database.pool.query<{ p: number }>(`SELECT trend_points AS p FROM paper WHERE id = '2603.99999'`)).rows[0]!.p;
    expect(await points()).toBe(5);
    await database.pool.query(`UPDATE paper SET local_upvotes = local_upvotes + 2, github_stars = 1023 WHERE id = '2603.99999'`);
    expect(await points()).toBeCloseTo(explainScore({ votes: 7, githubStars: 1023, ageDays: 0, period: "day" }).points, 9);
    await database.pool.query(`UPDATE paper SET source_upvotes = -20, local_upvotes = 0, github_stars = -4 WHERE id = '2603.99999'`);
    expect(await points()).toBe(explainScore({ votes: -20, githubStars: -4, ageDays: 0, period: "day" }).points);
    await database.pool.query(`DELETE FROM paper WHERE id = '2603.99999'`);
  });

  it("ranks every window exactly as sorting all of its papers would, for every period, category, date and page", async () => {
    let compared = 0;
    for (const period of Object.keys(PERIODS) as Period[]) {
      for (const to of [LAST, "2026-04-06", "2026-03-20", "2026-03-08"]) {
        for (const category of [undefined, "cs.LG", "hep-th", "eess.SY", "cs.SY"]) {
          for (const [limit, offset] of [[31, 0], [31, 31], [20, 200], [50, 1_000]] as const) {
            const { halfLifeDays, days } = PERIODS[period];
            const expected = await fullSort(to, period, category, limit, offset);
            const rows = await trendingRows({ to, from: addDays(to, 1 - days), halfLifeDays, limit, offset, category });
            const where = `${period} to ${to} ${category ?? "all"} ${limit}@${offset}`;
            expect(rows.map((row) => row.id), where).toEqual(expected.map((row) => row.id));
            expect(rows.map((row) => row.score), where).toEqual(expected.map((row) => row.score));
            if (rows.length > 0) expect(rows[0]!.total, where).toBe(expected[0]!.total);
            compared += rows.length;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(1_500);
  });

  it("breaks equal scores by points (the older paper), then votes, then id, and scores as the pure function does", async () => {
    // Three papers scoring exactly 10 in the month window (half-life 7 days): 4 votes and 255 stars
    // (16 points) a week before the end, 10 votes on the last day, and 8 votes with 1 star (2 points) on
    // the last day. Points, not votes, put the first one first; their ids run the other way.
    await database.pool.query(
      `INSERT INTO paper (id, title, listed_at, source_upvotes, github_stars) VALUES
         ('2604.90001', 'Eight votes and a star', '2026-04-14', 8, 1),
         ('2604.90002', 'Ten votes', '2026-04-14', 10, NULL),
         ('2604.90003', 'Four votes and 255 stars a week earlier', '2026-04-07', 4, 255)`,
    );
    try {
      const page = await listTrending({ period: "month", date: LAST, limit: 1_000 });
      expect(page.items.length).toBe(page.total);
      for (const item of page.items) {
        expect(item.score).toBeCloseTo(scoreTrending({ votes: item.votes, githubStars: item.githubStars, ageDays: daysBetween(item.listedAt!, LAST), period: "month" }), 9);
      }
      const tied = page.items.filter((item) => item.id.startsWith("2604.9000"));
      expect(tied.map((item) => [item.id, item.score])).toEqual([["2604.90003", 10], ["2604.90002", 10], ["2604.90001", 10]]);
    } finally {
      await database.pool.query(`DELETE FROM paper WHERE id LIKE '2604.9000%'`);
    }
  });

  it("reads each day's candidates from paper_trending_idx alone, and the count from an index", async () => {
    const client = await database.pool.connect();
    try {
      // A table this small is cheaper to scan; ask the planner what it does at scale.
      await client.query("SET enable_seqscan = off");
      for (const [period, category] of [["day", null], ["month", null], ["month", ["hep-th"]], ["month", ["eess.SY", "cs.SY"]]] as const) {
        const { days, halfLifeDays } = PERIODS[period];
        const { rows } = await client.query<{ "QUERY PLAN": string }>(`EXPLAIN ${TRENDING_SQL}`, [LAST, addDays(LAST, 1 - days), halfLifeDays, 31, 0, category]);
        const plan = rows.map((row) => row["QUERY PLAN"]).join("\n");
        expect(plan, plan).toMatch(/Limit[\s\S]*Index Only Scan using paper_trending_idx on paper/);
        expect(plan, plan).not.toMatch(/Seq Scan|WindowAgg/);
      }
    } finally {
      await client.query("RESET enable_seqscan");
      client.release();
    }
  });
});
