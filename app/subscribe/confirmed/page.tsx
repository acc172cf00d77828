// Where a confirmed subscription lands: the subscription is active and this browser is signed in.
import type { Metadata } from "next";
import Link from "next/link";
import { currentPerson } from "@/lib/auth/current";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "You are subscribed", robots: { index: false } };

export default async function ConfirmedPage() {
  const person = await currentPerson();
  return (
    <div className="narrow-page notice-page">
      <h1 className="page-title">You are subscribed</h1>
      <p className="lead">
        The daily digest of trending papers will go to {person ? <strong>{person.email}</strong> : "your address"}. Every mail has a one-click
        unsubscribe link.
        {person ? " You are signed in on this browser, so you can upvote papers too." : null}
      </p>
      <p>
        <Link href="/">See today&apos;s trending papers</Link> · <Link href="/digests">Past digests</Link>
      </p>
    </div>
  );
}
