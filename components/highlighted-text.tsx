// Renders search highlights: runs alternate plain text and matches (in <mark>), as React text. With
// `math` (made on the server, lib/papers/math-html.ts), formulas show as KaTeX's MathML, the only
// HTML injected; every other character stays React text.
import { Fragment } from "react";
import type { MarkedPart } from "@/lib/papers/math";

export function HighlightedText({ runs, math }: { runs: string[]; math?: MarkedPart[] }) {
  if (math) {
    return (
      <>
        {math.map((part, index) => {
          // KaTeX escapes the TeX it is given.
          const content = "html" in part ? <span className="math" dangerouslySetInnerHTML={{ __html: part.html }} /> : part.text;
          return part.marked ? <mark key={index}>{content}</mark> : <Fragment key={index}>{content}</Fragment>;
        })}
      </>
    );
  }
  return <>{runs.map((run, index) => (index % 2 === 1 ? <mark key={index}>{run}</mark> : run && <Fragment key={index}>{run}</Fragment>))}</>;
}
