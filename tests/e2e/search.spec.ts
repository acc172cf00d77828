// Search in the browser: typing in the header, live results, filters, shareable URLs, safe highlights.
import { expect, test } from "@playwright/test";

test("typing in the header shows results as you type, with typos tolerated", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("searchbox", { name: "Search papers" }).pressSequentially("transfomer", { delay: 30 });
  await expect(page).toHaveURL(/\/search\?q=transfomer$/);
  const results = page.locator(".search-results .paper-list > li");
  await expect(results.first()).toBeVisible();
  await expect(page.locator(".search-results mark").first()).toHaveText(/^transformers?$/i);
  await expect(page.locator(".search-count")).toContainText("“transfomer”");

  // Keep typing on the search page: the URL follows and the list updates in place.
  await page.getByRole("searchbox", { name: "Search papers" }).fill("sub-quadratic attention");
  await expect(page).toHaveURL(/q=sub-quadratic\+attention/);
  await expect(results.first().getByRole("link").first()).toContainText("Sub-quadratic attention");
});

test("the search page and its header ask whether the browser is signed in once between them", async ({ page }) => {
  const asked: string[] = [];
  page.on("request", (request) => {
    if (new URL(request.url()).pathname === "/api/session") asked.push(request.url());
  });
  await page.goto("/search?q=attention");
  await expect(page.getByRole("link", { name: "Sign in" }).first()).toBeVisible();
  await expect(page.locator(".search-results")).toHaveAttribute("aria-busy", "false");
  await page.waitForLoadState("networkidle");
  expect(asked).toHaveLength(1);
});

test("formulas in results show as math, on a shared link and as you type", async ({ page }) => {
  // The server's first answer.
  await page.goto("/search?q=sub-quadratic+attention");
  const first = page.locator(".search-results .paper-list > li").first();
  const title = first.locator(".card-title");
  await expect(title).toContainText("Sub-quadratic attention");
  await expect(title.locator("math")).toHaveCount(1);
  await expect(title.locator("mark").first()).toHaveText(/^(sub|quadratic|sub-quadratic|attention)$/i);
  await expect(first).not.toContainText("\\mathcal", { useInnerText: true });

  // The page's own fetch, for what is typed next.
  await page.getByRole("searchbox", { name: "Search papers" }).fill("quadratic attention log");
  await expect(page).toHaveURL(/q=quadratic\+attention\+log/);
  await expect(page.locator(".search-results")).toHaveAttribute("aria-busy", "false");
  const again = page.locator(".search-results .paper-list > li").filter({ hasText: "Sub-quadratic attention" }).first();
  await expect(again.locator(".card-title math")).toHaveCount(1);
  await expect(again).not.toContainText("\\mathcal", { useInnerText: true });
});

test("a filter narrows the results and a result opens its paper", async ({ page }) => {
  await page.goto("/search?q=model");
  const results = page.locator(".search-results .paper-list > li");
  const before = await page.locator(".search-count").textContent();
  // The checkbox follows the URL, which the click rewrites: click, then wait for both.
  await page.getByLabel("With code").click();
  await expect(page).toHaveURL(/hasCode=true/);
  await expect(page.getByLabel("With code")).toBeChecked();
  await expect(page.locator(".search-results")).toHaveAttribute("aria-busy", "false");
  await expect(page.locator(".search-count")).not.toHaveText(before ?? "");
  const count = await results.count();
  expect(count).toBeGreaterThan(0);
  for (let i = 0; i < count; i++) await expect(results.nth(i).getByRole("link", { name: /^Code/ })).toBeVisible();

  await page.getByLabel("Sort").selectOption("votes");
  await expect(page).toHaveURL(/sort=votes/);
  await expect(page.locator(".search-results")).toHaveAttribute("aria-busy", "false");
  await expect(page.locator(".search-loading")).toHaveCount(0);
  const title = (await results.first().locator(".card-title a").textContent()) ?? "";
  await results.first().locator(".card-title a").click();
  await expect(page).toHaveURL(/\/papers\//);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
});

test("a shared search link renders its results on the server", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/search?q=attention&sort=newest");
  await expect(page.locator(".search-results .paper-list > li").first()).toBeVisible();
  await expect(page.getByLabel("Sort")).toHaveValue("newest");
  await context.close();
});

