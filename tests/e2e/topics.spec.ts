// Topic pages (/topics/<arXiv category>) against the e2e fixtures: the only paper with categories is
// hep-th/9901001 (hep-th, gr-qc), listed 1999-01-04; the 2026 papers (Hugging Face) carry none, so
// the site's latest day (2026-06-16) has no hep-th papers.
import { expect, test, type Page } from "@playwright/test";
import { expectNoAxeViolations, horizontalOverflow, saveScreenshot } from "./helpers";

const cards = (page: Page) => page.locator(".paper-list > li");
const windowTitle = (page: Page) => page.locator(".window-title");
const windowCount = (page: Page) => page.locator(".window-count");
const HEP_TH = "hep-th: High Energy Physics - Theory";

test("a chip on a card opens its category's topic page", async ({ page }) => {
  await page.goto("/?date=1999-01-04");
  const chip = cards(page).first().getByRole("link", { name: HEP_TH });
  await expect(chip).toHaveText("hep-th");
  await expect(chip).toHaveAttribute("title", HEP_TH);
  await expect(cards(page).first().getByRole("link", { name: "gr-qc: General Relativity and Quantum Cosmology" })).toHaveAttribute("href", "/topics/gr-qc");

  await chip.click();
  await expect(page).toHaveURL(/\/topics\/hep-th$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("hep-th · High Energy Physics - Theory");
  await expect(page).toHaveTitle("hep-th · High Energy Physics - Theory · Trending Papers");
  // The window ends at the topic's latest day with papers, not at the site's (June 16, 2026).
  await expect(windowTitle(page)).toHaveText("January 4, 1999");
  await expect(windowCount(page)).toHaveText("1 paper");
  await expect(cards(page).first().locator(".card-title a")).toHaveAttribute("href", "/papers/hep-th/9901001");
});

test("a day the topic has no papers on says so and leads to its latest day", async ({ page }) => {
  await page.goto("/topics/hep-th?date=2026-06-16");
  await expect(windowTitle(page)).toHaveText("June 16, 2026");
  await expect(windowCount(page)).toHaveText("0 papers");
  await expect(page.getByRole("heading", { name: "No hep-th papers were listed in this window" })).toBeVisible();
  await expect(page.getByRole("link", { name: "see the latest trending papers in hep-th" })).toHaveAttribute("href", "/topics/hep-th");
  // The step back goes to the topic's last day before, over the site's days in between.
  await expect(page.getByRole("link", { name: /Previous day/ })).toHaveAttribute("href", "/topics/hep-th?date=1999-01-04");
  await expect(page.getByRole("link", { name: /Next day/ })).toHaveCount(0);
});

test("a topic no paper is listed in says so, without a window", async ({ page }) => {
  await page.goto("/topics/cs.RO");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("cs.RO · Robotics");
  await expect(page.getByRole("heading", { name: "No cs.RO papers yet" })).toBeVisible();
  await expect(windowTitle(page)).toHaveCount(0);
  await expect(page.getByRole("link", { name: "another topic" })).toHaveAttribute("href", "/topics");
});

test("chips on a paper page lead to its topics too", async ({ page }) => {
  await page.goto("/papers/hep-th/9901001");
  await page.getByRole("link", { name: "gr-qc: General Relativity and Quantum Cosmology" }).click();
  await expect(page).toHaveURL(/\/topics\/gr-qc$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("gr-qc · General Relativity and Quantum Cosmology");
});

test("the Day / Week / Month tabs and the date steps stay within the topic", async ({ page }) => {
  await page.goto("/topics/hep-th?date=1999-01-04");
  await expect(windowTitle(page)).toHaveText("January 4, 1999");
  await expect(windowCount(page)).toHaveText("1 paper");
  await expect(cards(page)).toHaveCount(1);
  await expect(cards(page).first().locator(".card-title a")).toHaveAttribute("href", "/papers/hep-th/9901001");
  // Steps go to days with hep-th papers: there are none after (the home page steps to 2026-05-01).
  await expect(page.getByRole("link", { name: /Next day/ })).toHaveCount(0);
  await expect(page.getByRole("link", { name: /Previous day/ })).toHaveCount(0);

  await page.getByRole("link", { name: "Week", exact: true }).click();
  await expect(page).toHaveURL(/\/topics\/hep-th\?period=week&date=1999-01-04$/);
  await expect(windowTitle(page)).toHaveText("December 29, 1998 – January 4, 1999");
  await expect(windowCount(page)).toHaveText("1 paper");
  await expect(page.getByRole("link", { name: "Week", exact: true })).toHaveAttribute("aria-current", "page");

  await page.getByRole("link", { name: "Month", exact: true }).click();
  await expect(page).toHaveURL(/\/topics\/hep-th\?period=month&date=1999-01-04$/);
  await expect(windowTitle(page)).toHaveText("December 6, 1998 – January 4, 1999");
  await expect(cards(page)).toHaveCount(1);
  await expect(page.getByRole("link", { name: /Next month/ })).toHaveCount(0);

  await page.getByRole("link", { name: "Day", exact: true }).click();
  await expect(page).toHaveURL(/\/topics\/hep-th\?date=1999-01-04$/);
});

test("a topic lists only papers of its category", async ({ page }) => {
  // The home page's month holds 102 papers, none in hep-th.
  await page.goto("/topics/hep-th?period=month&date=2026-06-16");
  await expect(windowTitle(page)).toHaveText("May 18 – June 16, 2026");
  await expect(windowCount(page)).toHaveText("0 papers");
  await expect(cards(page)).toHaveCount(0);
  // On 1999-01-04 the home page lists hep-th/9901001; a category it is not in lists nothing.
  await page.goto("/topics/cs.RO?date=1999-01-04");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("cs.RO · Robotics");
  await expect(windowCount(page)).toHaveText("0 papers");
  await page.goto("/topics/gr-qc?date=1999-01-04");
  await expect(windowCount(page)).toHaveText("1 paper");
});

test("a page past the end of a topic's window links back to its first page", async ({ page }) => {
  // "bzozMA" is the cursor of rank 31: the window holds one paper.
  await page.goto("/topics/hep-th?date=1999-01-04&cursor=bzozMA");
  await expect(page.getByRole("heading", { name: "No more papers in this window" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Back to the first page" })).toHaveAttribute("href", "/topics/hep-th?date=1999-01-04");
  await expect(page.getByRole("link", { name: "More papers" })).toHaveCount(0);
});

test("the topic's feed is linked on the page and in its head, and answers RSS", async ({ page, request }) => {
  await page.goto("/topics/hep-th?date=1999-01-04");
  const feedLink = page.getByRole("link", { name: "RSS feed" });
  await expect(feedLink).toHaveAttribute("href", "/feed.xml?category=hep-th");
  await expect(page.locator('head link[rel="alternate"][type="application/rss+xml"]')).toHaveAttribute("href", /\/feed\.xml\?category=hep-th$/);
  await expect(page.locator('head link[rel="alternate"][type="application/feed+json"]')).toHaveAttribute("href", /\/feed\.json\?category=hep-th$/);

  const feed = await request.get("/feed.xml?category=hep-th");
  expect(feed.status()).toBe(200);
  expect(feed.headers()["content-type"]).toMatch(/^application\/rss\+xml/);
  expect(await feed.text()).toMatch(/^<\?xml[^>]*\?>\s*<rss /);

  // The visible link follows the tab: the week's list has the week's feed.
  await page.getByRole("link", { name: "Week", exact: true }).click();
  await expect(page.getByRole("link", { name: "RSS feed" })).toHaveAttribute("href", "/feed.xml?period=week&category=hep-th");
});

test("an unknown category is a 404", async ({ page }) => {
  for (const path of ["/topics/cs.XX", "/topics/robotics", "/topics/cs.RO.x", "/topics/%25"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found" }), path).toBeVisible();
  }
});

test("a path whose percent-escapes do not decode is a 400, never a 500: a short page, JSON under /api/", async ({ request }) => {
  for (const path of ["/topics/%E0%A4%A", "/papers/%E0%A4%A", "/digests/%E0%A4%A", "/%E0%A4%A", "/papers/%ZZ"]) {
    const response = await request.get(path);
    expect(response.status(), path).toBe(400);
    expect(response.headers()["content-type"], path).toBe("text/html; charset=utf-8");
    expect(await response.text(), path).toContain("Bad request");
  }
  const api = await request.get("/api/papers/%E0%A4%A");
  expect(api.status()).toBe(400);
  expect(await api.json()).toMatchObject({ error: { code: "invalid_request" } });
  // A bad escape in the query is the page's to read, as before.
  expect((await request.get("/topics/hep-th?date=%E0%A4%A")).status()).toBe(200);
});

test("an alias or another case redirects to arXiv's id, keeping the window", async ({ page, request }) => {
  for (const [path, location] of [
    ["/topics/cs.SY", "/topics/eess.SY"],
    ["/topics/cmp-lg?period=week&date=2026-06-12", "/topics/cs.CL?period=week&date=2026-06-12"],
    ["/topics/HEP-TH", "/topics/hep-th"],
  ] as const) {
    const response = await request.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBe(308);
    expect(response.headers().location, path).toBe(location);
  }
  await page.goto("/topics/cs.ro");
  await expect(page).toHaveURL(/\/topics\/cs\.RO$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("cs.RO · Robotics");
});

test("the topics index lists active categories by archive, each linking to its page", async ({ page }) => {
  await page.goto("/topics");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Topics");
  const cs = page.getByRole("region", { name: "Computer Science" });
  await expect(cs.getByRole("link", { name: "cs.RO Robotics" })).toHaveAttribute("href", "/topics/cs.RO");
  // An alias is listed once, under its canonical id; a retired category not at all.
  await expect(page.getByRole("link", { name: "eess.SY Systems and Control" })).toHaveCount(1);
  await expect(page.getByRole("link", { name: /^cs\.SY / })).toHaveCount(0);
  await expect(page.getByRole("link", { name: /^cmp-lg / })).toHaveCount(0);
  await page.getByRole("link", { name: "hep-th High Energy Physics - Theory" }).click();
  await expect(page).toHaveURL(/\/topics\/hep-th$/);
});

const LOOKS = [
  { name: "topic", path: "/topics/hep-th?date=1999-01-04" },
  { name: "topic-empty", path: "/topics/hep-th?date=2026-06-16" },
  { name: "topic-none", path: "/topics/cs.RO" },
  { name: "topics", path: "/topics" },
];

for (const width of [1280, 375]) {
  test.describe(`at ${width} px`, () => {
    test.use({ viewport: { width, height: 800 }, isMobile: width < 600, hasTouch: width < 600, deviceScaleFactor: width < 600 ? 2 : 1 });
    for (const { name, path } of LOOKS) {
      test(`${name}: no axe violations and no horizontal scroll`, async ({ page }, testInfo) => {
        expect((await page.goto(path))?.status()).toBe(200);
        expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
        await expectNoAxeViolations(page);
        // The index of every category is too tall to look at whole: its first screen.
        await saveScreenshot(page, testInfo, `${name}-${width}`, name !== "topics");
      });
    }

    test("topic in the dark colour scheme: no axe violations", async ({ page }, testInfo) => {
      await page.emulateMedia({ colorScheme: "dark" });
      await page.goto(LOOKS[0]!.path);
      await expectNoAxeViolations(page);
      await saveScreenshot(page, testInfo, `topic-dark-${width}`);
    });
  });
}
