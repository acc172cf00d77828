// One search result: highlighted title and abstract excerpt, authors, categories, votes and code.
import Link from "next/link";
import { HighlightedText } from "@/components/highlighted-text";
import { PaperLinks } from "@/components/paper-links";
import { formatShortDay, shortAuthors } from "@/lib/papers/format";
import { paperPath } from "@/lib/papers/identity";
import type { PaperHit } from "@/lib/search/types";

export function SearchHit({ hit }: { hit: PaperHit }) {
  const authors = shortAuthors(hit.authors);
  return (
    <article className="card search-hit">
      <div className="card-body">
        <h2 className="card-title">
          <Link href={paperPath(hit.id)}>
            <HighlightedText segments={hit.highlights.title} />
          </Link>
        </h2>
        {authors.names.length > 0 && (
          <p className="card-authors">
            {authors.names.join(", ")}
            {authors.more > 0 && <span className="more-authors"> +{authors.more}</span>}
          </p>
        )}
        <p className="card-abstract search-excerpt">
          <HighlightedText segments={hit.highlights.abstract} />
        </p>
        <p className="card-meta">
          <span>
            {hit.votes.toLocaleString("en-US")} {hit.votes === 1 ? "vote" : "votes"}
          </span>
          {hit.listedAt && <span>Listed {formatShortDay(hit.listedAt)}</span>}
          {hit.categories.length > 0 && <span>{hit.categories.slice(0, 3).join(" · ")}</span>}
          <PaperLinks paper={hit} />
        </p>
      </div>
    </article>
  );
}
