"use client";
// The subscribe form: an address, and a confirmation link mailed to it. The subscribe page's form
// also offers topics and a cadence up front, in a disclosure; the home page's banner keeps just the
// address and links there. A server action, so it works before (and without) JavaScript.
import Link from "next/link";
import { useActionState, useId, useState } from "react";
import { TopicPicker } from "@/components/topic-picker";
import { subscribeAction, type SubscribeFormState } from "@/lib/subscriptions/actions";
import { WEEKDAYS } from "@/lib/subscriptions/preferences";

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
      {compact ? (
        <p className="subscribe-more">
          <Link href="/subscribe">Choose topics</Link> for a digest of your own fields.
        </p>
      ) : (
        <SubscribeTopics id={id} />
      )}
    </form>
  );
}

function SubscribeTopics({ id }: { id: string }) {
  const [categories, setCategories] = useState<string[]>([]);
  const [cadence, setCadence] = useState<"daily" | "weekly">("daily");
  const [weeklyDay, setWeeklyDay] = useState(1);
  return (
    <details className="subscribe-topics">
      <summary>Choose topics (optional){categories.length > 0 ? ` · ${categories.length} chosen` : ""}</summary>
      <div className="subscribe-topics-body">
        <fieldset>
          <legend>Topics</legend>
          <TopicPicker selected={categories} onChange={setCategories} name="categories" emptyText="None chosen: the day's top papers from every category." />
        </fieldset>
        <fieldset>
          <legend>How often</legend>
          <div className="digest-radios">
            <div className="digest-radio">
              <label>
                <input type="radio" name="cadence" value="daily" checked={cadence === "daily"} onChange={() => setCadence("daily")} />
                Every day
              </label>
            </div>
            <div className="digest-radio">
              <label>
                <input type="radio" name="cadence" value="weekly" checked={cadence === "weekly"} onChange={() => setCadence("weekly")} />
                Once a week, on
              </label>
              <select
                name="weeklyDay"
                aria-label="Day of the week"
                value={weeklyDay}
                onChange={(event) => {
                  setWeeklyDay(Number(event.target.value));
                  setCadence("weekly");
                }}
              >
                {WEEKDAYS.map((day, index) => (
                  <option key={day} value={index}>
                    {day}
                  </option>
                ))}
              </select>
            </div>
          </div>
        </fieldset>
        <p className="digest-hint" id={`${id}-topics-hint`}>
          Keywords, authors, saved searches and the digest&apos;s size are on <strong>Your digest</strong>, once you have confirmed.
        </p>
      </div>
    </details>
  );
}
