// Text with LaTeX math: plain parts stay React text (escaped), math parts become KaTeX markup on the server.
import katex from "katex";
import { Fragment } from "react";
import { splitMath } from "@/lib/papers/math";

/**
 * Locked down because the TeX comes from untrusted abstracts: no \href/\url/\includegraphics
 * (trust: false), bounded sizes and macro expansion so a crafted formula cannot blow up a page.
 */
function renderTex(tex: string, displayMode: boolean): string | null {
  try {
    return katex.renderToString(tex, {
      throwOnError: false,
      trust: false,
      strict: "ignore",
      maxSize: 10,
      maxExpand: 1000,
      output: "htmlAndMathml",
      displayMode,
      // A CSS variable rather than KaTeX's fixed #cc0000, which is unreadable on the dark theme.
      errorColor: "var(--math-error)",
    });
  } catch {
    // throwOnError only covers parse errors; anything else falls back to the source as text.
    return null;
  }
}

export function MathText({ text }: { text: string }) {
  return (
    <>
      {splitMath(text).map((segment, index) => {
        if (segment.kind === "text") return <Fragment key={index}>{segment.text}</Fragment>;
        const html = renderTex(segment.tex, segment.display);
        if (html === null) return <Fragment key={index}>{segment.source}</Fragment>;
        return (
          <span
            key={index}
            className={segment.display ? "math math-display" : "math"}
            // A display formula may scroll sideways on a phone; focusable so keyboards can scroll it too.
            tabIndex={segment.display ? 0 : undefined}
            // KaTeX's output is the only HTML this site injects; it escapes the TeX it is given.
            dangerouslySetInnerHTML={{ __html: html }}
          />
        );
      })}
    </>
  );
}
