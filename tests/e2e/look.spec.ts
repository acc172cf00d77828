// How the pages look and read: axe-core audits, no sideways scrolling, and screenshots to look at.
// Runs in both projects (desktop 1280 px, phone 375 px).
import { expect, test } from "@playwright/test";
import { expectNoAxeViolations, horizontalOverflow, saveScreenshot } from "./helpers";

const PAGES = [
  { name: "home", path: "/", status: 200 },
  { name: "home-week", path: "/?period=week", status: 200 },
  { name: "home-empty", path: "/?date=2026-06-14", status: 200 },
  { name: "home-math", path: "/?date=2026-06-12", status: 200 },
  { name: "paper-math", path: "/papers/2606.99901", status: 200 },
  { name: "paper-markup", path: "/papers/2606.99902", status: 200 },
  { name: "paper-old-style", path: "/papers/hep-th/9901001", status: 200 },
  { name: "not-found", path: "/papers/2606.00000", status: 404 },
  { name: "search", path: "/search?q=attention", status: 200 },
  { name: "search-math", path: "/search?q=sub-quadratic+attention", status: 200 },
  { name: "search-empty", path: "/search", status: 200 },
  { name: "search-no-results", path: "/search?q=zzqqxxyy", status: 200 },
  { name: "subscribe", path: "/subscribe", status: 200 },
  { name: "subscribe-confirm-damaged", path: "/subscribe/confirm?token=c.1.damaged", status: 200 },
  { name: "unsubscribe-damaged", path: "/unsubscribe?token=u.1.damaged", status: 200 },
  { name: "digests", path: "/digests", status: 200 },
  { name: "signin", path: "/signin", status: 200 },
  { name: "signin-vote", path: "/signin?vote=2606.14777&next=/", status: 200 },
  { name: "signin-link-damaged", path: "/signin/confirm?token=s.1.damaged", status: 200 },
  { name: "account-signed-out", path: "/account", status: 200 },
];

for (const { name, path, status } of PAGES) {
  test(`${name}: no axe violations and no horizontal scroll`, async ({ page }, testInfo) => {
    const response = await page.goto(path);
    expect(response?.status()).toBe(status);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await expectNoAxeViolations(page);
    if (["home", "home-math", "paper-math", "paper-old-style", "not-found", "search", "search-math", "subscribe", "digests", "signin-vote", "signin-link-damaged"].includes(name)) {
      await saveScreenshot(page, testInfo, name, name !== "home" && name !== "search");
    }
  });
}

test("the dark colour scheme passes axe too", async ({ page }, testInfo) => {
  await page.emulateMedia({ colorScheme: "dark" });
  for (const { name, path } of [PAGES[0]!, PAGES[3]!, PAGES[6]!]) {
    await page.goto(path);
    await expectNoAxeViolations(page);
    await saveScreenshot(page, testInfo, `${name}-dark`, name !== "home");
  }
});

test("an open 'why this rank' disclosure reads well", async ({ page }, testInfo) => {
  await page.goto("/");
  await page.getByText("Why #1?").click();
  await expectNoAxeViolations(page);
  await page.locator(".paper-list > li").first().screenshot({
    path: `test-results/screenshots/${testInfo.project.name}-card-open.png`,
  });
});
