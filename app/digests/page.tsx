import type { Metadata } from "next";
import Link from "next/link";
import { digests } from "@/lib/digest/store";
import { formatDay, pluralize } from "@/lib/papers/format";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Past digests" };

export default async function DigestsPage() {
  const past = await digests.list();
  return (
    <div className="narrow-page">
      <h1 className="page-title">Past digests</h1>
      <p className="lead">
        Each day&apos;s digest as it was mailed. <Link href="/subscribe">Get it in your inbox</Link>.
      </p>
      {past.length === 0 ? (
        <div className="empty">
          <h2>No digest has gone out yet</h2>
          <p>The first one is built at the next scheduled run, or with <code>npm run digest</code>.</p>
        </div>
      ) : (
        <ul className="digest-list">
          {past.map((digest) => (
            <li key={digest.date}>
              <Link href={`/digests/${digest.date}`}>{formatDay(digest.date)}</Link>
              <span className="muted"> · {pluralize(digest.papers, "paper")}</span>
              {digest.firstTitle && <p className="digest-lead">{digest.firstTitle}</p>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
