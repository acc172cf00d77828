// The header on every page: the site's name, the search box, the way to the digest and to sign in.
import Link from "next/link";
import { Suspense } from "react";
import { AccountLink } from "@/components/account-link";
import { HeaderSearch } from "@/components/header-search";

function PlainSearch() {
  // Shown until the interactive box loads; a GET form, so search works without JavaScript.
  return (
    <form className="site-search" action="/search" method="get" role="search">
      <label className="sr-only" htmlFor="site-search-q">
        Search papers
      </label>
      <input id="site-search-q" name="q" type="search" placeholder="Search papers…" autoComplete="off" />
      <button type="submit">Search</button>
    </form>
  );
}

export function SiteHeader() {
  return (
    <header className="site-header">
      <div className="site-header-inner">
        <Link className="site-name" href="/">
          <span className="site-logo" aria-hidden="true">
            ▲
          </span>
          Trending Papers
        </Link>
        <Suspense fallback={<PlainSearch />}>
          <HeaderSearch />
        </Suspense>
        <div className="header-actions">
          <AccountLink />
        </div>
      </div>
    </header>
  );
}
