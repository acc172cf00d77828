// Sign in with an email link (no passwords); reached from the header and from the vote button.
import type { Metadata } from "next";
import Link from "next/link";
import { SignInForm } from "@/components/sign-in-form";
import { safeNextPath } from "@/lib/auth/sign-in";
import { paperTitle } from "@/lib/papers/queries";
import { paperIdFromSegments } from "@/lib/papers/identity";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sign in", robots: { index: false } };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { vote, next } = await searchParams;
  const paperId = typeof vote === "string" && vote.length <= 200 ? paperIdFromSegments([vote]) : null;
  const title = paperId ? await paperTitle(paperId) : null;
  const nextPath = safeNextPath(next) ?? (paperId && title ? `/papers/${paperId}` : undefined);
  return (
    <div className="narrow-page">
      <h1 className="page-title">{title ? "Sign in to upvote" : "Sign in"}</h1>
      {title ? (
        <p className="lead">
          Votes on Trending Papers belong to people, one per paper. Enter your address and we mail you a link; once you open it, your upvote
          for <strong>{title}</strong> is counted.
        </p>
      ) : (
        <p className="lead">Enter your address and we mail you a link to sign in. No password, nothing to remember.</p>
      )}
      <SignInForm votePaperId={title ? (paperId ?? undefined) : undefined} nextPath={nextPath} />
      <ul className="fine-print">
        <li>The link works once, for an hour, and opens a page with a button: press it to sign in.</li>
        <li>
          Signing in does not subscribe you to anything. The daily digest is <Link href="/subscribe">here</Link>.
        </li>
      </ul>
    </div>
  );
}
