"use client";
// Search filters and results. The URL is the state: changing a filter or typing in the header
// rewrites it, and results are fetched for it (stale requests cancelled), so every view is shareable.
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";
import { SearchAlert } from "@/components/search-alert";
import { SearchHit } from "@/components/search-hit";
import { useSignedIn } from "@/components/use-signed-in";
import { pluralize } from "@/lib/papers/format";
import { hasCriteria, nextSearchOffset, readSearchQuery, writeSearchQuery } from "@/lib/search/query-url";
import { CATEGORY_PATTERN } from "@/lib/papers/query-params";
import { canonicalCategory } from "@/lib/papers/categories";
import { savedSearchKey, type SavedSearch } from "@/lib/subscriptions/preferences";
import type { SearchCards, SearchQuery } from "@/lib/search/types";

type View = { key: string; result: SearchCards | null; error: string | null; loading: boolean };

export function SearchView({ initialKey, initial, categories }: { initialKey: string; initial: SearchCards | null; categories: string[] }) {
  const params = useSearchParams();
  const { query } = readSearchQuery(new URLSearchParams(params.toString()));
  const key = writeSearchQuery(query).toString();
  const [view, setView] = useState<View>({ key: initialKey, result: initial, error: null, loading: false });
  // Asked once for the page, not again each time a new search remounts the alert.
  const signedIn = useSignedIn();

  useEffect(() => {
    if (key === view.key) return;
    const controller = new AbortController();
    const timer = setTimeout(async () => {
      setView((current) => ({ ...current, loading: true }));
      if (!hasCriteria(query)) {
        setView({ key, result: null, error: null, loading: false });
        return;
      }
      try {
        // The cards ready to show (formulas set on the server), not the full results.
        const response = await fetch(`/api/search?${key}${key ? "&" : ""}view=cards`, { signal: controller.signal });
        const body = (await response.json()) as SearchCards & { error?: { message: string } };
        if (!response.ok) setView({ key, result: null, error: body.error?.message ?? "Search failed.", loading: false });
        else setView({ key, result: body, error: null, loading: false });
      } catch (error) {
        if (!controller.signal.aborted) setView({ key, result: null, error: `Search is unavailable right now (${(error as Error).message}).`, loading: false });
      }
    }, 80);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
    // `query` is derived from `key`; the key alone says when to fetch.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, view.key]);

  const update = (patch: Partial<SearchQuery>) => {
    const next = writeSearchQuery({ ...query, ...patch, offset: 0 });
    window.history.replaceState(null, "", `/search${next.size ? `?${next}` : ""}`);
  };
  const pageHref = (offset: number) => `/search?${writeSearchQuery({ ...query, offset })}`;
  const result = view.result;
  // Results shown for an older URL are stale from the moment the URL changes, not only once the fetch starts.
  const busy = view.loading || key !== view.key;
  // What "Email me new papers for this search" saves: the query and the filters an alert keeps (not the dates).
  const alert: SavedSearch | null = query.q.trim()
    ? { q: query.q.trim(), categories: (query.categories ?? []).map((category) => canonicalCategory(category) ?? category), ...(query.hasCode !== undefined ? { hasCode: query.hasCode } : {}) }
    : null;

  return (
    <div className="search">
      <form className="search-filters" action="/search" method="get" aria-label="Filters" onSubmit={(event) => event.preventDefault()}>
        <input type="hidden" name="q" value={query.q} />
        <label>
          Category
          <input
            name="category"
            list="search-categories"
            placeholder="any, e.g. cs.LG"
            defaultValue={query.categories?.[0] ?? ""}
            key={`category-${query.categories?.[0] ?? ""}`}
            onChange={(event) => {
              const value = event.target.value.trim();
              if (value === "" || CATEGORY_PATTERN.test(value)) update({ categories: value ? [value] : [] });
            }}
          />
          <datalist id="search-categories">
            {categories.map((category) => (
              <option key={category} value={category} />
            ))}
          </datalist>
        </label>
        <label>
          Listed from
          <input type="date" name="from" value={query.from ?? ""} onChange={(event) => update({ from: event.target.value || undefined })} />
        </label>
        <label>
          to
          <input type="date" name="to" value={query.to ?? ""} onChange={(event) => update({ to: event.target.value || undefined })} />
        </label>
        <label className="search-check">
          <input
            type="checkbox"
            name="hasCode"
            value="true"
            checked={query.hasCode === true}
            onChange={(event) => update({ hasCode: event.target.checked ? true : undefined })}
          />
          With code
        </label>
        <label>
          Sort
          <select name="sort" value={query.sort} onChange={(event) => update({ sort: event.target.value as SearchQuery["sort"] })}>
            <option value="relevance">Relevance</option>
            <option value="newest">Newest</option>
            <option value="votes">Most voted</option>
          </select>
        </label>
        <noscript>
          <button type="submit">Apply</button>
        </noscript>
      </form>

      {alert && <SearchAlert key={savedSearchKey(alert)} search={alert} returnPath={`/search?${key}`} signedIn={signedIn} />}

      <div className="search-results" aria-live="polite" aria-busy={busy}>
        {view.error && <p className="notice notice-error">{view.error}</p>}
        {result?.degraded && (
          <p className="notice" role="status">
            Search is running in reduced mode: the search engine is unavailable, so these results come from the database
            and tolerate fewer typos.
          </p>
        )}
        {!hasCriteria(query) && !view.error && <SearchTips />}
        {result && hasCriteria(query) && (
          <>
            <p className="search-count">
              {result.total === 0 ? "No papers" : pluralize(result.total, "paper")}
              {query.q && (
                <>
                  {" "}
                  for <strong>“{query.q}”</strong>
                </>
              )}
              {busy && <span className="search-loading"> · updating…</span>}
            </p>
            {result.items.length > 0 ? (
              <ol className="paper-list" start={result.offset + 1}>
                {result.items.map((hit, index) => (
                  <li key={hit.id}>
                    <SearchHit hit={hit} position={result.offset + index + 1} />
                  </li>
                ))}
              </ol>
            ) : (
              <div className="empty">
                <h2>Nothing matches</h2>
                <p>Check the spelling, use fewer words, or remove a filter. An arXiv id or link (2506.01234) finds that paper.</p>
              </div>
            )}
            <nav className="pager" aria-label="Result pages">
              {result.offset > 0 && (
                <Link className="date-step" href={pageHref(Math.max(0, result.offset - result.limit))} rel="prev">
                  ← Previous
                </Link>
              )}
              {nextSearchOffset(result) !== null && (
                <Link className="date-step" href={pageHref(nextSearchOffset(result) ?? 0)} rel="next">
                  Next →
                </Link>
              )}
            </nav>
          </>
        )}
      </div>
    </div>
  );
}

function SearchTips() {
  return (
    <div className="empty">
      <h2>Search titles, abstracts and authors</h2>
      <ul className="search-tips">
        <li>Type in the search box above; results appear as you type, and typos are fine (“transfomer”).</li>
        <li>Paste an arXiv id or link, such as 2506.01234 or https://arxiv.org/abs/hep-th/9901001, to jump to that paper.</li>
        <li>Narrow by category, listing dates or papers with code, and sort by newest or most voted.</li>
      </ul>
    </div>
  );
}
