// The left column of a paper card: its rank and its votes (trending lists and digests). With `vote`,
// the votes are an upvote button; without (a frozen digest), just the count.
import { VoteButton } from "@/components/vote-button";

type Vote = { paperId: string; title: string; titleId?: string };

export function CardSide({ rank, votes, vote }: { rank: number; votes: number; vote?: Vote }) {
  return (
    <div className="card-side">
      <span className="rank">
        <span className="sr-only">Rank </span>
        <span aria-hidden="true">#</span>
        {rank}
      </span>
      {vote ? (
        <VoteButton paperId={vote.paperId} title={vote.title} titleId={vote.titleId} votes={votes} />
      ) : (
        <span className="votes">
          <span className="votes-count">{votes.toLocaleString("en-US")}</span>
          <span className="votes-label">{votes === 1 ? "vote" : "votes"}</span>
        </span>
      )}
    </div>
  );
}
