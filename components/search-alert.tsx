"use client";
// "Email me new papers for this search": saves the search (its query, categories and "with code")
// among the digest's saved searches. Signed out, it leads to sign-in and back to this search; not
// subscribed, it says so and subscribes only once the reader agrees.
import Link from "next/link";
import { useState } from "react";
import { requestDigest } from "@/components/digest-settings";
import { PREFERENCE_LIMITS, savedSearchKey, type SavedSearch } from "@/lib/subscriptions/preferences";

type Step =
  | { kind: "idle" }
  | { kind: "busy" }
  | { kind: "confirm-subscribe"; searches: SavedSearch[] }
  | { kind: "done"; text: string }
  | { kind: "error"; text: string };

/** `signedIn` as useSignedIn answers it, asked by the search page once rather than for every search it shows. */
export function SearchAlert({ search, returnPath, signedIn }: { search: SavedSearch; returnPath: string; signedIn: boolean | null }) {
  const [step, setStep] = useState<Step>({ kind: "idle" });

  const save = async (searches: SavedSearch[], subscribe: boolean) => {
    setStep({ kind: "busy" });
    const answer = await requestDigest("PUT", subscribe ? { searches, subscribed: true } : { searches });
    if (!answer.ok) setStep({ kind: "error", text: answer.message });
    else
      setStep({
        kind: "done",
        text: subscribe ? "Subscribed and saved: new papers for this search come in your digest." : "Saved: new papers for this search come in your digest.",
      });
  };

  const start = async () => {
    setStep({ kind: "busy" });
    const current = await requestDigest("GET");
    if (!current.ok) {
      setStep({ kind: "error", text: current.message });
      return;
    }
    const { status, preferences } = current.digest;
    if (preferences.searches.some((saved) => savedSearchKey(saved) === savedSearchKey(search))) {
      setStep({ kind: "done", text: "Already saved: new papers for this search come in your digest." });
      return;
    }
    if (preferences.searches.length >= PREFERENCE_LIMITS.searches) {
      setStep({ kind: "error", text: `Your digest already follows ${PREFERENCE_LIMITS.searches} searches, the most it can; remove one in Your digest first.` });
      return;
    }
    const searches = [...preferences.searches, search];
    if (status === "confirmed") await save(searches, false);
    else setStep({ kind: "confirm-subscribe", searches });
  };

  if (signedIn === null) return null;
  if (!signedIn) {
    return (
      <div className="search-alert">
        <p>
          <Link href={`/signin?next=${encodeURIComponent(returnPath)}`}>Sign in</Link> to get new papers for this search in your digest.
        </p>
      </div>
    );
  }
  return (
    <div className="search-alert">
      {step.kind === "confirm-subscribe" ? (
        <>
          <p id="search-alert-question">You are not subscribed to the digest. Subscribe, with this search saved in it?</p>
          <button
            className="button button-primary button-small"
            type="button"
            aria-describedby="search-alert-question"
            onClick={() => save(step.searches, true)}
          >
            Subscribe and save
          </button>
          <button className="button button-small" type="button" onClick={() => setStep({ kind: "idle" })}>
            Cancel
          </button>
        </>
      ) : step.kind !== "done" ? (
        <button className="button button-small" type="button" disabled={step.kind === "busy"} onClick={start}>
          {step.kind === "busy" ? "Saving…" : "Email me new papers for this search"}
        </button>
      ) : null}
      <p className={step.kind === "error" ? "field-error" : undefined} role="status">
        {step.kind === "done" || step.kind === "error" ? step.text : ""}
        {step.kind === "done" && (
          <>
            {" "}
            <Link href="/account/digest">Your digest</Link>
          </>
        )}
      </p>
    </div>
  );
}
