-- Live sources: where each harvest stands, the Hugging Face days fetched, and the shared request gate
-- that spaces requests to a host across every process (arXiv asks for one request per 3 seconds).

-- CreateTable
CREATE TABLE "harvest_state" (
    "source" TEXT NOT NULL,
    "scope" TEXT NOT NULL DEFAULT '',
    "position" TEXT,
    "last_attempt_at" TIMESTAMPTZ(3),
    "last_success_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "last_records" INTEGER,

    CONSTRAINT "harvest_state_pkey" PRIMARY KEY ("source","scope")
);

-- CreateTable
CREATE TABLE "harvest_day" (
    "source" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "fetched_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "papers" INTEGER NOT NULL,

    CONSTRAINT "harvest_day_pkey" PRIMARY KEY ("source","day")
);

-- CreateTable
CREATE TABLE "fetch_gate" (
    "host" TEXT NOT NULL,
    "next_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "fetch_gate_pkey" PRIMARY KEY ("host")
);
