// Text that is safe inside XML 1.0: characters XML cannot carry removed, markup characters escaped.

// XML 1.0 allows tab, LF, CR and U+0020 up (minus surrogates, U+FFFE and U+FFFF); with the `u` flag a
// surrogate in this class only matches when it is unpaired. DEL and the C1 controls are allowed but
// "discouraged" by the spec, and mean nothing in a title or abstract, so they go too.
const NOT_XML_TEXT = /[^\t\n\r\u0020-\u007E\u00A0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Drops characters an XML 1.0 document may not contain; parsers reject the whole feed otherwise. */
export function cleanText(value: string): string {
  return value.replace(NOT_XML_TEXT, "");
}

/** cleanText on one line: runs of whitespace (line breaks in titles) as one space. */
export function oneLine(value: string): string {
  return cleanText(value).replace(/\s+/g, " ").trim();
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

/** Escapes every XML special character, so the value is safe as element text and attribute values (no CDATA, so no `]]>` to split). */
export function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => ESCAPES[character]!);
}

/**
 * Plain text as an HTML fragment. RSS readers render `<description>` as HTML, so an abstract is
 * HTML-escaped first and XML-escaped after: a `<script>` in it reaches the reader as the text
 * "<script>", never as a tag.
 */
export function textToHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => (character === "'" ? "&#39;" : ESCAPES[character]!));
}
