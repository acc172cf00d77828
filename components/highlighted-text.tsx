// Renders search highlights: runs alternate plain text and matches (in <mark>), as React text. No HTML
// is ever parsed.
import { Fragment } from "react";

export function HighlightedText({ runs }: { runs: string[] }) {
  return <>{runs.map((run, index) => (index % 2 === 1 ? <mark key={index}>{run}</mark> : run && <Fragment key={index}>{run}</Fragment>))}</>;
}
