// Upvotes cast here: one row per (paper, voter) and the paper's local_upvotes changed in the same
// statement, so trending sees the vote at once and the search outbox trigger queues the paper; the
// page caches hear of it (lib/cache/notify.ts).
// A voter is a verified person, or, where anonymous voting is on, a signed visitor cookie. Every
// statement about votes is here.
import { announceChangeSoon } from "@/lib/cache/notify";
import { voteTags } from "@/lib/cache/tags";
import { db } from "@/lib/db/client";

export type Voter = { personId: bigint } | { visitorId: string };

export type VoteResult = { status: "ok"; paperId: string; votes: number; voted: boolean } | { status: "not-found" };

function voterColumn(voter: Voter): { column: "person_id" | "visitor_id"; value: string } {
  return "personId" in voter ? { column: "person_id", value: voter.personId.toString() } : { column: "visitor_id", value: voter.visitorId };
}

/**
 * Sets this voter's vote on a paper (idempotent: voting twice counts once, removing a vote that is
 * not there changes nothing) and returns the paper's votes afterwards.
 */
export async function setVote(paperId: string, voter: Voter, voted: boolean): Promise<VoteResult> {
  const { column, value } = voterColumn(voter);
  // The CTEs run on one snapshot: `before` is the count before this statement, `changed` the new one
  // when the vote row was inserted or deleted.
  const change = voted
    ? `INSERT INTO vote (paper_id, ${column}) SELECT id, $2 FROM paper WHERE id = $1 ON CONFLICT DO NOTHING RETURNING paper_id`
    : `DELETE FROM vote WHERE paper_id = $1 AND ${column} = $2 RETURNING paper_id`;
  const { rows } = await db.pool.query<{ before: number | null; changed: number | null }>(
    `WITH change AS (${change}),
     counted AS (
       UPDATE paper SET local_upvotes = greatest(0, local_upvotes + ${voted ? 1 : -1})
       WHERE id IN (SELECT paper_id FROM change)
       RETURNING source_upvotes + local_upvotes AS votes
     )
     SELECT (SELECT source_upvotes + local_upvotes FROM paper WHERE id = $1) AS before, (SELECT votes FROM counted) AS changed`,
    [paperId, value],
  );
  const row = rows[0];
  if (!row || row.before === null) return { status: "not-found" };
  // Every web process's cached pages of this paper and the rankings show the new count soon after.
  if (row.changed !== null) announceChangeSoon(voteTags(paperId));
  return { status: "ok", paperId, votes: row.changed ?? row.before, voted };
}

/** Which of these papers the voter has voted for. */
export async function votedPapers(voter: Voter | null, paperIds: string[]): Promise<Set<string>> {
  if (!voter || paperIds.length === 0) return new Set();
  const { column, value } = voterColumn(voter);
  const { rows } = await db.pool.query<{ paperId: string }>(
    `SELECT paper_id AS "paperId" FROM vote WHERE ${column} = $1 AND paper_id = ANY($2::text[])`,
    [value, paperIds],
  );
  return new Set(rows.map((row) => row.paperId));
}
