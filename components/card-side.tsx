// The left column of a paper card: its rank and its votes (trending lists and digests).
export function CardSide({ rank, votes }: { rank: number; votes: number }) {
  return (
    <div className="card-side">
      <span className="rank">
        <span className="sr-only">Rank </span>
        <span aria-hidden="true">#</span>
        {rank}
      </span>
      <span className="votes">
        <span className="votes-count">{votes.toLocaleString("en-US")}</span>
        <span className="votes-label">{votes === 1 ? "vote" : "votes"}</span>
      </span>
    </div>
  );
}
