-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "paper" (
    "id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "abstract" TEXT NOT NULL DEFAULT '',
    "authors" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "categories" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "published_at" TIMESTAMPTZ(3),
    "source_updated_at" TIMESTAMPTZ(3),
    "listed_at" DATE,
    "listed_rank" SMALLINT NOT NULL DEFAULT 0,
    "comment" TEXT,
    "journal_ref" TEXT,
    "doi" TEXT,
    "license" TEXT,
    "github_repo" TEXT,
    "github_stars" INTEGER,
    "project_page" TEXT,
    "keywords" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "source_upvotes" INTEGER NOT NULL DEFAULT 0,
    "local_upvotes" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "paper_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "paper_source" (
    "paper_id" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "external_id" TEXT NOT NULL,
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "paper_source_pkey" PRIMARY KEY ("paper_id","source")
);

-- CreateTable
CREATE TABLE "ingest_run" (
    "id" BIGSERIAL NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),
    "inputs" TEXT[],
    "status" TEXT NOT NULL DEFAULT 'running',
    "read" INTEGER NOT NULL DEFAULT 0,
    "inserted" INTEGER NOT NULL DEFAULT 0,
    "updated" INTEGER NOT NULL DEFAULT 0,
    "unchanged" INTEGER NOT NULL DEFAULT 0,
    "rejected" INTEGER NOT NULL DEFAULT 0,
    "report" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "ingest_run_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "paper_listed_at_idx" ON "paper"("listed_at" DESC);

-- AddForeignKey
ALTER TABLE "paper_source" ADD CONSTRAINT "paper_source_paper_id_fkey" FOREIGN KEY ("paper_id") REFERENCES "paper"("id") ON DELETE CASCADE ON UPDATE CASCADE;

