-- Trending at a million papers. A window's papers were all read and sorted by their score, with a
-- count of the window over them: a month of arXiv (24,000 papers) took 70 to 110 ms. Within a window
-- every paper listed the same day decays by the same factor, so the window's ranking is a merge of its
-- days' rankings by points (votes plus the star term): the top `limit + offset` of each day, read in
-- order from one index, are the only candidates. The points and the vote count are stored, computed
-- by Postgres from the row (the same expression as explainScore in lib/papers/score.ts, with its
-- STAR_WEIGHT of 2), so the index can hold them; the categories in the index let a category's window
-- and every window's count be read from the index alone.
-- Adding stored columns rewrites the table once.
ALTER TABLE "paper"
  ADD COLUMN "upvotes" INTEGER NOT NULL GENERATED ALWAYS AS ("source_upvotes" + "local_upvotes") STORED,
  ADD COLUMN "trend_points" DOUBLE PRECISION NOT NULL
    GENERATED ALWAYS AS (greatest("source_upvotes" + "local_upvotes", 0) + 2 * ln(1 + greatest(COALESCE("github_stars", 0), 0)::float8) / ln(2)) STORED;

-- CreateIndex
CREATE INDEX "paper_trending_idx" ON "paper"("listed_at", "trend_points" DESC, "upvotes" DESC, "id", "categories");
