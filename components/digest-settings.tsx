"use client";
// "Your digest": whether it comes, its topics, followed keywords, authors and saved searches, when it
// comes and how long it is. Read and written through /api/me/digest, with the session cookie or,
// opened from a digest mail, with that mail's token in the Authorization header (kept in memory only).
// Subscribed, it also shows the digest's private feed address, which can be reset (POST /api/me/digest/feed).
import Link from "next/link";
import { useEffect, useId, useState, type FormEvent } from "react";
import { PhraseList } from "@/components/phrase-list";
import { TopicPicker } from "@/components/topic-picker";
import { WeekdaySelect } from "@/components/weekday-select";
import { categoryLabel } from "@/lib/papers/categories";
import { writeSearchQuery } from "@/lib/search/query-url";
import {
  describePreferences,
  PREFERENCE_LIMITS,
  savedSearchKey,
  type Cadence,
  type DigestPreferences,
  type DigestState,
  type PreferencesPatch,
  type SavedSearch,
} from "@/lib/subscriptions/preferences";

export type DigestAnswer = { ok: true; digest: DigestState } | { ok: false; status: number; message: string; field: string | null };

/** GET or PUT /api/me/digest; an error keeps the API's message and the field it names ("categories.1: …" -> categories). */
export async function requestDigest(method: "GET" | "PUT", body?: PreferencesPatch & { subscribed?: boolean }, token?: string): Promise<DigestAnswer> {
  const headers: Record<string, string> = {};
  if (body) headers["Content-Type"] = "application/json";
  if (token) headers.Authorization = `Bearer ${token}`;
  try {
    const response = await fetch("/api/me/digest", { method, headers, body: body && JSON.stringify(body), credentials: "same-origin", cache: "no-store" });
    const json = (await response.json().catch(() => null)) as (DigestState & { error?: { message?: string } }) | null;
    if (response.ok && json) return { ok: true, digest: json };
    const message = json?.error?.message ?? `The server answered ${response.status}.`;
    return { ok: false, status: response.status, message, field: /^([A-Za-z]+)[.:]/.exec(message)?.[1] ?? null };
  } catch {
    return { ok: false, status: 0, message: "Could not reach the server; check your connection and try again.", field: null };
  }
}

/** POST /api/me/digest/feed: a new private feed address (the old one stops working). */
export async function resetFeedAddress(token?: string): Promise<{ ok: true; feedUrl: string } | { ok: false; message: string }> {
  try {
    const response = await fetch("/api/me/digest/feed", { method: "POST", headers: token ? { Authorization: `Bearer ${token}` } : {}, credentials: "same-origin", cache: "no-store" });
    const json = (await response.json().catch(() => null)) as { feedUrl?: string; error?: { message?: string } } | null;
    if (response.ok && typeof json?.feedUrl === "string") return { ok: true, feedUrl: json.feedUrl };
    return { ok: false, message: json?.error?.message ?? `The server answered ${response.status}.` };
  } catch {
    return { ok: false, message: "Could not reach the server; check your connection and try again." };
  }
}

type Message = { kind: "ok" | "error"; text: string; field?: string | null } | null;

const CADENCE_LABELS: Record<Cadence, string> = {
  daily: "Every day",
  weekdays: "Weekdays only (Monday to Friday)",
  weekly: "Once a week, on",
  paused: "Paused: no mail for now",
};

function statusLine(state: DigestState): string {
  const { status, preferences } = state;
  if (status === "confirmed") return preferences.cadence === "paused" ? "Your digest is paused." : `You get the digest: ${describePreferences(preferences)}.`;
  if (status === "pending") return "Your subscription waits for the confirmation link we mailed you.";
  return "You are not subscribed to the digest.";
}

/** The field's own part of an API message: "size: must be 5 to 50" -> "must be 5 to 50". */
function fieldText(message: string): string {
  return message.replace(/^[A-Za-z]+(\.[\w.]+)?: /, "");
}

