// Encodes staged rows as lines of Postgres COPY's text format (pure), for the bulk path's staging table.
import type { StagedRow } from "./merge";

const SPECIAL = /[\\\t\n\r]/;
const SPECIAL_ALL = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

/** One field: backslash, tab, newline and carriage return escaped; null is `\N`. */
export function copyField(value: string | null): string {
  if (value === null) return "\\N";
  return SPECIAL.test(value) ? value.replace(SPECIAL_ALL, (char) => ESCAPES[char]!) : value;
}

/** A text[] literal: every element quoted, so commas, braces, spaces and "NULL" stay text. */
export function arrayLiteral(values: string[]): string {
  return `{${values.map((value) => `"${value.replace(/[\\"]/g, (char) => `\\${char}`)}"`).join(",")}}`;
}

function fieldText(value: StagedRow[string]): string | null {
  if (value === null) return null;
  if (Array.isArray(value)) return arrayLiteral(value);
  if (typeof value === "boolean") return value ? "t" : "f";
  return String(value);
}

/**
 * One line for `COPY <stage> (seq, <fields>) FROM STDIN`: `seq` (the record's place in the run,
 * which orders merges of the same paper) then each of `fields` of the row, in that order.
 */
export function copyLine(seq: number, row: StagedRow, fields: readonly string[]): string {
  let line = String(seq);
  for (const field of fields) line += `\t${copyField(fieldText(row[field] ?? null))}`;
  return `${line}\n`;
}

/** Postgres text cannot hold U+0000; COPY would fail the whole load on it, so such records are refused first. */
export function hasNul(row: StagedRow): boolean {
  for (const value of Object.values(row)) {
    if (typeof value === "string" ? value.includes("\0") : Array.isArray(value) && value.some((item) => item.includes("\0"))) return true;
  }
  return false;
}
