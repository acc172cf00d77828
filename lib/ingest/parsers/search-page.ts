// Parses the text of a saved Hugging Face Papers search page: title line, abstract line, repeated.
import { createHash } from "node:crypto";
import { SEARCH_PAGE_HEADER_LINES } from "../detect";
import { candidate, LISTED_RANK, titleKey, type ParseEvent } from "../paper";
import type { Line } from "../read-lines";

/** The page has no ids, so a paper is named by its title: the same title always gets the same id. */
export function localPaperHash(title: string): string {
  return createHash("sha256").update(titleKey(title)).digest("hex").slice(0, 16);
}

/**
 * The page carries no ids, dates or authors: every paper is stamped as listed on `today` (the ingest
 * day) at the lowest listing rank, and one notice says so. Blank lines and the header are skipped;
 * the header's "Subscribe" button text is glued to the first title and is cut off.
 */
export async function* parseSearchPage(
  lines: AsyncIterable<Line> | Iterable<Line>,
  options: { fileName: string; today: string },
): AsyncGenerator<ParseEvent> {
  const { fileName, today } = options;
  // text null: the title line was too long and was rejected; its abstract is skipped with it.
  let pendingTitle: { text: string | null; lineNumber: number } | null = null;
  let seenContent = false;
  let papers = 0;

  for await (const line of lines) {
    const location = `${fileName}:${line.lineNumber}`;
    if (line.tooLong) {
      // The line still fills its slot in the title/abstract rhythm, so the pairing after it stays right.
      yield { kind: "reject", location, reason: `line is ${line.bytes} bytes, too long for a title or an abstract` };
      seenContent = true;
      pendingTitle = pendingTitle === null ? { text: null, lineNumber: line.lineNumber } : null;
      continue;
    }
    let text = line.text.trim();
    if (text === "" || SEARCH_PAGE_HEADER_LINES.includes(text)) continue;
    if (!seenContent) {
      seenContent = true;
      text = text.replace(/^Subscribe(?=\S)/, "");
      if (text === "Subscribe") continue;
    }
    if (pendingTitle === null) {
      pendingTitle = { text, lineNumber: line.lineNumber };
      continue;
    }
    if (pendingTitle.text === null) {
      pendingTitle = null;
      continue;
    }
    const hash = localPaperHash(pendingTitle.text);
    papers += 1;
    yield {
      kind: "record",
      location: `${fileName}:${pendingTitle.lineNumber}`,
      candidate: candidate({
        id: `local-${hash}`,
        title: pendingTitle.text,
        abstract: text,
        listedAt: today,
        listedRank: LISTED_RANK.stamped,
        source: "hf-search-page",
        externalId: hash,
      }),
    };
    pendingTitle = null;
  }

  if (pendingTitle?.text) {
    yield {
      kind: "reject",
      location: `${fileName}:${pendingTitle.lineNumber}`,
      reason: `title without an abstract at the end of the file: ${JSON.stringify(pendingTitle.text.slice(0, 200))}`,
    };
  }
  yield {
    kind: "notice",
    message: `${fileName}: no ids or dates in this format; ${papers} papers stamped as listed on ${today}`,
  };
}
