// Renders search highlights: each run is React text, matched runs inside <mark>. No HTML is ever parsed.
import type { Segment } from "@/lib/search/document";

export function HighlightedText({ segments }: { segments: Segment[] }) {
  return (
    <>
      {segments.map((segment, index) => (segment.highlight ? <mark key={index}>{segment.text}</mark> : <span key={index}>{segment.text}</span>))}
    </>
  );
}
