// Lenient readers for fields of untrusted source records, shared by the parsers.

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A non-blank string, else null. */
export function text(value: unknown): string | null {
  return typeof value === "string" && value.trim() !== "" ? value : null;
}

/** Hard line breaks and runs of spaces (arXiv wraps titles and abstracts) become one space. */
export function collapse(value: string): string {
  // Only runs of whitespace and non-space whitespace match, so ordinary spaces cost nothing.
  return value.replace(/\s{2,}|[^\S ]/g, " ").trim();
}

/** null when absent, "invalid" when present but not a date, else an ISO instant. RFC 2822 parses natively. */
export function toInstant(value: unknown): string | null | "invalid" {
  if (value === undefined || value === null || value === "") return null;
  if (typeof value !== "string") return "invalid";
  const time = Date.parse(value);
  return Number.isNaN(time) ? "invalid" : new Date(time).toISOString();
}
