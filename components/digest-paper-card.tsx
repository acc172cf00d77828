// One paper of a sent digest, as it was when the digest was frozen (the card styles of trending).
import Link from "next/link";
import { CategoryChips } from "@/components/category-chips";
import { shortAuthors } from "@/lib/papers/format";
import { paperPath } from "@/lib/papers/identity";
import type { RankedPaper } from "@/lib/papers/types";
import { CardSide } from "@/components/card-side";
import { PaperLinks } from "@/components/paper-links";

export function DigestPaperCard({ paper }: { paper: RankedPaper }) {
  const titleId = `digest-paper-${paper.rank}-title`;
  const authors = shortAuthors(paper.authors);
  return (
    <article className="card" aria-labelledby={titleId}>
      <CardSide rank={paper.rank} votes={paper.votes} />
      <div className="card-body">
        <h2 className="card-title" id={titleId}>
          <Link href={paperPath(paper.id)}>{paper.title}</Link>
        </h2>
        {authors.names.length > 0 && (
          <p className="card-authors">
            {authors.names.join(", ")}
            {authors.more > 0 && <span className="more-authors"> +{authors.more} more</span>}
          </p>
        )}
        {paper.abstract && <p className="card-abstract">{paper.abstract}</p>}
        <CategoryChips categories={paper.categories} />
        <div className="card-meta">
          <PaperLinks paper={paper} titleId={titleId} />
        </div>
      </div>
    </article>
  );
}
