// What a paper id looks like, and how to read one from text or from URL path segments (pure).

const NEW_STYLE_ID = /^\d{4}\.\d{4,5}$/;
const OLD_STYLE_ID = /^[a-z][a-z-]*(\.[A-Z]{2})?\/\d{7}$/;
const LOCAL_ID = /^local-[0-9a-f]{16}$/;

/** Strips a version suffix and an arxiv.org URL prefix: "https://arxiv.org/abs/2506.01234v2" -> "2506.01234". */
export function normalizeArxivId(raw: string): string | null {
  const trimmed = raw
    .trim()
    .replace(/^https?:\/\/(www\.|export\.)?arxiv\.org\/(abs|pdf)\//i, "")
    .replace(/^arxiv:/i, "")
    .replace(/\.pdf$/i, "")
    .replace(/v\d+$/, "");
  return NEW_STYLE_ID.test(trimmed) || OLD_STYLE_ID.test(trimmed) ? trimmed : null;
}

/** An id this site stores a paper under: an arXiv id without version, or local-<16 hex> for papers not on arXiv. */
export function isPaperId(id: string): boolean {
  return NEW_STYLE_ID.test(id) || OLD_STYLE_ID.test(id) || LOCAL_ID.test(id);
}

export function isArxivId(id: string): boolean {
  return NEW_STYLE_ID.test(id) || OLD_STYLE_ID.test(id);
}

/** A percent-encoded text decoded, or as it is when it is not valid encoding. */
export function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // already decoded, or a stray "%": compare it as it is
  }
}

/** The paper id URL path segments name (/papers/hep-th/9901001 -> "hep-th/9901001"; a versioned id names the paper too), or null. */
export function paperIdFromSegments(segments: string[]): string | null {
  const raw = segments.map(safeDecode).join("/");
  const id = normalizeArxivId(raw) ?? raw;
  return isPaperId(id) ? id : null;
}

/** This site's page of a paper; old-style ids keep their slash: /papers/hep-th/9901001. */
export function paperPath(id: string): string {
  return `/papers/${id.split("/").map(encodeURIComponent).join("/")}`;
}
