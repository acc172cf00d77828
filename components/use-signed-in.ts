"use client";
// Whether this browser is signed in, asked of /api/session once per mount: pages stay the same for
// everyone (and cacheable), and the parts that differ for a signed-in person ask here.
import { useEffect, useState } from "react";

/** null until /api/session has answered; false when it cannot be asked. */
export function useSignedIn(): boolean | null {
  const [signedIn, setSignedIn] = useState<boolean | null>(null);
  useEffect(() => {
    let live = true;
    fetch("/api/session", { credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : { signedIn: false }))
      .then((body: { signedIn?: boolean }) => live && setSignedIn(body.signedIn === true))
      .catch(() => live && setSignedIn(false));
    return () => {
      live = false;
    };
  }, []);
  return signedIn;
}
