-- Verified people (an email address that opened a link mailed to it), their server-side sessions,
-- single-use sign-in links, and votes that belong to a person. Votes cast anonymously before this
-- keep their rows and their place in paper.local_upvotes.

-- CreateTable
CREATE TABLE "person" (
    "id" BIGSERIAL NOT NULL,
    "email" TEXT NOT NULL,
    "mailbox_key" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "verified_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "person_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "session" (
    "id" BIGSERIAL NOT NULL,
    "token_hash" TEXT NOT NULL,
    "person_id" BIGINT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),
    "user_agent" TEXT,
    "ip" TEXT,

    CONSTRAINT "session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sign_in_link" (
    "id" BIGSERIAL NOT NULL,
    "email" TEXT NOT NULL,
    "nonce" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "vote_paper_id" TEXT,
    "next_path" TEXT,

    CONSTRAINT "sign_in_link_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "person_email_key" ON "person"("email");

-- CreateIndex: one person per mailbox, however its address is spelled (case, +tags, Gmail's dots).
CREATE UNIQUE INDEX "person_mailbox_key_key" ON "person"("mailbox_key");

-- CreateIndex
CREATE UNIQUE INDEX "session_token_hash_key" ON "session"("token_hash");

-- CreateIndex
CREATE INDEX "session_person_idx" ON "session"("person_id");

-- AddForeignKey
ALTER TABLE "session" ADD CONSTRAINT "session_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AlterTable: a subscriber who confirms becomes (or is) a person.
ALTER TABLE "subscriber" ADD COLUMN "person_id" BIGINT;

-- AddForeignKey
ALTER TABLE "subscriber" ADD CONSTRAINT "subscriber_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AlterTable: a vote is a person's or (anonymous voting) a visitor's; existing rows are visitors'.
ALTER TABLE "vote" DROP CONSTRAINT "vote_pkey";
ALTER TABLE "vote" ADD COLUMN "id" BIGSERIAL NOT NULL;
ALTER TABLE "vote" ADD CONSTRAINT "vote_pkey" PRIMARY KEY ("id");
ALTER TABLE "vote" ADD COLUMN "person_id" BIGINT;
ALTER TABLE "vote" ALTER COLUMN "visitor_id" DROP NOT NULL;
ALTER TABLE "vote" ADD CONSTRAINT "vote_one_voter" CHECK (("person_id" IS NULL) <> ("visitor_id" IS NULL));

-- CreateIndex
CREATE UNIQUE INDEX "vote_paper_person_key" ON "vote"("paper_id", "person_id");

-- CreateIndex
CREATE UNIQUE INDEX "vote_paper_visitor_key" ON "vote"("paper_id", "visitor_id");

-- CreateIndex
CREATE INDEX "vote_person_idx" ON "vote"("person_id");

-- AddForeignKey
ALTER TABLE "vote" ADD CONSTRAINT "vote_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "person"("id") ON DELETE CASCADE ON UPDATE CASCADE;
