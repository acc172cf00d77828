// Shows text with math already rendered on the server (lib/papers/math-html.ts): plain parts as React
// text (escaped), formulas as KaTeX's markup. No KaTeX here, so client components can use it.
import { Fragment } from "react";
import type { MathPart } from "@/lib/papers/math";

export function MathParts({ parts }: { parts: MathPart[] }) {
  return (
    <>
      {parts.map((part, index) => {
        if ("text" in part) return <Fragment key={index}>{part.text}</Fragment>;
        return (
          <span
            key={index}
            className={part.display ? "math math-display" : "math"}
            // A display formula may scroll sideways on a phone; focusable so keyboards can scroll it too.
            tabIndex={part.display ? 0 : undefined}
            // KaTeX's output is the only HTML this site injects; it escapes the TeX it is given.
            dangerouslySetInnerHTML={{ __html: part.html }}
          />
        );
      })}
    </>
  );
}
