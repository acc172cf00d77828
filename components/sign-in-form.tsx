"use client";
// The sign-in form: an address, and a link mailed to it. A server action, so it works without
// JavaScript; with it, the answer appears in place.
import { useActionState, useId } from "react";
import { signInAction, type SignInFormState } from "@/lib/auth/actions";

const initial: SignInFormState = { status: "idle", message: "", email: "" };

export function SignInForm({ votePaperId, nextPath }: { votePaperId?: string; nextPath?: string }) {
  const [state, action, pending] = useActionState(signInAction, initial);
  const id = useId();
  return (
    <form className="subscribe-form" action={action} noValidate>
      <label className="subscribe-label" htmlFor={`${id}-email`}>
        Email address
      </label>
      {votePaperId && <input type="hidden" name="vote" value={votePaperId} />}
      {nextPath && <input type="hidden" name="next" value={nextPath} />}
      <div className="subscribe-row">
        <input
          id={`${id}-email`}
          name="email"
          type="email"
          inputMode="email"
          autoComplete="email"
          placeholder="you@example.org"
          required
          maxLength={320}
          defaultValue={state.email}
          key={state.status + state.message}
          aria-invalid={state.status === "error" || undefined}
          aria-describedby={`${id}-message`}
        />
        <button className="button button-primary" type="submit" disabled={pending}>
          {pending ? "Sending…" : "Email me a link"}
        </button>
      </div>
      <p id={`${id}-message`} className={`subscribe-message subscribe-${state.status}`} role="status" aria-live="polite">
        {state.message}
      </p>
    </form>
  );
}