export function DigestSettings({ initial, token, siteSize }: { initial: DigestState; token?: string; siteSize: number }) {
  const id = useId();
  const [saved, setSaved] = useState(initial);
  const [draft, setDraft] = useState(initial.preferences);
  const [sizeText, setSizeText] = useState(initial.preferences.size === null ? "" : String(initial.preferences.size));
  const [busy, setBusy] = useState(false);
  const [saveMessage, setSaveMessage] = useState<Message>(null);
  const [statusMessage, setStatusMessage] = useState<Message>(null);
  const [lastCadence, setLastCadence] = useState<Cadence>(initial.preferences.cadence === "paused" ? "daily" : initial.preferences.cadence);

  // A mail's token leaves the address bar (and so history, bookmarks and a copied link) at once.
  useEffect(() => {
    const url = new URL(window.location.href);
    if (!url.searchParams.has("token")) return;
    url.searchParams.delete("token");
    window.history.replaceState(window.history.state, "", `${url.pathname}${url.search}${url.hash}`);
  }, []);

  const set = <K extends keyof DigestPreferences>(key: K, value: DigestPreferences[K]) => setDraft((current) => ({ ...current, [key]: value }));
  const error = (field: string) => (saveMessage?.kind === "error" && saveMessage.field === field ? fieldText(saveMessage.text) : null);
  const errorId = (field: string) => `${id}-${field}-error`;
  const fieldError = (field: string) => (
    <p id={errorId(field)} className="field-error">
      {error(field)}
    </p>
  );

  const accept = (digest: DigestState, keepDraft: boolean) => {
    setSaved(digest);
    if (digest.preferences.cadence !== "paused") setLastCadence(digest.preferences.cadence);
    if (!keepDraft) {
      setDraft(digest.preferences);
      setSizeText(digest.preferences.size === null ? "" : String(digest.preferences.size));
    } else setDraft((current) => ({ ...current, cadence: digest.preferences.cadence }));
  };

  const readSize = (): { ok: true; size: number | null } | { ok: false } => {
    const text = sizeText.trim();
    if (text === "") return { ok: true, size: null };
    const size = Number(text);
    return Number.isFinite(size) ? { ok: true, size } : { ok: false };
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const size = readSize();
    if (!size.ok) {
      setSaveMessage({ kind: "error", text: "size: must be a whole number from 5 to 50", field: "size" });
      return;
    }
    setBusy(true);
    setSaveMessage(null);
    const answer = await requestDigest("PUT", { ...draft, size: size.size }, token);
    setBusy(false);
    if (answer.ok) {
      accept(answer.digest, false);
      setSaveMessage({ kind: "ok", text: "Saved. Applies from the next digest." });
    } else setSaveMessage({ kind: "error", text: answer.message, field: answer.field });
  };

  const changeSubscription = async (patch: PreferencesPatch & { subscribed?: boolean }, done: string) => {
    setBusy(true);
    setStatusMessage(null);
    const answer = await requestDigest("PUT", patch, token);
    setBusy(false);
    if (answer.ok) {
      // Subscribing saves the whole form; pausing, resuming and unsubscribing change only the cadence or the status.
      accept(answer.digest, patch.subscribed !== true);
      setStatusMessage({ kind: "ok", text: done });
    } else setStatusMessage({ kind: "error", text: answer.message });
  };

  const subscribe = () => {
    const size = readSize();
    const preferences = { ...draft, size: size.ok ? size.size : saved.preferences.size, cadence: draft.cadence === "paused" ? lastCadence : draft.cadence };
    return changeSubscription({ ...preferences, subscribed: true }, "Subscribed. Your digest starts with the next one.");
  };

  const typedSize = readSize();
  const dirty = JSON.stringify({ ...draft, size: typedSize.ok ? typedSize.size : sizeText }) !== JSON.stringify(saved.preferences);
  const confirmed = saved.status === "confirmed";
  const paused = saved.preferences.cadence === "paused";

  return (
    <div className="digest-settings">
      <section className="digest-card digest-status" aria-labelledby={`${id}-status-title`}>
        <h2 id={`${id}-status-title`} className="digest-card-title">
          Subscription
        </h2>
        {saved.email && (
          <p className="digest-hint">
            Digest for <strong>{saved.email}</strong>
          </p>
        )}
        <p className="digest-status-line" data-status={confirmed ? (paused ? "paused" : "on") : "off"}>
          {statusLine(saved)}
        </p>
        <div className="digest-actions">
          {confirmed ? (
            <>
              {paused ? (
                <button
                  className="button button-primary"
                  type="button"
                  disabled={busy}
                  onClick={() => changeSubscription({ cadence: lastCadence }, "Resumed. Your digest comes again from the next one.")}
                >
                  Resume
                </button>
              ) : (
                <button
                  className="button"
                  type="button"
                  disabled={busy}
                  onClick={() => changeSubscription({ cadence: "paused" }, "Paused. No digest comes until you resume it.")}
                >
                  Pause
                </button>
              )}
              <button
                className="button"
                type="button"
                disabled={busy}
                onClick={() => changeSubscription({ subscribed: false }, "Unsubscribed. No more digests; your settings are kept.")}
              >
                Unsubscribe
              </button>
            </>
          ) : (
            <button className="button button-primary" type="button" disabled={busy} onClick={subscribe}>
              Subscribe
            </button>
          )}
        </div>
        {!confirmed && <p className="digest-hint">Subscribing here starts at once, with the settings below: your address is already confirmed.</p>}
        <p className={`digest-message digest-message-${statusMessage?.kind ?? "none"}`} role="status">
          {statusMessage?.text}
        </p>
      </section>

      <PrivateFeed
        subscribed={confirmed}
        feedUrl={saved.feedUrl}
        token={token}
        onReset={(feedUrl) => setSaved((state) => ({ ...state, feedUrl }))}
      />

      <form className="digest-form" onSubmit={save} noValidate aria-label="Digest settings">
        <fieldset className="digest-card" aria-describedby={errorId("categories")}>
          <legend className="digest-card-title">Topics</legend>
          <p className="digest-hint">The digest&apos;s trending papers come from these arXiv categories.</p>
          <TopicPicker selected={draft.categories} onChange={(next) => set("categories", next)} errorId={errorId("categories")} />
          {fieldError("categories")}
          <label className="digest-check">
            <input type="checkbox" checked={draft.crossLists} onChange={(event) => set("crossLists", event.target.checked)} />
            Include cross-lists (papers filed elsewhere and listed in these topics too)
          </label>
        </fieldset>

        <fieldset className="digest-card">
          <legend className="digest-card-title">Follow</legend>
          <p className="digest-hint">New papers that mention a keyword or are by an author you follow come too, whatever their topic, after the top papers in your topics.</p>
          <PhraseList
            label="Keywords and phrases"
            items={draft.keywords}
            onChange={(next) => set("keywords", next)}
            max={PREFERENCE_LIMITS.keywords}
            maxLength={PREFERENCE_LIMITS.text}
            placeholder="e.g. diffusion policy"
            errorId={errorId("keywords")}
          />
          {fieldError("keywords")}
          <PhraseList
            label="Authors"
            items={draft.authors}
            onChange={(next) => set("authors", next)}
            max={PREFERENCE_LIMITS.authors}
            maxLength={PREFERENCE_LIMITS.text}
            placeholder="e.g. Yann LeCun"
            errorId={errorId("authors")}
          />
          {fieldError("authors")}
        </fieldset>

        <fieldset className="digest-card">
          <legend className="digest-card-title">Saved searches</legend>
          {draft.searches.length === 0 ? (
            <p className="digest-hint">
              None yet. On a <Link href="/search">search</Link>, choose “Email me new papers for this search”.
            </p>
          ) : (
            <ul className="saved-searches" aria-label="Saved searches">
              {draft.searches.map((search) => (
                <SavedSearchItem
                  key={savedSearchKey(search)}
                  search={search}
                  onRemove={() =>
                    set(
                      "searches",
                      draft.searches.filter((other) => savedSearchKey(other) !== savedSearchKey(search)),
                    )
                  }
                />
              ))}
            </ul>
          )}
          {fieldError("searches")}
        </fieldset>

        <fieldset className="digest-card">
          <legend className="digest-card-title">When</legend>
          <div className="digest-radios" role="radiogroup" aria-label="How often" aria-describedby={errorId("cadence")}>
            {(["daily", "weekdays", "weekly", "paused"] as const).map((cadence) => (
              <div key={cadence} className="digest-radio">
                <label>
                  <input type="radio" name={`${id}-cadence`} value={cadence} checked={draft.cadence === cadence} onChange={() => set("cadence", cadence)} />
                  {CADENCE_LABELS[cadence]}
                </label>
                {cadence === "weekly" && (
                  <WeekdaySelect value={draft.weeklyDay} onChange={(weeklyDay) => setDraft((current) => ({ ...current, weeklyDay, cadence: "weekly" }))} />
                )}
              </div>
            ))}
          </div>
          {fieldError("cadence")}
          {fieldError("weeklyDay")}
        </fieldset>

        <fieldset className="digest-card">
          <legend className="digest-card-title">Size</legend>
          <label className="digest-label" htmlFor={`${id}-size`}>
            Trending papers per digest
          </label>
          <p id={`${id}-size-hint`} className="digest-hint">
            5 to 50; leave empty for the site&apos;s {siteSize}. Followed keywords, authors and searches come on top.
          </p>
          <input
            id={`${id}-size`}
            className="digest-size"
            type="number"
            inputMode="numeric"
            min={5}
            max={50}
            step={1}
            placeholder={String(siteSize)}
            value={sizeText}
            onChange={(event) => setSizeText(event.target.value.slice(0, 3))}
            aria-invalid={error("size") ? true : undefined}
            aria-describedby={`${id}-size-hint ${errorId("size")}`}
          />
          {fieldError("size")}
          <label className="digest-check">
            <input type="checkbox" checked={draft.sendEmpty} onChange={(event) => set("sendEmpty", event.target.checked)} />
            Mail me on days with nothing for me
          </label>
        </fieldset>

        <div className="digest-save">
          <button className="button button-primary" type="submit" disabled={busy}>
            {busy ? "Saving…" : "Save"}
          </button>
          <p className={`digest-message digest-message-${saveMessage?.kind ?? "none"}`} role="status">
            {saveMessage?.text ?? (dirty ? "You have unsaved changes." : "")}
          </p>
        </div>
      </form>
    </div>
  );
}

