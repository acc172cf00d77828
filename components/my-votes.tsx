"use client";
// This browser's votes on the papers of a page. Pages are the same for every visitor (and cached so),
// so who has voted for what is asked by the browser: one GET /api/votes for the page's papers, after
// it loads. Until the answer arrives every button shows the paper's count, unpressed.
import { createContext, useContext, useEffect, useState } from "react";

export type MyVotesState = {
  /** Whether the answer has arrived. */
  known: boolean;
  /** Whether this browser can vote without signing in first (false until known). */
  canVote: boolean;
  voted: ReadonlySet<string>;
};

const UNKNOWN: MyVotesState = { known: false, canVote: false, voted: new Set() };
const MyVotesContext = createContext<MyVotesState>(UNKNOWN);

export function useMyVotes(): MyVotesState {
  return useContext(MyVotesContext);
}

export function MyVotes({ paperIds, children }: { paperIds: string[]; children: React.ReactNode }) {
  const [state, setState] = useState<MyVotesState>(UNKNOWN);
  const ids = paperIds.join(",");
  useEffect(() => {
    let live = true;
    fetch(`/api/votes?${new URLSearchParams({ ids })}`, { credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : null))
      .then((body: { voted?: unknown; canVote?: unknown } | null) => {
        if (!live || !body || !Array.isArray(body.voted)) return;
        setState({ known: true, canVote: body.canVote === true, voted: new Set(body.voted.filter((id): id is string => typeof id === "string")) });
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [ids]);
  return <MyVotesContext.Provider value={state}>{children}</MyVotesContext.Provider>;
}
