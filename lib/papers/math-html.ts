// Paper text with its LaTeX math rendered by KaTeX, as parts: plain text (for React to escape) and
// KaTeX's markup. Server code: KaTeX stays out of the browser's bundles, and a client component
// (a trending card) receives the parts ready to show.
import katex from "katex";
import { abstractPreview } from "./format";
import { type MathPart, splitMath, type TextSegment } from "./math";

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

/**
 * The parts of a title that has math (as MathML, every formula inline: a title is one line of a
 * link, where a display formula's own scrolling box and tab stop do not belong), or undefined for
 * plain text (the usual title: nothing to carry).
 */
export function mathPartsIfAny(text: string): MathPart[] | undefined {
  const parts = mathParts(text, "mathml", true);
  return parts.some((part) => "html" in part) ? parts : undefined;
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
  if (!segments.some((segment) => segment.kind === "math")) return { preview };
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
  return parts.some((part) => "html" in part) ? { preview, math: parts } : { preview };
}
