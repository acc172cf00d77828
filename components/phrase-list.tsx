"use client";
// A list of short texts to add and remove (followed keywords, authors): one input, one Add button,
// Enter adds too. Entries are trimmed, kept once whatever their case, and bounded in length and number.
import { useId, useState } from "react";

type Props = {
  label: string;
  items: string[];
  onChange: (next: string[]) => void;
  max: number;
  maxLength: number;
  placeholder: string;
  errorId?: string;
};

export function PhraseList({ label, items, onChange, max, maxLength, placeholder, errorId }: Props) {
  const id = useId();
  const [draft, setDraft] = useState("");
  const [note, setNote] = useState("");
  const full = items.length >= max;

  const add = () => {
    const value = draft.replace(/\s+/g, " ").trim();
    if (!value) return;
    if (items.some((item) => item.toLowerCase() === value.toLowerCase())) setNote(`“${value}” is already in the list.`);
    else if (full) setNote(`That is the most this list holds (${max}).`);
    else {
      onChange([...items, value]);
      setNote("");
    }
    setDraft("");
  };

  return (
    <div className="phrase-field">
      <label className="digest-label" htmlFor={`${id}-input`}>
        {label}
      </label>
      {items.length > 0 && (
        <ul className="picker-chips" aria-label={label}>
          {items.map((item) => (
            <li key={item.toLowerCase()} className="picker-chip">
              <span>{item}</span>
              <button type="button" aria-label={`Remove ${item}`} onClick={() => onChange(items.filter((other) => other !== item))}>
                <span aria-hidden="true">×</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="phrase-add">
        <input
          id={`${id}-input`}
          type="text"
          value={draft}
          maxLength={maxLength}
          placeholder={placeholder}
          autoComplete="off"
          disabled={full}
          aria-describedby={[`${id}-note`, errorId].filter(Boolean).join(" ")}
          onChange={(event) => setDraft(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === "Enter") {
              event.preventDefault();
              add();
            }
          }}
        />
        <button className="button" type="button" aria-label={`Add to ${label}`} onClick={add} disabled={full || !draft.trim()}>
          Add
        </button>
      </div>
      <p id={`${id}-note`} className="digest-hint" aria-live="polite">
        {full ? `That is the most this list holds (${max}).` : note}
      </p>
    </div>
  );
}
