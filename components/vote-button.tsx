"use client";
// The upvote button: flips at once (optimistic), then takes the server's count; a refused or failed
// vote flips back and says why. Only the answer to the latest click is applied. Signed out (and no
// anonymous voting), a click leads to the sign-in page, which casts the vote once the mailed link
// is opened. Whether this browser has voted comes from <MyVotes> (the page itself is the same for all).
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { useMyVotes } from "@/components/my-votes";

/** titleId: the element holding the paper's title, which the button then points at instead of repeating it. */
type Props = { paperId: string; title: string; titleId?: string; votes: number; size?: "card" | "page" };

function signInHref(paperId: string): string {
  const next = `${window.location.pathname}${window.location.search}`;
  return `/signin?${new URLSearchParams({ vote: paperId, next })}`;
}

export function VoteButton({ paperId, title, titleId, votes: pageVotes, size = "card" }: Props) {
  const mine = useMyVotes();
  // The page's count and this browser's vote until a click; after one, the server's answer.
  const [clicked, setClicked] = useState<{ votes: number; voted: boolean } | null>(null);
  const state = clicked ?? { votes: pageVotes, voted: mine.voted.has(paperId) };
  const setState = setClicked;
  const [error, setError] = useState<string | null>(null);
  const latest = useRef(0);
  const router = useRouter();
  // Unknown yet: try the vote, a 401 leads to the sign-in page all the same.
  const canVote = !mine.known || mine.canVote;

  async function toggle() {
    if (!canVote) {
      router.push(signInHref(paperId));
      return;
    }
    const before = state;
    const next = { votes: Math.max(0, before.votes + (before.voted ? -1 : 1)), voted: !before.voted };
    const request = ++latest.current;
    setState(next);
    setError(null);
    try {
      const response = await fetch("/api/votes", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ paperId, voted: next.voted }),
        // A vote clicked just before leaving the page still reaches the server.
        keepalive: true,
      });
      const body = (await response.json().catch(() => ({}))) as { votes?: number; voted?: boolean; error?: { code?: string; message?: string } };
      if (request !== latest.current) return;
      if (response.ok && typeof body.votes === "number" && typeof body.voted === "boolean") setState({ votes: body.votes, voted: body.voted });
      else if (response.status === 401) {
        // The session ended since the page was rendered: sign in again, the vote is cast after.
        setState(before);
        router.push(signInHref(paperId));
      } else {
        setState(before);
        setError(body.error?.message ?? "Your vote was not counted; try again.");
      }
    } catch {
      if (request !== latest.current) return;
      setState(before);
      setError("Your vote was not counted: the site did not answer.");
    }
  }

  return (
    <div className={`vote vote-${size}`}>
      <button
        type="button"
        className="vote-button"
        aria-pressed={state.voted}
        aria-describedby={titleId}
        title={!canVote ? "Sign in to upvote" : state.voted ? "Remove your upvote" : "Upvote"}
        onClick={toggle}
      >
        {/* The name is read from the content, so it includes the visible count (WCAG label in name). */}
        <span className="sr-only">{titleId ? `${state.voted ? "Remove your upvote" : "Upvote"}, ` : `${state.voted ? "Remove your upvote from" : "Upvote"} “${title}”, `}</span>
        <span className="vote-arrow" aria-hidden="true">
          ▲
        </span>
        <span className="votes-count">{state.votes.toLocaleString("en-US")}</span>
        <span className="votes-label">{state.votes === 1 ? "vote" : "votes"}</span>
      </button>
      <span className="vote-error" role="status">
        {error}
      </span>
    </div>
  );
}
