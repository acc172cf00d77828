import Link from "next/link";
import { MyVotes } from "@/components/my-votes";
import { PaperList } from "@/components/paper-list";
import { SubscribeForm } from "@/components/subscribe-form";
import { env } from "@/lib/env";
import { formatWindow, pluralize } from "@/lib/papers/format";
import { PERIODS, type Period } from "@/lib/papers/period";
import { toCardPaper } from "@/lib/papers/present";
import { InvalidCursorError, listTrending } from "@/lib/papers/trending";
import { readTrendingParams, trendingHref, type SearchParams, type TrendingParams } from "@/lib/papers/trending-url";
import type { TrendingPage } from "@/lib/papers/types";

// Rendered per request by Next; the web server's page cache keeps the result until a vote or an
// ingest changes it (lib/cache/routes.ts). Reads no cookie: this browser's votes come from <MyVotes>.
export const dynamic = "force-dynamic";

const STEP_NOUN: Record<Period, string> = { day: "day", week: "week", month: "month" };

async function loadTrending(params: TrendingParams): Promise<TrendingPage> {
  const options = { period: params.period, date: params.date, limit: env.TRENDING_PAGE_SIZE };
  try {
    return await listTrending({ ...options, cursor: params.cursor });
  } catch (error) {
    // A cursor we did not issue (hand-edited, or from an older version) shows the first page.
    if (error instanceof InvalidCursorError) return listTrending(options);
    throw error;
  }
}

export default async function HomePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = readTrendingParams(await searchParams);
  const page = await loadTrending(params);
  // Tabs keep a date the reader chose; without one each window ends at the latest day.
  const tabDate = params.date ? page.date : null;
  const firstRank = page.items[0]?.rank;
  const lastRank = page.items.at(-1)?.rank;

  return (
    <div className="trending">
      <div className="trending-top">
        <h1 className="page-title">Trending papers</h1>
        <nav className="tabs" aria-label="Trending window">
          {(Object.keys(PERIODS) as Period[]).map((period) => (
            <Link
              key={period}
              className="tab"
              href={trendingHref({ period, date: tabDate })}
              aria-current={period === page.period ? "page" : undefined}
            >
              {PERIODS[period].label}
            </Link>
          ))}
        </nav>
      </div>

      <section className="subscribe-banner" aria-labelledby="subscribe-banner-title">
        <h2 id="subscribe-banner-title" className="subscribe-banner-title">
          Get the top trending papers in your inbox once a day
        </h2>
        <SubscribeForm compact />
      </section>

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
                <Link className="date-step" rel="prev" href={trendingHref({ period: page.period, date: page.previousDate })}>
                  <span aria-hidden="true">← </span>Previous {STEP_NOUN[page.period]}
                </Link>
              )}
              {page.nextDate && (
                <Link className="date-step" rel="next" href={trendingHref({ period: page.period, date: page.nextDate })}>
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
            <EmptyWindow firstPageHref={page.total > 0 ? trendingHref({ period: page.period, date: page.date }) : null} />
          )}

          {page.nextCursor && (
            <p className="more">
              <Link className="more-link" href={trendingHref({ period: page.period, date: page.date, cursor: page.nextCursor })}>
                More papers
              </Link>
            </p>
          )}
        </>
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

function EmptyWindow({ firstPageHref }: { firstPageHref: string | null }) {
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
      <h2>No papers were listed in this window</h2>
      <p>
        Try another date, or <Link href="/">see the latest trending papers</Link>.
      </p>
    </div>
  );
}
