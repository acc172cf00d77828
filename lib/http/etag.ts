// Conditional requests, the one way the page cache and the API routes both answer them (pure).

/** If-None-Match compares weakly (RFC 9110, 13.1.2): a W/ prefix is ignored on both sides and * matches any body. */
export function matchesEtag(header: string | null | undefined, etag: string): boolean {
  if (!header) return false;
  const bare = etag.replace(/^W\//, "");
  return header
    .split(",")
    .map((tag) => tag.trim().replace(/^W\//, ""))
    .some((tag) => tag === "*" || tag === bare);
}
