-- Senders claim the next pending delivery of a digest in id order. Without an index in that order
-- each claim scanned and sorted every pending row (or skipped every sent one), so a send did work
-- growing with the square of the subscribers. This partial index keeps a claim a short index read.
-- (SQL only: Prisma cannot express partial indexes.)
CREATE INDEX delivery_pending_idx ON delivery (digest_date, id) WHERE status = 'pending';
