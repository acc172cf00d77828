// The home page against the fixtures: HF daily papers of 2026-05-01, 05-21, 06-10 and 06-16, plus
// tests/fixtures/e2e (two papers featured 2026-06-12 and one old-style id from 1999).
import { expect, test, type Page } from "@playwright/test";

const cards = (page: Page) => page.locator(".paper-list > li");
const windowTitle = (page: Page) => page.locator(".window-title");
const windowCount = (page: Page) => page.locator(".window-count");

test("shows the trending papers of the latest day", async ({ page }) => {
  const response = await page.goto("/");
  expect(response?.status()).toBe(200);
  await expect(windowTitle(page)).toHaveText("June 16, 2026");
  await expect(windowCount(page)).toHaveText("33 papers");
  await expect(cards(page)).toHaveCount(30);
  await expect(page.getByRole("link", { name: "Day", exact: true })).toHaveAttribute("aria-current", "page");

  const first = cards(page).first();
  await expect(first.locator(".rank")).toHaveText("Rank #1");
  await expect(first.locator(".card-title a")).toHaveAttribute("href", /^\/papers\/\d{4}\.\d{4,5}$/);
  await expect(first.locator(".votes-count")).toHaveText(/^\d[\d,]*$/);
  // The disclosure explains the rank with the documented formula.
  await first.getByText("Why #1?").click();
  await expect(first.locator(".why p")).toHaveText(/votes? .*= \d+\.\d$/);
});

test("cards link to their paper page", async ({ page }) => {
  await page.goto("/");
  const link = cards(page).first().locator(".card-title a");
  const title = (await link.textContent()) ?? "";
  await link.click();
  await expect(page).toHaveURL(/\/papers\/\d{4}\.\d{4,5}$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
});

test("the Day / Week / Month tabs change the window, its heading and the list", async ({ page }) => {
  await page.goto("/");
  const dayTitles = await cards(page).locator(".card-title").allTextContents();

  await page.getByRole("link", { name: "Week", exact: true }).click();
  await expect(page).toHaveURL(/\/\?period=week$/);
  await expect(windowTitle(page)).toHaveText("June 10 – 16, 2026");
  await expect(windowCount(page)).toHaveText("70 papers");
  await expect(page.getByRole("link", { name: "Week", exact: true })).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("link", { name: "Day", exact: true })).not.toHaveAttribute("aria-current", "page");
  expect(await cards(page).locator(".card-title").allTextContents()).not.toEqual(dayTitles);

  await page.getByRole("link", { name: "Month", exact: true }).click();
  await expect(page).toHaveURL(/\/\?period=month$/);
  await expect(windowTitle(page)).toHaveText("May 18 – June 16, 2026");
  await expect(windowCount(page)).toHaveText("102 papers");

  await page.getByRole("link", { name: "Day", exact: true }).click();
  await expect(windowTitle(page)).toHaveText("June 16, 2026");
});

test("tabs keep a date the reader chose", async ({ page }) => {
  await page.goto("/?date=2026-06-12");
  await expect(page.getByRole("link", { name: "Week", exact: true })).toHaveAttribute("href", "/?period=week&date=2026-06-12");
  await page.getByRole("link", { name: "Week", exact: true }).click();
  await expect(windowTitle(page)).toHaveText("June 6 – 12, 2026");
});

test("previous and next step through days with papers, and stop at the edges", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("link", { name: /Next day/ })).toHaveCount(0);

  await page.getByRole("link", { name: /Previous day/ }).click();
  await expect(page).toHaveURL(/date=2026-06-12/);
  await expect(windowTitle(page)).toHaveText("June 12, 2026");
  await expect(windowCount(page)).toHaveText("2 papers");

  await page.getByRole("link", { name: /Previous day/ }).click();
  await expect(windowTitle(page)).toHaveText("June 10, 2026");

  await page.getByRole("link", { name: /Next day/ }).click();
  await expect(windowTitle(page)).toHaveText("June 12, 2026");
  await page.getByRole("link", { name: /Next day/ }).click();
  await expect(windowTitle(page)).toHaveText("June 16, 2026");
  await expect(page.getByRole("link", { name: /Next day/ })).toHaveCount(0);

  // The oldest paper (hep-th/9901001, 1999) has nothing before it.
  await page.goto("/?date=1999-01-04");
  await expect(windowCount(page)).toHaveText("1 paper");
  await expect(page.getByRole("link", { name: /Previous day/ })).toHaveCount(0);
  await expect(page.getByRole("link", { name: /Next day/ })).toHaveAttribute("href", "/?date=2026-05-01");
});

test("previous and next step a whole week in the week window", async ({ page }) => {
  await page.goto("/?period=week");
  await page.getByRole("link", { name: /Previous week/ }).click();
  await expect(page).toHaveURL(/period=week&date=2026-05-21/);
  await expect(windowTitle(page)).toHaveText("May 15 – 21, 2026");
  await page.getByRole("link", { name: /Next week/ }).click();
  await expect(windowTitle(page)).toHaveText("June 4 – 10, 2026");
});

test("More papers shows the next page and ends", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("link", { name: "More papers" }).click();
  await expect(page).toHaveURL(/date=2026-06-16&cursor=/);
  await expect(cards(page)).toHaveCount(3);
  await expect(cards(page).first().locator(".rank")).toHaveText("Rank #31");
  await expect(windowCount(page)).toHaveText("33 papers · showing #31–33");
  await expect(page.getByRole("link", { name: "More papers" })).toHaveCount(0);
});

test("an empty window says so and links onwards", async ({ page }) => {
  await page.goto("/?date=2026-06-14");
  await expect(windowTitle(page)).toHaveText("June 14, 2026");
  await expect(page.getByRole("heading", { name: "No papers were listed in this window" })).toBeVisible();
  await expect(page.getByRole("link", { name: /Previous day/ })).toHaveAttribute("href", "/?date=2026-06-12");
  await expect(page.getByRole("link", { name: /Next day/ })).toHaveAttribute("href", "/?date=2026-06-16");
});

test("invalid parameters fall back to the defaults instead of failing", async ({ page }) => {
  for (const query of ["?period=year", "?date=2026-02-30", "?date=yesterday&period=", "?cursor=bm90LWEtY3Vyc29y", "?cursor=%25%25"]) {
    const response = await page.goto(`/${query}`);
    expect(response?.status(), query).toBe(200);
    await expect(windowTitle(page), query).toHaveText("June 16, 2026");
    await expect(cards(page).first().locator(".rank"), query).toHaveText("Rank #1");
  }
});

test("the header searches; the footer credits arXiv", async ({ page }) => {
  await page.goto("/");
  const search = page.getByRole("search");
  await expect(search).toHaveAttribute("action", "/search");
  await expect(search).toHaveAttribute("method", "get");
  await expect(page.getByRole("searchbox", { name: "Search papers" })).toHaveAttribute("name", "q");
  await expect(page.getByRole("link", { name: "Trending Papers" })).toHaveAttribute("href", "/");
  await expect(page.getByRole("contentinfo")).toContainText("Thank you to arXiv for use of its open access interoperability.");
});
