// One trending paper in a list: rank, votes, title, authors, abstract preview, links and why it ranks
// there. Rendered inside the client list (components/paper-list.tsx), from the compact CardPaper.
import Link from "next/link";
import { formatShortDay } from "@/lib/papers/format";
import { paperPath } from "@/lib/papers/identity";
import type { CardPaper } from "@/lib/papers/types";
import { CategoryChips } from "@/components/category-chips";
import { CardSide } from "@/components/card-side";
import { MathParts } from "@/components/math-parts";
import { PaperLinks } from "@/components/paper-links";

export function PaperCard({ paper }: { paper: CardPaper }) {
  const titleId = `paper-${paper.rank}-title`;
  return (
    <article className="card" aria-labelledby={titleId}>
      <CardSide rank={paper.rank} votes={paper.votes} vote={{ paperId: paper.id, title: paper.title, titleId }} />
      <div className="card-body">
        <h3 className="card-title" id={titleId}>
          <Link href={paperPath(paper.id)}>{paper.titleMath ? <MathParts parts={paper.titleMath} /> : paper.title}</Link>
        </h3>
        {paper.authors.length > 0 && (
          <p className="card-authors">
            {paper.authors.join(", ")}
            {paper.moreAuthors > 0 && (
              <>
                {" "}
                <span className="more-authors">
                  +{paper.moreAuthors}
                  <span className="sr-only"> more authors</span>
                </span>
              </>
            )}
          </p>
        )}
        {paper.abstractPreview && <p className="card-abstract">{paper.abstractMath ? <MathParts parts={paper.abstractMath} /> : paper.abstractPreview}</p>}
        <CategoryChips categories={paper.categories} />
        <div className="card-meta">
          {paper.listedAt && (
            <span>
              Listed <time dateTime={paper.listedAt}>{formatShortDay(paper.listedAt)}</time>
            </span>
          )}
          <PaperLinks paper={paper} titleId={titleId} />
        </div>
        <details className="why">
          <summary>Why #{paper.rank}?</summary>
          <p>{paper.scoreReason}</p>
        </details>
      </div>
    </article>
  );
}
