"use client";
// One address and a button, answered in place: the form behind subscribing and signing in. A
// server action, so it works before (and without) JavaScript.
import { useActionState, useId, type ReactNode } from "react";

export type EmailFormState = { status: "idle" | "ok" | "error"; message: string; email: string };

type Props = {
  action: (previous: EmailFormState, form: FormData) => Promise<EmailFormState>;
  submitLabel: string;
  pendingLabel: string;
  /** The label is for screen readers only (the home page's banner). */
  compact?: boolean;
  /** Hidden fields sent along (unset ones are left out). */
  hidden?: Record<string, string | undefined>;
  /** More of the form, after the answer (the subscribe page's topics). */
  children?: ReactNode;
};

const initial: EmailFormState = { status: "idle", message: "", email: "" };

export function EmailForm({ action: run, submitLabel, pendingLabel, compact = false, hidden = {}, children }: Props) {
  const [state, action, pending] = useActionState(run, initial);
  const id = useId();
  return (
    <form className={compact ? "subscribe-form subscribe-form-compact" : "subscribe-form"} action={action} noValidate>
      <label className={compact ? "sr-only" : "subscribe-label"} htmlFor={`${id}-email`}>
        Email address
      </label>
      {Object.entries(hidden).map(([name, value]) => value !== undefined && <input key={name} type="hidden" name={name} value={value} />)}
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
          {pending ? pendingLabel : submitLabel}
        </button>
      </div>
      <p id={`${id}-message`} className={`subscribe-message subscribe-${state.status}`} role="status" aria-live="polite">
        {state.message}
      </p>
      {children}
    </form>
  );
}
