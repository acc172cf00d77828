-- Upvotes cast on this site: one row per (paper, anonymous visitor). paper.local_upvotes holds the
-- count, changed in the same statement as the row, so trending and the search outbox see it at once.

-- CreateTable
CREATE TABLE "vote" (
    "paper_id" TEXT NOT NULL,
    "visitor_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "vote_pkey" PRIMARY KEY ("paper_id","visitor_id")
);

-- CreateIndex
CREATE INDEX "vote_visitor_idx" ON "vote"("visitor_id");

-- AddForeignKey
ALTER TABLE "vote" ADD CONSTRAINT "vote_paper_id_fkey" FOREIGN KEY ("paper_id") REFERENCES "paper"("id") ON DELETE CASCADE ON UPDATE CASCADE;
