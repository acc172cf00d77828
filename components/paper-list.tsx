"use client";
// The ranked papers of a trending page. A client component on purpose: React's payload then carries
// each paper's few fields (CardPaper) instead of a second copy of every card's markup, which made the
// page twice as heavy. The HTML is still rendered on the server, so the list works without JavaScript.
import { PaperCard } from "@/components/paper-card";
import type { CardPaper } from "@/lib/papers/types";

export function PaperList({ papers }: { papers: CardPaper[] }) {
  return (
    <ol className="paper-list">
      {papers.map((paper) => (
        <li key={paper.id}>
          <PaperCard paper={paper} />
        </li>
      ))}
    </ol>
  );
}
