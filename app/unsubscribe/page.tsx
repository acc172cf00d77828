import type { Metadata } from "next";
import Link from "next/link";
import { UnsubscribeForm } from "@/components/unsubscribe-form";
import { tokenSecret } from "@/lib/mail/secret";
import { readUnsubscribeToken } from "@/lib/mail/tokens";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Unsubscribe", robots: { index: false } };

export default async function UnsubscribePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { token } = await searchParams;
  // Checked before showing the button, so a damaged link says so at once (and changes nothing).
  if (typeof token !== "string" || !readUnsubscribeToken(tokenSecret(), token).ok) {
    return (
      <div className="narrow-page notice-page">
        <h1 className="page-title">This unsubscribe link is damaged</h1>
        <p className="lead">It was cut short or was not issued by this site. Use the unsubscribe link at the bottom of your latest digest.</p>
        <p>
          <Link href="/">Trending papers</Link>
        </p>
      </div>
    );
  }
  return (
    <div className="narrow-page notice-page">
      <UnsubscribeForm token={token} />
    </div>
  );
}
