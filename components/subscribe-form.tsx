"use client";
// The subscribe form: a server action, so it works before (and without) JavaScript; with it, the
// answer appears in place.
import { useActionState, useId } from "react";
import { subscribeAction, type SubscribeFormState } from "@/lib/subscriptions/actions";

const initial: SubscribeFormState = { status: "idle", message: "", email: "" };

export function SubscribeForm({ compact = false }: { compact?: boolean }) {
  const [state, action, pending] = useActionState(subscribeAction, initial);
  const id = useId();
  return (
    <form className={compact ? "subscribe-form subscribe-form-compact" : "subscribe-form"} action={action} noValidate>
      <label className={compact ? "sr-only" : "subscribe-label"} htmlFor={`${id}-email`}>
        Email address
      </label>
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
          {pending ? "Subscribing…" : "Subscribe"}
        </button>
      </div>
      <p id={`${id}-message`} className={`subscribe-message subscribe-${state.status}`} role="status" aria-live="polite">
        {state.message}
      </p>
    </form>
  );
}
