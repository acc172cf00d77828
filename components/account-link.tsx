"use client";
// The header's ways to the digest and the account: "Subscribe" and "Sign in" as rendered for
// everyone; "Your digest" and "Account" once the browser turns out to be signed in (asked of
// /api/session, so the page itself stays the same for all).
import Link from "next/link";
import { useEffect, useState } from "react";

export function AccountLink() {
  const [signedIn, setSignedIn] = useState(false);
  useEffect(() => {
    let live = true;
    fetch("/api/session", { credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : { signedIn: false }))
      .then((body: { signedIn?: boolean }) => {
        if (live) setSignedIn(body.signedIn === true);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  return signedIn ? (
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
