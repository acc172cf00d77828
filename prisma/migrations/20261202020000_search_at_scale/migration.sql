-- The search fallback at a million papers ranks a bounded set of candidates instead of every match.
-- Titles get a full-text index of their own: matches in a title are the best candidates, and a title
-- with a typo is found by all its other words, both from an index far smaller than the one on title
-- and abstract (SQL only: Prisma cannot express expression indexes). Categories get a GIN index, so
-- a category filter is a bitmap and-ed with the words' instead of a check of every match's row.
CREATE INDEX paper_search_title_fts_idx ON paper USING gin (to_tsvector('english', title));

-- CreateIndex
CREATE INDEX "paper_categories_idx" ON "paper" USING GIN ("categories");
