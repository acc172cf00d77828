import { SubscribeForm } from "@/components/subscribe-form";
import { TrendingView } from "@/components/trending-view";
import { readTrendingParams, trendingHref, type SearchParams } from "@/lib/papers/trending-url";

// Rendered per request by Next; the web server's page cache keeps the result until a vote or an
// ingest changes it (lib/cache/routes.ts). Reads no cookie: this browser's votes come from <MyVotes>.
export const dynamic = "force-dynamic";

export default async function HomePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  return (
    <TrendingView params={readTrendingParams(await searchParams)} title="Trending papers" hrefFor={trendingHref}>
      <section className="subscribe-banner" aria-labelledby="subscribe-banner-title">
        <h2 id="subscribe-banner-title" className="subscribe-banner-title">
          Get the top trending papers in your inbox once a day
        </h2>
        <SubscribeForm compact />
      </section>
    </TrendingView>
  );
}
