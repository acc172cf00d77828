// One search result: highlighted title and abstract excerpt, authors, categories, votes and code.
import Link from "next/link";
import { HighlightedText } from "@/components/highlighted-text";
import { PaperLinks } from "@/components/paper-links";
import { formatShortDay } from "@/lib/papers/format";
import { paperPath } from "@/lib/papers/identity";
import type { SearchCard } from "@/lib/search/types";

export function SearchHit({ hit, position }: { hit: SearchCard; position: number }) {
  const titleId = `hit-${position}-title`;
  return (
    <article className="card search-hit" aria-labelledby={titleId}>
      <div className="card-body">
        <h2 className="card-title" id={titleId}>
          <Link href={paperPath(hit.id)}>
            <HighlightedText runs={hit.title} math={hit.titleMath} />
          </Link>
        </h2>
        {hit.authors.length > 0 && (
          <p className="card-authors">
            {hit.authors.join(", ")}
            {hit.moreAuthors > 0 && <span className="more-authors"> +{hit.moreAuthors}</span>}
          </p>
        )}
        <p className="card-abstract search-excerpt">
          <HighlightedText runs={hit.excerpt} math={hit.excerptMath} />
        </p>
        <p className="card-meta">
          <span>
            {hit.votes.toLocaleString("en-US")} {hit.votes === 1 ? "vote" : "votes"}
          </span>
          {hit.listedAt && <span>Listed {formatShortDay(hit.listedAt)}</span>}
          {hit.categories.length > 0 && <span>{hit.categories.join(" · ")}</span>}
          <PaperLinks paper={hit} titleId={titleId} />
        </p>
      </div>
    </article>
  );
}
