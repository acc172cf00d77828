// Renders search highlights: runs alternate plain text and matches (in <mark>), as React text. With
// `math` (made on the server, lib/papers/math-html.ts), formulas show as MathParts shows them; every
// other character stays React text.
import { Fragment } from "react";
import { MathParts } from "@/components/math-parts";
import type { MarkedPart } from "@/lib/papers/math";

export function HighlightedText({ runs, math }: { runs: string[]; math?: MarkedPart[] }) {
  if (math) {
    return (
      <>
        {math.map((part, index) => {
          const content = <MathParts parts={["html" in part ? { html: part.html, display: false } : { text: part.text }]} />;
          return part.marked ? <mark key={index}>{content}</mark> : <Fragment key={index}>{content}</Fragment>;
        })}
      </>
    );
  }
  return <>{runs.map((run, index) => (index % 2 === 1 ? <mark key={index}>{run}</mark> : run && <Fragment key={index}>{run}</Fragment>))}</>;
}
