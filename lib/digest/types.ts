// The shape of a frozen digest: what the mail and the web copy show, fixed when the digest is built.
import type { RankedPaper } from "@/lib/papers/types";

/**
 * A digest's content: the day (YYYY-MM-DD) and its papers in rank order, as they were when it was
 * frozen (a snapshot: later votes or edits do not change a sent digest).
 */
export type DigestContent = { date: string; papers: RankedPaper[] };
