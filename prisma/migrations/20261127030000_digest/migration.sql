-- Subscribers (double opt-in), frozen daily digests, one delivery row per (digest, subscriber), and the
-- rate limiter's counters. Generated from schema.prisma with npm run db:sql.

-- CreateTable
CREATE TABLE "subscriber" (
    "id" BIGSERIAL NOT NULL,
    "email" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "confirm_nonce" TEXT,
    "subscribed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "subscribed_ip" TEXT,
    "confirmed_at" TIMESTAMPTZ(3),
    "confirmed_ip" TEXT,
    "unsubscribed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "subscriber_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "digest" (
    "date" DATE NOT NULL,
    "papers" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMPTZ(3),

    CONSTRAINT "digest_pkey" PRIMARY KEY ("date")
);

-- CreateTable
CREATE TABLE "delivery" (
    "id" BIGSERIAL NOT NULL,
    "digest_date" DATE NOT NULL,
    "subscriber_id" BIGINT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "claimed_by" INTEGER,
    "claimed_at" TIMESTAMPTZ(3),
    "sent_at" TIMESTAMPTZ(3),
    "message_id" TEXT,
    "error" TEXT,

    CONSTRAINT "delivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rate_limit" (
    "key" VARCHAR(255) NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT,

    CONSTRAINT "rate_limit_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "subscriber_email_key" ON "subscriber"("email");

-- CreateIndex
CREATE INDEX "delivery_queue_idx" ON "delivery"("digest_date", "status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "delivery_subscriber_idx" ON "delivery"("subscriber_id");

-- CreateIndex
CREATE UNIQUE INDEX "delivery_digest_subscriber_key" ON "delivery"("digest_date", "subscriber_id");

-- AddForeignKey
ALTER TABLE "delivery" ADD CONSTRAINT "delivery_digest_date_fkey" FOREIGN KEY ("digest_date") REFERENCES "digest"("date") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "delivery" ADD CONSTRAINT "delivery_subscriber_id_fkey" FOREIGN KEY ("subscriber_id") REFERENCES "subscriber"("id") ON DELETE CASCADE ON UPDATE CASCADE;