test("an arXiv id jumps to that paper first", async ({ page }) => {
  await page.goto("/search?q=https%3A%2F%2Farxiv.org%2Fabs%2F2606.99901v2");
  await expect(page.locator(".search-results .paper-list > li").first().locator(".card-title")).toContainText("Sub-quadratic attention");
});

test("markup in titles and abstracts is shown as text in results, never run", async ({ page }) => {
  let dialogs = 0;
  page.on("dialog", (dialog) => {
    dialogs++;
    void dialog.dismiss();
  });
  await page.goto("/search?q=markup+titles+onerror");
  const hit = page.locator(".search-hit", { hasText: "alert(1)" }).first();
  await expect(hit.locator(".card-title")).toContainText("<script>alert(1)</script>");
  expect(await page.locator(".search-results img, .search-results script").count()).toBe(0);
  expect(dialogs).toBe(0);
});

test("invalid parameters are ignored with a note, not an error page", async ({ page }) => {
  const response = await page.goto("/search?q=attention&sort=sideways&from=2026-02-30");
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("status").first()).toContainText("Ignored invalid");
  await expect(page.locator(".search-results .paper-list > li").first()).toBeVisible();
});

test("what is typed before the page's scripts load is kept and searched", async ({ page }) => {
  // Hold the scripts back until the text is in the plain (server-rendered) box.
  let release: () => void = () => {};
  const loaded = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/_next/static/chunks/**", async (route) => {
    await loaded;
    await route.continue();
  });
  await page.goto("/", { waitUntil: "commit" });
  const box = page.getByRole("searchbox", { name: "Search papers" });
  await box.pressSequentially("transfomer");
  release();
  // Every script of the page loads only now, then the search page renders: allow a busy machine.
  await expect(page).toHaveURL(/\/search\?q=transfomer$/, { timeout: 15_000 });
  await expect(box).toHaveValue("transfomer");
  await expect(page.locator(".search-results .paper-list > li").first()).toBeVisible();
});

test("typing on while a slow search page loads keeps every letter", async ({ page }) => {
  await page.goto("/", { waitUntil: "networkidle" });
  // The search page's server render takes a while: the navigation lands after more typing.
  await page.route(/\/search\?.*_rsc=/, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await route.continue();
  });
  const box = page.getByRole("searchbox", { name: "Search papers" });
  await box.pressSequentially("tran", { delay: 20 });
  // Longer than the typing pause: the box starts the navigation to /search?q=tran.
  await page.waitForTimeout(500);
  await box.pressSequentially("sfomer", { delay: 20 });
  await expect(page).toHaveURL(/\/search\?q=transfomer$/, { timeout: 15_000 });
  await expect(box).toHaveValue("transfomer");
  await expect(page.locator(".search-count")).toContainText("“transfomer”");
});

test("the search API, answered by the web server itself, carries what Next's answers carry", async ({ request }) => {
  const found = await request.get("/api/search?q=transformer&limit=20", { headers: { "accept-encoding": "gzip", origin: "https://elsewhere.example" } });
  expect(found.status()).toBe(200);
  expect(found.headers()).toMatchObject({ "content-type": "application/json", "cache-control": "no-store", "access-control-allow-origin": "*", "content-encoding": "gzip" });
  expect(found.headers().vary).toContain("Accept-Encoding");
  // The headers Next gives an answer of its own (the health check's) are on this one too, alike.
  const fromNext = (await request.get("/api/health")).headers();
  const policy = ["x-content-type-options", "referrer-policy", "x-frame-options"];
  expect(policy.map((name) => found.headers()[name])).toEqual(policy.map((name) => fromNext[name]));
  expect(policy.filter((name) => !fromNext[name])).toEqual([]);
  const body = (await found.json()) as { items: { id: string }[]; degraded: boolean };
  expect(body.items.length).toBeGreaterThan(0);
  expect(body.degraded).toBe(false);
  const refused = await request.get("/api/search?q=x&sort=nonsense");
  expect(refused.status()).toBe(400);
  expect(await refused.json()).toEqual({ error: { code: "invalid_request", message: expect.stringMatching(/^sort: /) } });
  expect(refused.headers()["x-frame-options"]).toBe("DENY");
  const preflight = await request.fetch("/api/search", { method: "OPTIONS" });
  expect(preflight.status()).toBe(204);
  expect(preflight.headers()["access-control-allow-headers"]).toContain("If-None-Match");
});
