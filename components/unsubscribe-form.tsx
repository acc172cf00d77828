"use client";
// The visible unsubscribe link leads here: nothing changes until the button is pressed.
import Link from "next/link";
import { useActionState } from "react";
import { unsubscribeAction, type UnsubscribeFormState } from "@/lib/subscriptions/actions";

export function UnsubscribeForm({ token }: { token: string }) {
  const [state, action, pending] = useActionState<UnsubscribeFormState, FormData>(unsubscribeAction, { status: "idle", email: null });
  if (state.status === "done") {
    return (
      <div role="status">
        <h1 className="page-title">You are unsubscribed</h1>
        <p className="lead">{state.email ? <>{state.email} will get no more digests.</> : <>No more digests will be sent to this address.</>}</p>
        <p>
          Changed your mind? <Link href="/subscribe">Subscribe again</Link>.
        </p>
      </div>
    );
  }
  return (
    <>
      <h1 className="page-title">Unsubscribe from the daily digest?</h1>
      <p className="lead">You will get no more Trending Papers digests. You can subscribe again at any time.</p>
      <form action={action}>
        <input type="hidden" name="token" value={token} />
        <button className="button button-primary" type="submit" disabled={pending}>
          {pending ? "Unsubscribing…" : "Unsubscribe"}
        </button>
      </form>
      {state.status === "invalid" && (
        <p className="subscribe-message subscribe-error" role="alert">
          This unsubscribe link is damaged or was not issued by this site. Use the link from your latest digest.
        </p>
      )}
      {state.status === "error" && (
        <p className="subscribe-message subscribe-error" role="alert">
          Something went wrong on our side; please try again in a moment.
        </p>
      )}
    </>
  );
}
