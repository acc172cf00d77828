// A trending list as the home page and the topic pages show it: the Day / Week / Month tabs, the
// window with its date steps, the ranked cards and "More papers". The page passes how its own links
// are written (hrefFor), so the view works under any path; `children` go between the tabs and the list.
import Link from "next/link";
import { MyVotes } from "@/components/my-votes";
import { PaperList } from "@/components/paper-list";
import { env } from "@/lib/env";
import { formatWindow, pluralize } from "@/lib/papers/format";
import { PERIODS, type Period } from "@/lib/papers/period";
import { toCardPaper } from "@/lib/papers/present";
import { InvalidCursorError, listTrending } from "@/lib/papers/trending";
import type { TrendingParams } from "@/lib/papers/trending-url";
import type { TrendingPage } from "@/lib/papers/types";

/** A link to one page of this list: a window (period, end date) and a cursor. */
export type TrendingHref = (params: { period: Period; date?: string | null; cursor?: string | null }) => string;

const STEP_NOUN: Record<Period, string> = { day: "day", week: "week", month: "month" };

async function loadTrending(params: TrendingParams, category: string | undefined): Promise<TrendingPage> {
  const options = { period: params.period, date: params.date, limit: env.TRENDING_PAGE_SIZE, category };
  try {
    return await listTrending({ ...options, cursor: params.cursor });
  } catch (error) {
    // A cursor we did not issue (hand-edited, or from an older version) shows the first page.
    if (error instanceof InvalidCursorError) return listTrending(options);
    throw error;
  }
}

type Props = {
  params: TrendingParams;
  /** Only papers in this arXiv category, as arXiv spells it. */
  category?: string;
  title: React.ReactNode;
  hrefFor: TrendingHref;
  children?: React.ReactNode;
};

export async function TrendingView({ params, category, title, hrefFor, children }: Props) {
  const page = await loadTrending(params, category);
  // Tabs keep a date the reader chose; without one each window ends at the latest day.
  const tabDate = params.date ? page.date : null;
  const firstRank = page.items[0]?.rank;
  const lastRank = page.items.at(-1)?.rank;

  return (
    <div className="trending">
      <div className="trending-top">
        <h1 className="page-title">{title}</h1>
        <nav className="tabs" aria-label="Trending window">
          {(Object.keys(PERIODS) as Period[]).map((period) => (
            <Link
              key={period}
              className="tab"
              href={hrefFor({ period, date: tabDate })}
              aria-current={period === page.period ? "page" : undefined}
            >
              {PERIODS[period].label}
            </Link>
          ))}
        </nav>
      </div>

      {children}

      {page.date && page.from ? (
        <>
          <div className="window">
            <div className="window-text">
              <h2 className="window-title">{formatWindow(page.from, page.date)}</h2>
              <p className="window-count">
                {pluralize(page.total, "paper")}
                {params.cursor && firstRank !== undefined && lastRank !== undefined && (
                  <> · showing {firstRank === lastRank ? `#${firstRank}` : `#${firstRank}–${lastRank}`}</>
                )}
              </p>
            </div>
            <nav className="date-nav" aria-label="Dates">
              {page.previousDate && (
                <Link className="date-step" rel="prev" href={hrefFor({ period: page.period, date: page.previousDate })}>
                  <span aria-hidden="true">← </span>Previous {STEP_NOUN[page.period]}
                </Link>
              )}
              {page.nextDate && (
                <Link className="date-step" rel="next" href={hrefFor({ period: page.period, date: page.nextDate })}>
                  Next {STEP_NOUN[page.period]}
                  <span aria-hidden="true"> →</span>
                </Link>
              )}
            </nav>
          </div>

          {page.items.length > 0 ? (
            <MyVotes paperIds={page.items.map((paper) => paper.id)}>
              <PaperList papers={page.items.map(toCardPaper)} />
            </MyVotes>
          ) : (
            <EmptyWindow
              firstPageHref={page.total > 0 ? hrefFor({ period: page.period, date: page.date }) : null}
              latestHref={hrefFor({ period: "day" })}
              category={category}
            />
          )}

          {page.nextCursor && (
            <p className="more">
              <Link className="more-link" href={hrefFor({ period: page.period, date: page.date, cursor: page.nextCursor })}>
                More papers
              </Link>
            </p>
          )}
        </>
      ) : category ? (
        <div className="empty">
          <h2>No {category} papers yet</h2>
          <p>
            None of the papers here is listed in {category}. See <Link href="/">the latest trending papers</Link> or{" "}
            <Link href="/topics">another topic</Link>.
          </p>
        </div>
      ) : (
        <div className="empty">
          <h2>No papers yet</h2>
          <p>
            The database is empty. Load papers with <code>npm run ingest -- &lt;file or folder&gt;</code>, then reload
            this page.
          </p>
        </div>
      )}
    </div>
  );
}

function EmptyWindow({ firstPageHref, latestHref, category }: { firstPageHref: string | null; latestHref: string; category: string | undefined }) {
  if (firstPageHref) {
    return (
      <div className="empty">
        <h2>No more papers in this window</h2>
        <p>
          <Link href={firstPageHref}>Back to the first page</Link>
        </p>
      </div>
    );
  }
  return (
    <div className="empty">
      <h2>No {category ? `${category} ` : ""}papers were listed in this window</h2>
      <p>
        Try another date, or <Link href={latestHref}>see the latest trending papers{category ? ` in ${category}` : ""}</Link>.
      </p>
    </div>
  );
}
