// The categories the search page offers as filters, most used first. Counting them reads every
// paper (at 200,000 papers, 80 to 110 ms of Postgres a call), and they change only with an ingest,
// so each web process keeps the list for ten minutes and, once it is older, serves it while one
// refresh runs in the background. A failed refresh keeps the list it had.
import { listCategories } from "./queries";

const FRESH_MS = 10 * 60_000;

type Kept = { at: number; list: Promise<string[]>; refreshing: boolean };
let kept: Kept | undefined;

export function searchCategories(now: () => number = Date.now): Promise<string[]> {
  const current = kept;
  if (!current) {
    const list = listCategories();
    const entry: Kept = { at: now(), list, refreshing: false };
    kept = entry;
    // A first read that fails is not kept: the next page asks again.
    list.catch(() => {
      if (kept === entry) kept = undefined;
    });
    return list;
  }
  if (now() - current.at >= FRESH_MS && !current.refreshing) {
    current.refreshing = true;
    listCategories().then(
      (list) => {
        kept = { at: now(), list: Promise.resolve(list), refreshing: false };
      },
      () => {
        current.refreshing = false;
      },
    );
  }
  return current.list;
}

/** Forgets the kept list (tests). */
export function forgetSearchCategories(): void {
  kept = undefined;
}
