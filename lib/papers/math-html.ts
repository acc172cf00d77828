// Paper text with its LaTeX math rendered by KaTeX, as parts: plain text (for React to escape) and
// KaTeX's markup. Server code: KaTeX stays out of the browser's bundles, and a client component
// (a trending card) receives the parts ready to show.
import katex from "katex";
import { abstractPreview } from "./format";
import { type MarkedPart, type MathPart, splitMath, type TextSegment } from "./math";

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
  if (!segments.some((segment) => segment.kind === "math") && !ESCAPE.test(flat)) return { preview };
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
  return parts.some((part) => "html" in part) || ESCAPE.test(flat) ? { preview, math: parts } : { preview };
}

// `\$` (a literal dollar) stands as two of these while the text is split, so that every segment
// keeps the length it has in the text and the highlights stay where they were.
const ESCAPED_DOLLAR = "\uE002\uE002";

// A crop ("…" at an end of an excerpt) can cut a formula in two: what is left of it reads as TeX
// source. Past the last whole formula, an opening delimiter (a lone `$` before a digit is a price)
// starts such a piece; before the first, a closing one ends it. Only a piece that looks like TeX
// (a command, a sub- or superscript, a brace) and holds no match goes: "US$ 20", "$HOME" and a
// highlighted word stay.
const CUT_OPENING = /\$\$|\\\(|\\\[|\$(?=[^\s\d$])/;
const CUT_CLOSING = /\$\$|\\\)|\\\]|(?<=\S)\$(?!\d)/;
const TEX_LIKE = /\\[A-Za-z]|[\^_{}]/;

type Span = [start: number, end: number];

/** Where the piece of a formula a crop cut off ends at the start of `text`, and starts at its end (-1: none). */
function cutFormulas(text: string, segments: TextSegment[], marks: Span[]): { head: number; tail: number } {
  const removable = (start: number, end: number, piece: string) => TEX_LIKE.test(piece) && !marks.some(([from, to]) => from < end && to > start);
  const first = segments[0];
  const last = segments.at(-1);
  let head = -1;
  if (text.startsWith("…") && first?.kind === "text") {
    const closing = CUT_CLOSING.exec(first.text);
    // Nothing that opens a formula before it: the formula began before the crop.
    if (closing && !CUT_OPENING.test(first.text.slice(0, closing.index))) {
      const end = closing.index + closing[0].length;
      if (removable(0, end, first.text.slice(1, closing.index))) head = end;
    }
  }
  let tail = -1;
  if (text.endsWith("…") && last?.kind === "text") {
    // Looked for after the cut piece at the start, when the two are in one stretch of text.
    const start = Math.max(text.length - last.text.length, head);
    const opening = CUT_OPENING.exec(text.slice(start));
    if (opening && removable(start + opening.index, text.length, text.slice(start + opening.index + opening[0].length, -1))) tail = start + opening.index;
  }
  return { head, tail };
}

/**
 * Highlighted text (runs alternating plain and matched, starting with plain) with its whole
 * formulas set inline as MathML, or undefined when it has none (the runs say it all). In an
 * excerpt (`cropped`), what the crop left of a formula at either end gives way to its "…".
 */
export function markedMath(runs: string[], options: { cropped?: boolean } = {}): MarkedPart[] | undefined {
  // Escapes pair up from the left, as splitMath reads them: in `\\$` the dollar is bare.
  const joined = runs
    .join("")
    .replace(/\uE002/g, "\uFFFD")
    .replace(/\\[\s\S]/g, (escape) => (escape === "\\$" ? ESCAPED_DOLLAR : escape));
  const segments = splitMath(joined);
  // Where each matched run starts and ends in the joined text.
  const marks: Span[] = [];
  let at = 0;
  for (const [index, run] of runs.entries()) {
    if (index % 2 === 1 && run) marks.push([at, at + run.length]);
    at += run.length;
  }
  const { head, tail } = options.cropped ? cutFormulas(joined, segments, marks) : { head: -1, tail: -1 };
  if (head < 0 && tail < 0 && !segments.some((segment) => segment.kind === "math") && !joined.includes(ESCAPED_DOLLAR)) return undefined;
  const parts: MarkedPart[] = [];
  const pushText = (text: string, from: number) => {
    for (let i = 0; i < text.length; i++) {
      const marked = marks.some(([start, end]) => from + i >= start && from + i < end);
      // An escaped dollar shows as one "$".
      const char = text[i] === "\uE002" ? "$" : text[i]!;
      if (char === "$" && text[i] === "\uE002") i++;
      const last = parts.at(-1);
      if (last && "text" in last && last.marked === marked) last.text += char;
      else parts.push({ text: char, marked });
    }
  };
  if (head >= 0) parts.push({ text: "…", marked: false });
  let offset = 0;
  for (const segment of segments) {
    let source = segment.kind === "math" ? segment.source : segment.text;
    let from = offset;
    offset += source.length;
    if (segment.kind === "text") {
      // Only the text between the cut pieces.
      const start = Math.max(from, head);
      const end = tail >= 0 ? Math.min(offset, tail) : offset;
      if (end <= start) continue;
      source = joined.slice(start, end);
      from = start;
      pushText(source, from);
      continue;
    }
    const html = renderTex(segment.tex.replaceAll(ESCAPED_DOLLAR, "\\$"), false, "mathml");
    if (html === null) pushText(source, from);
    else parts.push({ html, marked: marks.some(([start, end]) => start < offset && end > from) });
  }
  if (tail >= 0) {
    const last = parts.at(-1);
    if (last && "text" in last && !last.marked) last.text = `${last.text.trimEnd()}…`;
    else parts.push({ text: "…", marked: false });
  }
  return parts;
}
