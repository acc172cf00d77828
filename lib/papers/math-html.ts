// Paper text with its LaTeX math rendered by KaTeX, as parts: plain text (for React to escape) and
// KaTeX's markup. Server code: KaTeX stays out of the browser's bundles, and a client component
// (a trending card) receives the parts ready to show.
import katex from "katex";
import { abstractPreview } from "./format";
import { type MarkedPart, type MathPart, type PlacedSegment, placedMath, splitMath, type TextSegment } from "./math";

/**
 * Locked down because the TeX comes from untrusted abstracts: no \href/\url/\includegraphics
 * (trust: false), bounded sizes and macro expansion so a crafted formula cannot blow up a page.
 */
function renderTex(tex: string, displayMode: boolean, output: "htmlAndMathml" | "mathml" = "htmlAndMathml"): string | null {
  try {
    return katex.renderToString(tex, {
      throwOnError: false,
      trust: false,
      strict: "ignore",
      maxSize: 10,
      maxExpand: 1000,
      output,
      displayMode,
      // A CSS variable rather than KaTeX's fixed #cc0000, which is unreadable on the dark theme.
      errorColor: "var(--math-error)",
    });
  } catch {
    // throwOnError only covers parse errors; anything else falls back to the source as text.
    return null;
  }
}

/** One segment as a part: a formula KaTeX cannot render stays text, as written. */
function partOf(segment: TextSegment, output: "htmlAndMathml" | "mathml", inline: boolean): MathPart {
  if (segment.kind === "text") return { text: segment.text };
  const display = segment.display && !inline;
  const html = renderTex(segment.tex, display, output);
  return html === null ? { text: segment.source } : { html, display };
}

/**
 * The text as parts; a formula KaTeX cannot render stays text, as written. `mathml` output needs
 * no KaTeX stylesheet (browsers lay out MathML themselves) and is a fraction of the size: for
 * titles in lists; the paper page uses KaTeX's own layout.
 */
export function mathParts(text: string, output: "htmlAndMathml" | "mathml" = "htmlAndMathml", inline = false): MathPart[] {
  return splitMath(text).map((segment) => partOf(segment, output, inline));
}

/** An escaped dollar (`\$`), which the parts show as "$": text with one is shown from its parts, math or not. */
const ESCAPE = /\\\$/;

/**
 * The parts of a title that has math (as MathML, every formula inline: a title is one line of a
 * link, where a display formula's own scrolling box and tab stop do not belong), or undefined for
 * plain text (the usual title: nothing to carry).
 */
export function mathPartsIfAny(text: string): MathPart[] | undefined {
  const parts = mathParts(text, "mathml", true);
  return parts.some((part) => "html" in part) || ESCAPE.test(text) ? parts : undefined;
}

/**
 * A card's abstract preview (at most `max` characters of the abstract as written, as
 * abstractPreview cuts it) and, when that much of it has math, the same preview as parts: whole
 * formulas only (one the cut would split is left out, with the rest), set inline as MathML.
 */
export function previewWithMath(abstract: string, max = 320): { preview: string; math?: MathPart[] } {
  const flat = abstract.replace(/\s+/g, " ").trim();
  const preview = abstractPreview(flat, max);
  const segments = splitMath(flat);
  if (!segments.some((segment) => segment.kind === "math") && !ESCAPE.test(preview)) return { preview };
  const parts: MathPart[] = [];
  let used = 0;
  for (const segment of segments) {
    const length = segment.kind === "text" ? segment.text.length : segment.source.length;
    if (used + length <= max) {
      parts.push(partOf(segment, "mathml", true));
      used += length;
      continue;
    }
    // The cut: the words of a text that fit, then the ellipsis; a formula that does not fit is left out.
    const room = max - used;
    // (abstractPreview trims: the space after the formula before it is put back.)
    const head = segment.kind === "text" && room > 0 ? `${/^\s/.test(segment.text) ? " " : ""}${abstractPreview(segment.text, room).replace(/…$/, "")}` : "";
    parts.push({ text: `${head.trimEnd()}…` });
    break;
  }
  return parts.some((part) => "html" in part) || ESCAPE.test(preview) ? { preview, math: parts } : { preview };
}

