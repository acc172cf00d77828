// The web copy of a sent digest ("view in browser"): the frozen papers, not today's ranking.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { DigestPaperCard } from "@/components/digest-paper-card";
import { digests } from "@/lib/digest/store";
import { formatDay } from "@/lib/papers/format";
import { isValidDay } from "@/lib/time";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ date: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { date } = await params;
  return { title: isValidDay(date) ? `Digest of ${formatDay(date)}` : "Digest" };
}

export default async function DigestPage({ params }: Props) {
  const { date } = await params;
  if (!isValidDay(date)) notFound();
  const digest = await digests.get(date);
  if (!digest) notFound();
  return (
    <div className="trending">
      <div className="trending-top">
        <h1 className="page-title">Trending papers · {formatDay(date)}</h1>
      </div>
      <p className="lead">
        The daily digest as mailed to subscribers. <Link href="/subscribe">Subscribe</Link> · <Link href="/digests">Past digests</Link> ·{" "}
        <Link href={`/?date=${date}`}>This day on the site now</Link>
      </p>
      <ol className="paper-list">
        {digest.papers.map((paper) => (
          <li key={paper.id}>
            <DigestPaperCard paper={paper} />
          </li>
        ))}
      </ol>
    </div>
  );
}
