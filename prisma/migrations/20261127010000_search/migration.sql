-- Search: a transactional outbox for the Meilisearch index, and Postgres full-text and trigram
-- indexes for the fallback when Meilisearch is unreachable.

CREATE TABLE "search_outbox" (
    "paper_id" TEXT NOT NULL,
    "changed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "version" BIGSERIAL NOT NULL,

    CONSTRAINT "search_outbox_pkey" PRIMARY KEY ("paper_id")
);

CREATE INDEX "search_outbox_changed_at_idx" ON "search_outbox"("changed_at");

-- Every insert, update or delete of a paper queues it for the index in the same transaction, so
-- no writer (ingest, votes, a manual fix) can forget to. Statement-level with transition tables:
-- one INSERT per statement, not one per row. Each queuing takes a new version, so the sync removes
-- a row only if the paper did not change again while it was being pushed.
CREATE FUNCTION paper_search_enqueue() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    INSERT INTO search_outbox (paper_id) SELECT id FROM old_rows
    ON CONFLICT (paper_id) DO UPDATE SET changed_at = EXCLUDED.changed_at, version = EXCLUDED.version;
  ELSE
    INSERT INTO search_outbox (paper_id) SELECT id FROM new_rows
    ON CONFLICT (paper_id) DO UPDATE SET changed_at = EXCLUDED.changed_at, version = EXCLUDED.version;
  END IF;
  -- Wakes the sync worker at commit (one notification per transaction, however many rows), but
  -- only when rows changed: an ingest batch of unchanged papers stays quiet.
  IF FOUND THEN
    PERFORM pg_notify('search_outbox', '');
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER paper_search_insert AFTER INSERT ON paper
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION paper_search_enqueue();
CREATE TRIGGER paper_search_update AFTER UPDATE ON paper
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION paper_search_enqueue();
CREATE TRIGGER paper_search_delete AFTER DELETE ON paper
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION paper_search_enqueue();

-- Existing papers are queued once, so an upgraded database gets indexed.
INSERT INTO search_outbox (paper_id) SELECT id FROM paper;

-- Fallback search (managed here only: Prisma cannot express expression indexes).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX paper_search_fts_idx ON paper USING gin (to_tsvector('english', title || ' ' || abstract));
CREATE INDEX paper_search_title_trgm_idx ON paper USING gin (lower(title) gin_trgm_ops);
