// One trending paper in a list: rank, votes, title, authors, abstract preview, links and why it ranks there.
import Link from "next/link";
import { formatShortDay, shortAuthors } from "@/lib/papers/format";
import { paperPath } from "@/lib/papers/present";
import type { TrendingItem } from "@/lib/papers/types";
import { CategoryChips } from "@/components/category-chips";
import { CardSide } from "@/components/card-side";
import { PaperLinks } from "@/components/paper-links";

export function PaperCard({ paper }: { paper: TrendingItem }) {
  const titleId = `paper-${paper.rank}-title`;
  const authors = shortAuthors(paper.authors);
  return (
    <article className="card" aria-labelledby={titleId}>
      <CardSide rank={paper.rank} votes={paper.votes} vote={{ paperId: paper.id, title: paper.title }} />
      <div className="card-body">
        <h3 className="card-title" id={titleId}>
          <Link href={paperPath(paper.id)}>{paper.title}</Link>
        </h3>
        {authors.names.length > 0 && (
          <p className="card-authors">
            {authors.names.join(", ")}
            {authors.more > 0 && (
              <>
                {" "}
                <span className="more-authors">
                  +{authors.more}
                  <span className="sr-only"> more authors</span>
                </span>
              </>
            )}
          </p>
        )}
        {paper.abstract && <p className="card-abstract">{paper.abstract}</p>}
        <CategoryChips categories={paper.categories} />
        <div className="card-meta">
          {paper.listedAt && (
            <span>
              Listed <time dateTime={paper.listedAt}>{formatShortDay(paper.listedAt)}</time>
            </span>
          )}
          <PaperLinks paper={paper} />
        </div>
        <details className="why">
          <summary>Why #{paper.rank}?</summary>
          <p>{paper.scoreReason}</p>
        </details>
      </div>
    </article>
  );
}
