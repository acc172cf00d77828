// The names of what cached pages depend on. A page is stored under its tags (lib/http/cache-routes.ts);
// a write announces the tags it changed (lib/cache/notify.ts) and every web process drops those pages.
// Pure: no I/O, so writers, the page cache and tests all agree on the names.

/** Every ranking: trending pages, the feeds, the paper list of the API. Votes and new papers change it. */
export const TRENDING_TAG = "trending";
/** Every paper page and paper answer of the API (new sources, a reindex's similar papers). */
export const PAPERS_TAG = "papers";
/** The list of frozen digests. */
export const DIGESTS_TAG = "digests";

/** Tags are bounded: a longer id is cut, which can only make an invalidation wider, never narrower. */
const MAX_TAG_LENGTH = 200;

function bounded(tag: string): string {
  return tag.length > MAX_TAG_LENGTH ? tag.slice(0, MAX_TAG_LENGTH) : tag;
}

/** One paper's page and API answer. */
export function paperTag(paperId: string): string {
  return bounded(`paper:${paperId}`);
}

/** One digest's page (also its 404 before the digest is frozen). */
export function digestTag(date: string): string {
  return bounded(`digest:${date}`);
}

/** What new or changed papers invalidate (an ingest, a harvest, a reindex). */
export const PAPER_DATA_TAGS: readonly string[] = [TRENDING_TAG, PAPERS_TAG];

/** What a vote on one paper invalidates. */
export function voteTags(paperId: string): string[] {
  return [TRENDING_TAG, paperTag(paperId)];
}

/** What freezing (or deleting) one digest invalidates. */
export function digestFrozenTags(date: string): string[] {
  return [DIGESTS_TAG, digestTag(date)];
}
