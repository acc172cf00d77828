-- The SMTP pause every digest sender shares, so an outage of the relay costs time, not deliveries:
-- while `until` is ahead no lane of any process claims a delivery, a connection-level failure after
-- a pause ended doubles the next pause, and a sent mail clears it. One row (id 1), written by upsert.

-- CreateTable
CREATE TABLE "mail_backoff" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "until" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "mail_backoff_pkey" PRIMARY KEY ("id")
);
