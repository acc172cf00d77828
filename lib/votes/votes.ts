// Upvotes cast here: one row per (paper, visitor) and the paper's local_upvotes changed in the same
// statement, so trending sees the vote at once and the search outbox trigger queues the paper.
import { db } from "@/lib/db/client";

export type VoteResult = { status: "ok"; paperId: string; votes: number; voted: boolean } | { status: "not-found" };

/**
 * Sets this visitor's vote on a paper (idempotent: voting twice counts once, removing a vote that
 * is not there changes nothing) and returns the paper's votes afterwards.
 */
export async function setVote(paperId: string, visitorId: string, voted: boolean): Promise<VoteResult> {
  // The CTEs run on one snapshot: `before` is the count before this statement, `changed` the new one
  // when the vote row was inserted or deleted.
  const change = voted
    ? `INSERT INTO vote (paper_id, visitor_id) SELECT id, $2 FROM paper WHERE id = $1 ON CONFLICT DO NOTHING RETURNING paper_id`
    : `DELETE FROM vote WHERE paper_id = $1 AND visitor_id = $2 RETURNING paper_id`;
  const { rows } = await db.pool.query<{ before: number | null; changed: number | null }>(
    `WITH change AS (${change}),
     counted AS (
       UPDATE paper SET local_upvotes = greatest(0, local_upvotes + ${voted ? 1 : -1})
       WHERE id IN (SELECT paper_id FROM change)
       RETURNING source_upvotes + local_upvotes AS votes
     )
     SELECT (SELECT source_upvotes + local_upvotes FROM paper WHERE id = $1) AS before, (SELECT votes FROM counted) AS changed`,
    [paperId, visitorId],
  );
  const row = rows[0];
  if (!row || row.before === null) return { status: "not-found" };
  return { status: "ok", paperId, votes: row.changed ?? row.before, voted };
}

/** Which of these papers the visitor has voted for. */
export async function votedPapers(visitorId: string | null, paperIds: string[]): Promise<Set<string>> {
  if (!visitorId || paperIds.length === 0) return new Set();
  const { rows } = await db.pool.query<{ paper_id: string }>(`SELECT paper_id FROM vote WHERE visitor_id = $1 AND paper_id = ANY($2::text[])`, [visitorId, paperIds]);
  return new Set(rows.map((row) => row.paper_id));
}
