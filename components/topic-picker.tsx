"use client";
// The topics picker of "Your digest" and the subscribe form: arXiv categories by id and name, typed
// to filter, chosen with checkboxes and shown as removable chips. Every checkbox stays in the page
// (filtered ones are hidden), so a form posts the whole choice, with or without JavaScript.
import { useId, useMemo, useState, useSyncExternalStore, type KeyboardEvent } from "react";
import { categoryLabel, OFFERED_CATEGORIES as OFFERED } from "@/lib/papers/categories";
import { PREFERENCE_LIMITS } from "@/lib/subscriptions/preferences";

type Props = {
  selected: string[];
  onChange: (next: string[]) => void;
  /** The checkboxes' form field name (the subscribe form posts them). */
  name?: string;
  /** Says what choosing nothing means here. */
  emptyText?: string;
  errorId?: string;
};

const noChanges = () => () => undefined;

function matches(query: string, id: string, name: string): boolean {
  if (!query) return true;
  const text = `${id} ${name}`.toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => text.includes(word));
}

export function TopicPicker({ selected, onChange, name, emptyText = "None chosen: papers from every category.", errorId }: Props) {
  const id = useId();
  const [filter, setFilter] = useState("");
  const chosen = useMemo(() => new Set(selected), [selected]);
  const visible = useMemo(
    () => new Set(OFFERED.filter((category) => matches(filter.trim(), category.id, category.name)).map((category) => category.id)),
    [filter],
  );
  const full = selected.length >= PREFERENCE_LIMITS.categories;
  // The filter needs JavaScript: until it runs (or without it), the whole list shows and no dead box does.
  const scripted = useSyncExternalStore(
    noChanges,
    () => true,
    () => false,
  );

  const toggle = (category: string, on: boolean) => {
    if (on && !chosen.has(category) && !full) onChange([...selected, category]);
    if (!on) onChange(selected.filter((value) => value !== category));
  };
  const boxes = () => [...document.querySelectorAll<HTMLInputElement>(`[data-picker="${id}"] input[type=checkbox]`)].filter((box) => !box.closest("[hidden]"));

  const onFilterKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "Enter") {
      // Enter chooses the first match instead of submitting the form.
      event.preventDefault();
      const first = OFFERED.find((category) => visible.has(category.id) && !chosen.has(category.id));
      if (first && filter.trim()) {
        toggle(first.id, true);
        setFilter("");
      }
    } else if (event.key === "ArrowDown") {
      event.preventDefault();
      boxes()[0]?.focus();
    } else if (event.key === "Escape" && filter) {
      event.preventDefault();
      setFilter("");
    }
  };
  const onListKey = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    const list = boxes();
    const at = list.indexOf(event.target as HTMLInputElement);
    if (at < 0) return;
    event.preventDefault();
    const next = at + (event.key === "ArrowDown" ? 1 : -1);
    if (next < 0) document.getElementById(`${id}-filter`)?.focus();
    else list[Math.min(next, list.length - 1)]?.focus();
  };

  return (
    <div className="topic-picker" data-picker={id}>
      <ul className="picker-chips" aria-label="Chosen topics">
        {selected.length === 0 && <li className="picker-none">{emptyText}</li>}
        {selected.map((category) => (
          <li key={category} className="picker-chip">
            <span>{categoryLabel(category)}</span>
            <button type="button" aria-label={`Remove ${categoryLabel(category)}`} onClick={() => toggle(category, false)}>
              <span aria-hidden="true">×</span>
            </button>
          </li>
        ))}
      </ul>
      {scripted && (
        <>
          <label className="picker-filter-label" htmlFor={`${id}-filter`}>
            Find a topic
          </label>
          <input
            id={`${id}-filter`}
            className="picker-filter"
            type="search"
            value={filter}
            maxLength={60}
            autoComplete="off"
            placeholder="robotics, cs.LG, quantum…"
            aria-controls={`${id}-list`}
            aria-describedby={`${id}-hint${errorId ? ` ${errorId}` : ""}`}
            onChange={(event) => setFilter(event.target.value)}
            onKeyDown={onFilterKey}
          />
          <p id={`${id}-hint`} className="picker-hint" aria-live="polite">
            {filter.trim()
              ? visible.size === 0
                ? "No topic matches."
                : `${visible.size} ${visible.size === 1 ? "topic matches" : "topics match"}; Enter adds the first, ↓ moves into the list.`
              : full
                ? `That is the most a digest can follow (${PREFERENCE_LIMITS.categories}).`
                : `${OFFERED.length} arXiv categories; type to narrow them.`}
          </p>
        </>
      )}
      <div id={`${id}-list`} className="picker-list" role="group" aria-label="arXiv categories" onKeyDown={onListKey}>
        {OFFERED.map((category) => (
          <label key={category.id} className="picker-option" hidden={!visible.has(category.id)}>
            <input
              type="checkbox"
              name={name}
              value={category.id}
              checked={chosen.has(category.id)}
              disabled={full && !chosen.has(category.id)}
              onChange={(event) => toggle(category.id, event.target.checked)}
            />
            <span className="picker-text">
              <span className="topic-id">{category.id}</span> <span className="picker-name">{category.name}</span>
            </span>
          </label>
        ))}
      </div>
    </div>
  );
}
