import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "Not found" };

// Shown for unknown routes and for notFound() (an unknown paper id); Next sends it with status 404.
export default function NotFound() {
  return (
    <div className="not-found">
      <p className="not-found-code">404</p>
      <h1 className="page-title">Page not found</h1>
      <p>There is no page at this address. If you followed a link to a paper, it may not have been loaded here yet.</p>
      <p>
        <Link className="button button-primary" href="/">
          See trending papers
        </Link>
      </p>
    </div>
  );
}
