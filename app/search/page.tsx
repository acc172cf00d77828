import type { Metadata } from "next";
import { SearchView } from "@/components/search-view";
import { searchCategories } from "@/lib/papers/category-list";
import { searchPapers } from "@/lib/search";
import { toSearchCards } from "@/lib/search/card";
import { hasCriteria, readSearchQuery, toUrlSearchParams, writeSearchQuery, type SearchPageParams } from "@/lib/search/query-url";

export const dynamic = "force-dynamic";

export async function generateMetadata({ searchParams }: { searchParams: Promise<SearchPageParams> }): Promise<Metadata> {
  const { query } = readSearchQuery(toUrlSearchParams(await searchParams));
  return { title: query.q ? `“${query.q.slice(0, 80)}”: search` : "Search" };
}

export default async function SearchPage({ searchParams }: { searchParams: Promise<SearchPageParams> }) {
  const { query, ignored } = readSearchQuery(toUrlSearchParams(await searchParams));
  // Rendered on the server so a shared link shows its results at once; typing then updates in place.
  const [result, categories] = await Promise.all([hasCriteria(query) ? searchPapers(query) : Promise.resolve(null), searchCategories()]);
  return (
    <div className="search-page">
      <h1 className="page-title">Search</h1>
      {ignored.length > 0 && (
        <p className="notice" role="status">
          Ignored invalid {ignored.length === 1 ? "parameter" : "parameters"}: {ignored.join(", ")}.
        </p>
      )}
      <SearchView key={writeSearchQuery(query).toString()} initialKey={writeSearchQuery(query).toString()} initial={result && toSearchCards(result)} categories={categories} />
    </div>
  );
}