function SavedSearchItem({ search, onRemove }: { search: SavedSearch; onRemove: () => void }) {
  const href = `/search?${writeSearchQuery({ q: search.q, categories: search.categories, hasCode: search.hasCode })}`;
  return (
    <li className="saved-search">
      <div className="saved-search-text">
        <Link href={href}>“{search.q}”</Link>
        {search.categories.length > 0 && <span className="muted"> in {search.categories.map(categoryLabel).join(", ")}</span>}
        {search.hasCode && <span className="muted"> · with code</span>}
      </div>
      <button className="button button-small" type="button" aria-label={`Remove the saved search “${search.q}”`} onClick={onRemove}>
        Remove
      </button>
    </li>
  );
}

/** The digest as a private RSS feed: its address, a copy button, and a reset for a leaked one. */
function PrivateFeed({ subscribed, feedUrl, token, onReset }: { subscribed: boolean; feedUrl: string | null; token?: string; onReset: (feedUrl: string) => void }) {
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Message>(null);

  const copy = async () => {
    if (!feedUrl) return;
    try {
      await navigator.clipboard.writeText(feedUrl);
      setMessage({ kind: "ok", text: "Copied. Paste it into your feed reader." });
    } catch {
      (document.getElementById(`${id}-url`) as HTMLInputElement | null)?.select();
      setMessage({ kind: "error", text: "Could not copy: the address is selected, copy it with your keyboard." });
    }
  };

  const reset = async () => {
    if (!window.confirm("Reset your feed's address? The current one stops working at once: feed readers that use it get nothing more until you give them the new one.")) return;
    setBusy(true);
    setMessage(null);
    const answer = await resetFeedAddress(token);
    setBusy(false);
    if (answer.ok) {
      onReset(answer.feedUrl);
      setMessage({ kind: "ok", text: "Done: this is your new address. The old one no longer works; give this one to your feed reader." });
    } else setMessage({ kind: "error", text: answer.message });
  };

  return (
    <section className="digest-card private-feed" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="digest-card-title">
        Private feed
      </h2>
      {!subscribed ? (
        <p className="digest-hint">Subscribed, you can also read your digest in a feed reader, at a private RSS address shown here.</p>
      ) : feedUrl === null ? (
        <p className="digest-hint">Your feed&apos;s address could not be loaded; reload the page to try again.</p>
      ) : (
        <>
          <p className="digest-hint">Your digest as RSS: the papers of your last 30 digests, each with why it is there.</p>
          <label className="digest-label" htmlFor={`${id}-url`}>
            Feed address
          </label>
          <div className="private-feed-address">
            <input id={`${id}-url`} type="text" readOnly value={feedUrl} spellCheck={false} onFocus={(event) => event.target.select()} aria-describedby={`${id}-warning`} />
            <button className="button" type="button" onClick={copy}>
              Copy
            </button>
          </div>
          <p id={`${id}-warning`} className="private-feed-warning">
            Anyone with this address can read your digest: keep it to your feed reader. If it leaks, reset it.
          </p>
          <div className="digest-actions">
            <button className="button" type="button" disabled={busy} onClick={reset}>
              {busy ? "Resetting…" : "Reset address"}
            </button>
          </div>
        </>
      )}
      <p className={`digest-message digest-message-${message?.kind ?? "none"}`} role="status">
        {message?.text}
      </p>
    </section>
  );
}
