"use client";
// The header's way to the account: "Sign in" as rendered for everyone, "Account" once the browser
// turns out to be signed in (asked of /api/session, so the page itself stays the same for all).
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
    <Link className="account-link" href="/account">
      Account
    </Link>
  ) : (
    <Link className="account-link" href="/signin">
      Sign in
    </Link>
  );
}
