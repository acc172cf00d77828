import type { Metadata } from "next";
import Link from "next/link";
import { notFound, permanentRedirect } from "next/navigation";
import { TrendingView, type TrendingHref } from "@/components/trending-view";
import { feedPath, feedTitle } from "@/lib/feeds/feed";
import { canonicalCategory, categoryName, topicPath } from "@/lib/papers/categories";
import { safeDecode } from "@/lib/papers/identity";
import { readTrendingParams, trendingHref, type SearchParams } from "@/lib/papers/trending-url";

// Like the home page: rendered per request, kept by the page cache until a vote or an ingest
// (lib/cache/routes.ts), and reads no cookie (this browser's votes come from <MyVotes>).
export const dynamic = "force-dynamic";

type Props = { params: Promise<{ category: string }>; searchParams: Promise<SearchParams> };

/** The home page's query string (period, date, cursor) under /topics/<id>. */
function topicHref(id: string): TrendingHref {
  return (params) => trendingHref(params, topicPath(id));
}

async function categoryFromParams(params: Props["params"]): Promise<{ asked: string; id: string | null }> {
  const asked = safeDecode((await params).category);
  return { asked, id: canonicalCategory(asked) };
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { asked, id } = await categoryFromParams(params);
  if (!id || id !== asked) return { title: "Topic not found" };
  const name = categoryName(id) ?? id;
  return {
    title: `${id} · ${name}`,
    description: `The trending ${name} (${id}) papers of the day, week and month.`,
    // Next replaces the layout's alternates rather than merging them: this topic's feeds instead of the site's.
    alternates: {
      types: {
        "application/rss+xml": [{ url: feedPath("feed.xml", "day", id), title: `${feedTitle("day", id)} (RSS)` }],
        "application/feed+json": [{ url: feedPath("feed.json", "day", id), title: `${feedTitle("day", id)} (JSON Feed)` }],
      },
    },
  };
}

export default async function TopicPage({ params, searchParams }: Props) {
  const { asked, id } = await categoryFromParams(params);
  if (!id) notFound();
  const trendingParams = readTrendingParams(await searchParams);
  // One URL per topic: another case (cs.ro) or an alias (cs.SY for eess.SY) moves to arXiv's id, keeping the window.
  if (id !== asked) permanentRedirect(topicHref(id)(trendingParams));
  const name = categoryName(id) ?? id;
  const feed = feedPath("feed.xml", trendingParams.period, id);

  return (
    <TrendingView
      params={trendingParams}
      category={id}
      hrefFor={topicHref(id)}
      title={
        <>
          <span className="topic-id">{id}</span> · {name}
        </>
      }
    >
      <p className="topic-links">
        <span>Ranked among the papers listed in {id}, cross-lists included.</span>
        <a className="topic-feed" href={feed} type="application/rss+xml">
          RSS feed
        </a>
        <Link href="/topics">All topics</Link>
      </p>
    </TrendingView>
  );
}
