import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache, Suspense } from "react";
import "katex/dist/katex.min.css";
import { MathText } from "@/components/math-text";
import { getPaper } from "@/lib/papers/get-paper";
import { formatDay } from "@/lib/papers/format";
import { paperIdFromSegments, paperPath } from "@/lib/papers/identity";
import { sourceLabel } from "@/lib/papers/sources";
import type { PaperDetail } from "@/lib/papers/types";
import { CategoryChips } from "@/components/category-chips";
import { PaperLinks } from "@/components/paper-links";
import { SimilarPapers } from "@/components/similar-papers";
import { VoteButton } from "@/components/vote-button";
import { FEED_ALTERNATES } from "@/lib/feeds/feed";
import { MyVotes } from "@/components/my-votes";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string[] }> };

// generateMetadata and the page both need the paper: one query per request.
const loadPaper = cache(async (key: string): Promise<PaperDetail | null> => {
  const id = paperIdFromSegments(key.split("/"));
  return id ? getPaper(id) : null;
});

async function paperFromParams(params: Props["params"]): Promise<PaperDetail | null> {
  const { id } = await params;
  return loadPaper(id.join("/"));
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const paper = await paperFromParams(params);
  if (!paper) return { title: "Paper not found" };
  return {
    title: paper.title,
    description: paper.abstract.length > 300 ? `${paper.abstract.slice(0, 297)}…` : paper.abstract,
    // Next replaces the layout's alternates rather than merging them: keep the feed links.
    alternates: { canonical: paperPath(paper.id), types: FEED_ALTERNATES },
  };
}

export default async function PaperPage({ params }: Props) {
  const paper = await paperFromParams(params);
  if (!paper) notFound();

  const published = paper.publishedAt?.slice(0, 10);
  const facts: { term: string; value: React.ReactNode }[] = [];
  if (published) facts.push({ term: "Published", value: <time dateTime={published}>{formatDay(published)}</time> });
  if (paper.listedAt) facts.push({ term: "Listed", value: <time dateTime={paper.listedAt}>{formatDay(paper.listedAt)}</time> });
  facts.push({
    term: "Votes",
    value: (
      <>
        {paper.votes.toLocaleString("en-US")}
        {paper.localUpvotes > 0 && (
          <span className="muted">
            {" "}
            ({paper.sourceUpvotes.toLocaleString("en-US")} from the source, {paper.localUpvotes.toLocaleString("en-US")} here)
          </span>
        )}
      </>
    ),
  });

  return (
    <article className="paper">
      <header className="paper-header">
        <p className="paper-id">{paper.arxivUrl ? `arXiv:${paper.id}` : "Not on arXiv"}</p>
        <h1 className="paper-title">
          <MathText text={paper.title} />
        </h1>
        {paper.authors.length > 0 && <p className="paper-authors">{paper.authors.join(", ")}</p>}
        <CategoryChips categories={paper.categories} />
        <dl className="facts">
          {facts.map((fact) => (
            <div key={fact.term}>
              <dt>{fact.term}</dt>
              <dd>{fact.value}</dd>
            </div>
          ))}
        </dl>
        <div className="paper-links">
          <PaperVote paperId={paper.id} title={paper.title} votes={paper.votes} />
          <PaperLinks paper={paper} variant="page" />
        </div>
      </header>

      <section className="paper-section" aria-labelledby="abstract-heading">
        <h2 id="abstract-heading">Abstract</h2>
        {paper.abstract ? (
          <p className="abstract">
            <MathText text={paper.abstract} />
          </p>
        ) : (
          <p className="muted">No abstract is known for this paper.</p>
        )}
      </section>

      <Details paper={paper} />

      <section className="paper-section" aria-labelledby="sources-heading">
        <h2 id="sources-heading">Where this record came from</h2>
        <ul className="sources">
          {paper.sources.map((source) => (
            <li key={`${source.source}:${source.externalId}`}>
              <strong>{sourceLabel(source.source)}</strong>{" "}
              <span className="muted">
                ({source.externalId}), first seen {formatDay(source.firstSeenAt.slice(0, 10))}
                {source.lastSeenAt.slice(0, 10) !== source.firstSeenAt.slice(0, 10) &&
                  `, last seen ${formatDay(source.lastSeenAt.slice(0, 10))}`}
              </span>
            </li>
          ))}
        </ul>
      </section>

      {/* Last on the page and without a placeholder: the rest streams first and nothing moves when it arrives. */}
      <Suspense fallback={null}>
        <SimilarPapers paper={paper} />
      </Suspense>
    </article>
  );
}

function Details({ paper }: { paper: PaperDetail }) {
  const rows: { term: string; value: React.ReactNode }[] = [];
  if (paper.comment) rows.push({ term: "Comment", value: <MathText text={paper.comment} /> });
  if (paper.journalRef) rows.push({ term: "Journal reference", value: paper.journalRef });
  if (paper.doi) {
    rows.push({ term: "DOI", value: <a href={`https://doi.org/${paper.doi.split("/").map(encodeURIComponent).join("/")}`}>{paper.doi}</a> });
  }
  if (paper.license) {
    const isUrl = /^https?:\/\//.test(paper.license) && URL.canParse(paper.license);
    rows.push({ term: "License", value: isUrl ? <a href={paper.license}>{paper.license}</a> : paper.license });
  }
  if (paper.keywords.length > 0) rows.push({ term: "Keywords", value: paper.keywords.join(", ") });
  if (rows.length === 0) return null;
  return (
    <section className="paper-section" aria-labelledby="details-heading">
      <h2 id="details-heading">Details</h2>
      <dl className="details">
        {rows.map((row) => (
          <div key={row.term}>
            <dt>{row.term}</dt>
            <dd>{row.value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** The page's upvote button; this reader's vote is asked for by the browser. */
function PaperVote({ paperId, title, votes }: { paperId: string; title: string; votes: number }) {
  return (
    <MyVotes paperIds={[paperId]}>
      <VoteButton paperId={paperId} title={title} votes={votes} size="page" />
    </MyVotes>
  );
}
