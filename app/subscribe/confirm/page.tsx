// The confirmation link from the mail. Opening it confirms (the token is signed, expiring and single use).
import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { clientIp } from "@/lib/api/client-ip";
import { confirmSubscription, type ConfirmResult } from "@/lib/subscriptions/subscribe";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Confirm your subscription", robots: { index: false } };

const MESSAGES: Record<Exclude<ConfirmResult["status"], "confirmed">, { title: string; body: string }> = {
  "already-confirmed": { title: "You are already subscribed", body: "This link was used before; your subscription is active." },
  expired: { title: "This link has expired", body: "Confirmation links work for 48 hours. Subscribe again to get a fresh one." },
  used: { title: "This link is no longer valid", body: "It was used already, or a newer confirmation mail replaced it. Subscribe again to get a fresh link." },
  invalid: { title: "This link is damaged", body: "Copy the whole link from the mail into the address bar, or subscribe again." },
};

export default async function ConfirmPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { token } = await searchParams;
  const result: ConfirmResult = typeof token === "string" && token.length <= 200 ? await confirmSubscription(token, clientIp(await headers())) : { status: "invalid" };
  if (result.status === "confirmed") {
    return (
      <div className="narrow-page notice-page">
        <h1 className="page-title">You are subscribed</h1>
        <p className="lead">
          The daily digest of trending papers will go to <strong>{result.email}</strong>. Every mail has a one-click unsubscribe link.
        </p>
        <p>
          <Link href="/">See today&apos;s trending papers</Link> · <Link href="/digests">Past digests</Link>
        </p>
      </div>
    );
  }
  const message = MESSAGES[result.status];
  return (
    <div className="narrow-page notice-page">
      <h1 className="page-title">{message.title}</h1>
      <p className="lead">{message.body}</p>
      <p>
        <Link href="/subscribe">Subscribe</Link> · <Link href="/">Trending papers</Link>
      </p>
    </div>
  );
}
