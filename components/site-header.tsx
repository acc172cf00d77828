// The header on every page: the site's name, a search form and the way to subscribe.
import Link from "next/link";

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
        {/* A plain GET form: search works without JavaScript and its URL can be shared. */}
        <form className="site-search" action="/search" method="get" role="search">
          <label className="sr-only" htmlFor="site-search-q">
            Search papers
          </label>
          <input id="site-search-q" name="q" type="search" placeholder="Search papers…" autoComplete="off" />
          <button type="submit">Search</button>
        </form>
        <Link className="subscribe-link" href="/subscribe">
          Subscribe
        </Link>
      </div>
    </header>
  );
}
