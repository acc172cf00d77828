-- The fallback search ranked every candidate by recomputing to_tsvector over its abstract, which
-- took seconds at 100k papers. A stored, weighted vector (title A, abstract B) is computed once per
-- write, and the full-text index is built on it. (SQL only: Prisma cannot express generated columns.)
DROP INDEX paper_search_fts_idx;
ALTER TABLE paper ADD COLUMN search_vector tsvector
  GENERATED ALWAYS AS (setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', abstract), 'B')) STORED;
CREATE INDEX paper_search_fts_idx ON paper USING gin (search_vector);
