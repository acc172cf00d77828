-- Every search looks up a paper whose title is exactly the query (to put it first). A btree on
-- lower(title) makes that one index probe; the trigram index answered it too, but by merging the
-- posting lists of every trigram of the query, which cost the search path real CPU under load.
-- It also serves the lookup of id-less papers by title, so the partial index for those goes.
CREATE INDEX paper_title_lower_idx ON paper (lower(title));
DROP INDEX paper_local_title_idx;
