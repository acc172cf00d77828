// Splits paper text into plain and LaTeX math segments, so only the math goes through KaTeX.

export type TextSegment =
  | { kind: "text"; text: string }
  /** `source` is the math as written, delimiters included: shown as text if KaTeX cannot render it. */
  | { kind: "math"; tex: string; display: boolean; source: string };

/** Text as a page shows it: plain text, or a formula already rendered as KaTeX markup (lib/papers/math-html.ts). */
export type MathPart = { text: string } | { html: string; display: boolean };

/** Highlighted text with math: a run of text (marked: it matched the search), or a formula as MathML (marked when any of it matched). */
export type MarkedPart = { text: string; marked: boolean } | { html: string; marked: boolean };

/** A segment and where it stands in the input: `input.slice(start, end)` is it as written (a text's `\$` included). */
export type PlacedSegment = TextSegment & { start: number; end: number };

type Closing = { end: number; after: number };

/**
 * Recognises `$...$`, `$$...$$`, `\(...\)` and `\[...\]`. `\$` is a literal dollar. A delimiter
 * without its partner stays plain text, so a stray `$` never swallows the rest of an abstract.
 *
 * A single `$` follows Pandoc's rule, because abstracts also talk about money: it opens only
 * before a non-space and closes only after a non-space and not before a digit ("$5 and $10" is
 * text, "$x$" is math). Stricter than Pandoc, the next bare `$` must be that closer.
 */
export function splitMath(input: string): TextSegment[] {
  return placedMath(input).map((placed): TextSegment => (placed.kind === "text" ? { kind: "text", text: placed.text } : { kind: "math", tex: placed.tex, display: placed.display, source: placed.source }));
}

/** splitMath's segments with their places in the input (highlights are placed by position). */
export function placedMath(input: string): PlacedSegment[] {
  const segments: PlacedSegment[] = [];
  let text = "";
  let textStart = 0;
  const pushText = (value: string, at: number) => {
    if (text === "") textStart = at;
    text += value;
  };
  const pushMath = (tex: string, display: boolean, source: string, start: number) => {
    if (tex.trim() === "") return pushText(source, start);
    if (text) segments.push({ kind: "text", text, start: textStart, end: start });
    text = "";
    segments.push({ kind: "math", tex, display, source, start, end: start + source.length });
  };

  let i = 0;
  while (i < input.length) {
    const char = input[i];
    const next = input[i + 1];
    if (char === "\\") {
      if (next === "$") {
        pushText("$", i);
        i += 2;
        continue;
      }
      if (next === "(" || next === "[") {
        const closer = next === "(" ? "\\)" : "\\]";
        const closing = findCommandClose(input, i + 2, closer);
        if (closing) {
          pushMath(input.slice(i + 2, closing.end), next === "[", input.slice(i, closing.after), i);
          i = closing.after;
          continue;
        }
      }
      // Any other escape (including `\\`) is kept as written; skipping both characters keeps
      // `\\(` from being read as an opening delimiter, as TeX would read it.
      pushText(input.slice(i, i + 2), i);
      i += 2;
      continue;
    }
    if (char === "$" && next === "$") {
      const closing = findDisplayDollarClose(input, i + 2);
      if (closing) {
        pushMath(input.slice(i + 2, closing.end), true, input.slice(i, closing.after), i);
        i = closing.after;
      } else {
        pushText("$$", i);
        i += 2;
      }
      continue;
    }
    if (char === "$") {
      const closing = next !== undefined && !/\s/.test(next) ? findInlineDollarClose(input, i + 1) : null;
      if (closing) {
        pushMath(input.slice(i + 1, closing.end), false, input.slice(i, closing.after), i);
        i = closing.after;
      } else {
        pushText("$", i);
        i += 1;
      }
      continue;
    }
    pushText(char ?? "", i);
    i += 1;
  }
  if (text) segments.push({ kind: "text", text, start: textStart, end: input.length });
  return segments;
}

// Inside math, `\x` is one TeX token: `\$` does not close `$...$`, and `\\)` is a line break then `)`.
function findCommandClose(input: string, from: number, closer: "\\)" | "\\]"): Closing | null {
  for (let j = from; j < input.length; j += 1) {
    if (input[j] !== "\\") continue;
    if (input.startsWith(closer, j)) return { end: j, after: j + 2 };
    j += 1;
  }
  return null;
}

function findDisplayDollarClose(input: string, from: number): Closing | null {
  for (let j = from; j < input.length; j += 1) {
    if (input[j] === "\\") {
      j += 1;
      continue;
    }
    if (input[j] === "$" && input[j + 1] === "$") return { end: j, after: j + 2 };
  }
  return null;
}

function findInlineDollarClose(input: string, from: number): Closing | null {
  for (let j = from; j < input.length; j += 1) {
    if (input[j] === "\\") {
      j += 1;
      continue;
    }
    if (input[j] !== "$") continue;
    // The first unescaped `$` decides: inline math holds no bare `$`, so a price such as
    // "$5 budget and $x$" cannot turn "5 budget and " into math.
    const before = input[j - 1] ?? "";
    const after = input[j + 1] ?? "";
    return !/\s/.test(before) && !/\d/.test(after) ? { end: j, after: j + 1 } : null;
  }
  return null;
}
