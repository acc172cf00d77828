// The search page's category list is counted over every paper: each web process keeps it ten
// minutes and then refreshes it in the background, against real Postgres.
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { forgetSearchCategories, searchCategories } from "@/lib/papers/category-list";
import { listCategories } from "@/lib/papers/queries";
import { createAppDatabase, type TestDatabase } from "./test-db";

let database: TestDatabase;

beforeAll(async () => {
  database = await createAppDatabase(["hf-daily-papers"]);
  forgetSearchCategories();
});

afterAll(async () => {
  forgetSearchCategories();
  await database.drop();
});

it("serves the list it counted for ten minutes, then the same while one refresh brings the new one", async () => {
  let time = 1_000_000;
  const now = () => time;
  const first = await searchCategories(now);
  expect(first).toEqual(await listCategories());
  expect(first).not.toContain("q-bio.ZZ");

  // Many papers of a new category: it would come first in a fresh count.
  await database.pool.query(`UPDATE paper SET categories = categories || '{q-bio.ZZ}'`);
  time += 9 * 60_000;
  expect(await searchCategories(now)).toEqual(first);

  time += 60_000;
  // Stale: answered at once with what it has, while the count runs again.
  expect(await searchCategories(now)).toEqual(first);
  await vi.waitFor(async () => expect((await searchCategories(now))[0]).toBe("q-bio.ZZ"));
});
