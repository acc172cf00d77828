"use client";
// The subscribe form: an address, and a confirmation link mailed to it. The subscribe page's form
// also offers topics and a cadence up front, in a disclosure; the home page's banner keeps just the
// address and links there. A server action, so it works before (and without) JavaScript.
import Link from "next/link";
import { useId, useState } from "react";
import { EmailForm } from "@/components/email-form";
import { TopicPicker } from "@/components/topic-picker";
import { subscribeAction } from "@/lib/subscriptions/actions";
import { WeekdaySelect } from "@/components/weekday-select";

export function SubscribeForm({ compact = false }: { compact?: boolean }) {
  return (
    <EmailForm action={subscribeAction} submitLabel="Subscribe" pendingLabel="Subscribing…" compact={compact}>
      {compact ? (
        <p className="subscribe-more">
          <Link href="/subscribe">Choose topics</Link> for a digest of your own fields.
        </p>
      ) : (
        <SubscribeTopics />
      )}
    </EmailForm>
  );
}

function SubscribeTopics() {
  const id = useId();
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
              <WeekdaySelect
                name="weeklyDay"
                value={weeklyDay}
                onChange={(day) => {
                  setWeeklyDay(day);
                  setCadence("weekly");
                }}
              />
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
