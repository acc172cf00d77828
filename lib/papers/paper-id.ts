// Reads a paper id from URL path segments (/papers/hep-th/9901001 -> "hep-th/9901001").
import { isPaperId, normalizeArxivId } from "@/lib/ingest/paper";

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // already decoded, or a stray "%": compare it as it is
  }
}

/** The paper id the segments name (a versioned id names the paper too), or null when they name none. */
export function paperIdFromSegments(segments: string[]): string | null {
  const raw = segments.map(safeDecode).join("/");
  const id = normalizeArxivId(raw) ?? raw;
  return isPaperId(id) ? id : null;
}