// A crop ("…" at an end of an excerpt) can cut a formula in two: what is left of it reads as TeX
// source. Past the last whole formula, an opening delimiter (a lone `$` before a digit is a price)
// starts such a piece; before the first, a closing one ends it (an escaped `\$` is neither). Only a
// piece that looks like TeX (a command, a sub- or superscript, a brace) and holds no match goes:
// "US$ 20", "$HOME" and a highlighted word stay.
const CUT_OPENING = /(?<!\\)\$\$|\\\(|\\\[|(?<!\\)\$(?=[^\s\d$])/;
const CUT_CLOSING = /(?<!\\)\$\$|\\\)|\\\]|(?<=[^\s\\])\$(?!\d)/;
const TEX_LIKE = /\\[A-Za-z]|[\^_{}]/;

/** Whether any character of a stretch of a text matched. */
type Marks = { anyIn(start: number, end: number): boolean };

/** Where the piece of a formula a crop cut off ends at the start of `text`, and starts at its end (-1: none). */
function cutFormulas(text: string, segments: PlacedSegment[], marks: Marks): { head: number; tail: number } {
  const removable = (start: number, end: number, piece: string) => TEX_LIKE.test(piece) && !marks.anyIn(start, end);
  const first = segments[0];
  const last = segments.at(-1);
  let head = -1;
  if (text.startsWith("…") && first?.kind === "text") {
    const written = text.slice(first.start, first.end);
    const closing = CUT_CLOSING.exec(written);
    // Nothing that opens a formula before it: the formula began before the crop.
    if (closing && !CUT_OPENING.test(written.slice(0, closing.index))) {
      const end = closing.index + closing[0].length;
      if (removable(0, end, written.slice(1, closing.index))) head = end;
    }
  }
  let tail = -1;
  if (text.endsWith("…") && last?.kind === "text") {
    // Looked for after the cut piece at the start, when the two are in one stretch of text.
    const start = Math.max(last.start, head);
    const opening = CUT_OPENING.exec(text.slice(start));
    if (opening && removable(start + opening.index, text.length, text.slice(start + opening.index + opening[0].length, -1))) tail = start + opening.index;
  }
  return { head, tail };
}

/**
 * Highlighted text (runs alternating plain and matched, starting with plain) with its whole
 * formulas set inline as MathML, or undefined when it has neither math nor an escaped dollar (the
 * runs say it all). In an excerpt (`cropped`), what the crop left of a formula at either end gives
 * way to its "…".
 */
export function markedMath(runs: string[], options: { cropped?: boolean } = {}): MarkedPart[] | undefined {
  const joined = runs.join("");
  const segments = placedMath(joined);
  // Which characters of the joined text matched.
  const matched = new Uint8Array(joined.length);
  let at = 0;
  for (const [index, run] of runs.entries()) {
    if (index % 2 === 1) matched.fill(1, at, at + run.length);
    at += run.length;
  }
  const marks: Marks = { anyIn: (start, end) => matched.subarray(start, end).includes(1) };
  const { head, tail } = options.cropped ? cutFormulas(joined, segments, marks) : { head: -1, tail: -1 };
  if (head < 0 && tail < 0 && !segments.some((segment) => segment.kind === "math") && !ESCAPE.test(joined)) return undefined;
  const parts: MarkedPart[] = [];
  const append = (text: string, marked: boolean) => {
    const last = parts.at(-1);
    if (last && "text" in last && last.marked === marked) last.text += text;
    else parts.push({ text, marked });
  };
  // The text from `from` to `to` as written, each escape pair kept but `\$`, which shows as "$".
  const pushText = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const pair = joined[i] === "\\" && i + 1 < to ? joined.slice(i, i + 2) : undefined;
      append(pair === "\\$" ? "$" : (pair ?? joined[i]!), marks.anyIn(i, i + (pair ? 2 : 1)));
      if (pair) i++;
    }
  };
  if (head >= 0) parts.push({ text: "…", marked: false });
  for (const segment of segments) {
    if (segment.kind === "text") {
      // Only the text between the cut pieces.
      const start = Math.max(segment.start, head);
      const end = tail >= 0 ? Math.min(segment.end, tail) : segment.end;
      if (end > start) pushText(start, end);
      continue;
    }
    const html = renderTex(segment.tex, false, "mathml");
    if (html === null) pushText(segment.start, segment.end);
    else parts.push({ html, marked: marks.anyIn(segment.start, segment.end) });
  }
  if (tail >= 0) {
    const last = parts.at(-1);
    if (last && "text" in last && !last.marked) last.text = `${last.text.trimEnd()}…`;
    else parts.push({ text: "…", marked: false });
  }
  return parts;
}
