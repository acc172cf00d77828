// Splits a byte stream into numbered lines with a hard cap on how much of one line is held in memory.

export const DEFAULT_MAX_LINE_BYTES = 4 * 1024 * 1024;

export type Line =
  | { lineNumber: number; text: string; tooLong?: undefined }
  | { lineNumber: number; tooLong: true; bytes: number; text?: undefined };

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/**
 * Yields every line of `source` (1-based numbers, "\n" or "\r\n" endings, a last line without one).
 * We split on the byte 0x0A before decoding so a UTF-8 character split across chunks is decoded whole.
 * A line longer than `maxLineBytes` is counted but not kept, so a 50 MB line costs at most the cap.
 */
export async function* readLines(
  source: AsyncIterable<Uint8Array>,
  options: { maxLineBytes?: number } = {},
): AsyncGenerator<Line> {
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  // fatal: false turns invalid bytes into U+FFFD; the default ignoreBOM: false drops a leading BOM.
  const decoder = new TextDecoder("utf-8");
  let pieces: Uint8Array[] = [];
  let pendingBytes = 0;
  let discarding = false;
  let lastByte = -1;
  let lineNumber = 0;

  const finishLine = (): Line => {
    lineNumber += 1;
    const endsWithCr = lastByte === CARRIAGE_RETURN;
    const contentBytes = pendingBytes - (endsWithCr ? 1 : 0);
    let line: Line;
    if (discarding || contentBytes > maxLineBytes) {
      line = { lineNumber, tooLong: true, bytes: contentBytes };
    } else {
      const whole = pieces.length === 1 && pieces[0] ? pieces[0] : concat(pieces, pendingBytes);
      line = { lineNumber, text: decoder.decode(whole.subarray(0, contentBytes)) };
    }
    pieces = [];
    pendingBytes = 0;
    discarding = false;
    lastByte = -1;
    return line;
  };

  /** `copy`: the part outlives this chunk, and the source may reuse its buffer; a copy also frees the chunk. */
  const append = (part: Uint8Array, copy: boolean): void => {
    if (part.length === 0) return;
    pendingBytes += part.length;
    lastByte = part[part.length - 1] ?? -1;
    // One byte of slack for a trailing "\r", which is not part of the line's content.
    if (pendingBytes > maxLineBytes + 1) {
      discarding = true;
      pieces = [];
    }
    if (!discarding) pieces.push(copy ? new Uint8Array(part) : part);
  };

  for await (const chunk of source) {
    let start = 0;
    let newline = chunk.indexOf(NEWLINE, start);
    while (newline !== -1) {
      append(chunk.subarray(start, newline), false);
      yield finishLine();
      start = newline + 1;
      newline = chunk.indexOf(NEWLINE, start);
    }
    append(chunk.subarray(start), true);
  }
  if (pendingBytes > 0) yield finishLine();
}

function concat(pieces: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let offset = 0;
  for (const piece of pieces) {
    out.set(piece, offset);
    offset += piece.length;
  }
  return out;
}
