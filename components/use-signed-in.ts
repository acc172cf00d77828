"use client";
// Whether this browser is signed in, asked of /api/session once per mount: pages stay the same for
// everyone (and cacheable), and the parts that differ for a signed-in person ask here. Components
// that mount together (the header's links and the search page) share one request.
import { useEffect, useState } from "react";

let asking: Promise<boolean> | undefined;

function askSession(): Promise<boolean> {
  asking ??= fetch("/api/session", { credentials: "same-origin" })
    .then((response) => (response.ok ? response.json() : { signedIn: false }))
    .then((body: { signedIn?: boolean }) => body.signedIn === true)
    .catch(() => false)
    .finally(() => {
      asking = undefined;
    });
  return asking;
}

/** null until /api/session has answered; false when it cannot be asked. */
export function useSignedIn(): boolean | null {
  const [signedIn, setSignedIn] = useState<boolean | null>(null);
  useEffect(() => {
    let live = true;
    void askSession().then((answer) => live && setSignedIn(answer));
    return () => {
      live = false;
    };
  }, []);
  return signedIn;
}
