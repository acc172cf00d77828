// "Similar papers" under a paper: rendered inside <Suspense>, so the page streams first; absent when search is degraded.
import Link from "next/link";
import { formatShortDay } from "@/lib/papers/format";
import { paperPath } from "@/lib/papers/identity";
import { similarPapers, type SimilarSource } from "@/lib/search/similar";

const SHOWN = 5;

export async function SimilarPapers({ paper }: { paper: SimilarSource }) {
  const papers = await similarPapers(paper, SHOWN);
  if (!papers || papers.length === 0) return null;
  return (
    <section className="paper-section" aria-labelledby="similar-heading">
      <h2 id="similar-heading">Similar papers</h2>
      <ol className="similar-list">
        {papers.map((similar) => (
          <li key={similar.id}>
            <Link className="similar-title" href={paperPath(similar.id)}>
              {similar.title}
            </Link>
            <p className="similar-meta">
              {similar.authors.names.length > 0 && (
                <span>
                  {similar.authors.names.join(", ")}
                  {similar.authors.more > 0 && (
                    <span className="more-authors">
                      {" "}
                      +{similar.authors.more}
                      <span className="sr-only"> more authors</span>
                    </span>
                  )}
                </span>
              )}
              {similar.listedAt && (
                <span>
                  Listed <time dateTime={similar.listedAt}>{formatShortDay(similar.listedAt)}</time>
                </span>
              )}
              <span>
                {similar.votes.toLocaleString("en-US")} {similar.votes === 1 ? "vote" : "votes"}
              </span>
            </p>
          </li>
        ))}
      </ol>
    </section>
  );
}
