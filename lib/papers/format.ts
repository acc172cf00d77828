// How pages word dates, windows, counts and author lists (pure, UTC, en-US).
import { parseDay } from "@/lib/time";

// Days are calendar days in UTC; formatting in the server's zone would shift them by one.
const fullDay = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", year: "numeric", month: "long", day: "numeric" });
const shortDay = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", year: "numeric", month: "short", day: "numeric" });
const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

/** "2026-06-16" -> "June 16, 2026". */
export function formatDay(day: string): string {
  return fullDay.format(parseDay(day));
}

/** "2026-06-16" -> "Jun 16, 2026", for dense places such as cards. */
export function formatShortDay(day: string): string {
  return shortDay.format(parseDay(day));
}

/**
 * A window [from, to] as a heading: "June 16, 2026", "June 10 – 16, 2026",
 * "May 18 – June 16, 2026" or "December 28, 2025 – January 3, 2026".
 */
export function formatWindow(from: string, to: string): string {
  if (from === to) return formatDay(to);
  const [fromYear, fromMonth] = from.split("-");
  const [toYear, toMonth] = to.split("-");
  const start = parseDay(from);
  if (fromYear !== toYear) return `${formatDay(from)} – ${formatDay(to)}`;
  const month = (date: Date) => date.toLocaleString("en-US", { timeZone: "UTC", month: "long" });
  const day = (date: Date) => date.getUTCDate();
  const end = parseDay(to);
  if (fromMonth === toMonth) return `${month(start)} ${day(start)} – ${day(end)}, ${toYear}`;
  return `${month(start)} ${day(start)} – ${month(end)} ${day(end)}, ${toYear}`;
}

/** 1234 -> "1.2K": star counts on cards. */
export function formatCompact(value: number): string {
  return compact.format(value);
}

/** "1 paper", "34 papers". */
export function pluralize(count: number, noun: string): string {
  return `${count.toLocaleString("en-US")} ${noun}${count === 1 ? "" : "s"}`;
}

/** The first `shown` names and how many more there are; "+1" would hide as much as it saves, so then all are shown. */
export function shortAuthors(authors: string[], shown = 4): { names: string[]; more: number } {
  if (authors.length <= shown + 1) return { names: authors, more: 0 };
  return { names: authors.slice(0, shown), more: authors.length - shown };
}

/**
 * The start of an abstract for a card, cut at a word near `max` characters with "…": a card shows
 * three lines of it, so the rest would only weigh down the page (twice: in the HTML and in React's
 * payload). The paper page shows all of it.
 */
export function abstractPreview(text: string, max = 320): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(" ");
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:.–—-]+$/, "")}…`;
}
