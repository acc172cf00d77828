"use client";
// The header's ways to the digest and the account: "Subscribe" and "Sign in" as rendered for
// everyone; "Your digest" and "Account" once the browser turns out to be signed in (asked of
// /api/session, so the page itself stays the same for all).
import Link from "next/link";
import { useSignedIn } from "@/components/use-signed-in";

export function AccountLink() {
  return useSignedIn() ? (
    <>
      <Link className="subscribe-link" href="/account/digest">
        Your digest
      </Link>
      <Link className="account-link" href="/account">
        Account
      </Link>
    </>
  ) : (
    <>
      <Link className="subscribe-link" href="/subscribe">
        Subscribe
      </Link>
      <Link className="account-link" href="/signin">
        Sign in
      </Link>
    </>
  );
}
