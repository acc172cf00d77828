-- Personal digests: each subscriber's topics, follows, saved searches and cadence; personal editions
-- of a day's digest, frozen with it; and which papers each mail carried, so none is sent twice.

-- AlterTable
ALTER TABLE "subscriber" ADD COLUMN "categories" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN "cross_lists" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN "keywords" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN "authors" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN "searches" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN "cadence" TEXT NOT NULL DEFAULT 'daily',
ADD COLUMN "weekly_day" SMALLINT NOT NULL DEFAULT 1,
ADD COLUMN "digest_size" SMALLINT,
ADD COLUMN "send_empty" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN "feed_nonce" TEXT,
ADD COLUMN "preferences_updated_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "digest_edition" (
    "id" BIGSERIAL NOT NULL,
    "digest_date" DATE NOT NULL,
    "content_key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "window_from" DATE NOT NULL,
    "content" JSONB NOT NULL,

    CONSTRAINT "digest_edition_pkey" PRIMARY KEY ("id")
);

-- AlterTable
ALTER TABLE "delivery" ADD COLUMN "edition_id" BIGINT,
ADD COLUMN "paper_ids" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateIndex
CREATE UNIQUE INDEX "digest_edition_key" ON "digest_edition"("digest_date", "content_key");

-- CreateIndex
CREATE INDEX "delivery_edition_idx" ON "delivery"("edition_id");

-- AddForeignKey
ALTER TABLE "digest_edition" ADD CONSTRAINT "digest_edition_digest_date_fkey" FOREIGN KEY ("digest_date") REFERENCES "digest"("date") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "delivery" ADD CONSTRAINT "delivery_edition_id_fkey" FOREIGN KEY ("edition_id") REFERENCES "digest_edition"("id") ON DELETE CASCADE ON UPDATE CASCADE;
