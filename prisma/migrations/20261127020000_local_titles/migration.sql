-- Papers from id-less sources ("local-…") are looked up by title whenever arXiv papers arrive,
-- to merge them; this small partial index keeps that a lookup, not a scan of every paper.
-- (SQL only: Prisma cannot express expression or partial indexes.)
CREATE INDEX paper_local_title_idx ON paper (lower(title)) WHERE id LIKE 'local-%';
