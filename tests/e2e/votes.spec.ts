// Voting as a visitor does it, and following similar papers from a paper page.
import { expect, test } from "@playwright/test";

test("an upvote on a card counts at once, survives a reload, shows on the paper page, and can be taken back", async ({ page }) => {
  // A day no other browser test reads, and its last card, so the vote moves nobody else's ranking.
  await page.goto("/?date=2026-05-01");
  const card = page.locator(".paper-list > li").last();
  const button = card.getByRole("button", { name: /^Upvote/ });
  const count = card.locator(".votes-count");
  const before = Number((await count.textContent())!.replace(/,/g, ""));
  await expect(button).toHaveAttribute("aria-pressed", "false");

  const answered = page.waitForResponse((response) => response.url().endsWith("/api/votes"));
  await button.click();
  // Optimistic: the count moves before the server answers.
  await expect(count).toHaveText((before + 1).toLocaleString("en-US"));
  expect((await answered).status()).toBe(200);
  await expect(card.getByRole("button", { name: /^Remove your upvote/ })).toHaveAttribute("aria-pressed", "true");
  await expect(count).toHaveText((before + 1).toLocaleString("en-US"));
  const cookies = await page.context().cookies();
  expect(cookies.find((cookie) => cookie.name === "tp_visitor")).toMatchObject({ httpOnly: true, sameSite: "Lax" });

  await page.reload();
  await expect(count).toHaveText((before + 1).toLocaleString("en-US"));
  await expect(card.getByRole("button", { name: /^Remove your upvote/ })).toHaveAttribute("aria-pressed", "true");

  const title = (await card.locator(".card-title a").textContent()) ?? "";
  await card.locator(".card-title a").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
  const pageButton = page.locator(".paper-links").getByRole("button", { name: /^Remove your upvote/ });
  await expect(pageButton).toHaveAttribute("aria-pressed", "true");
  // The list below is rendered from the database: leave only once the server has taken the vote back.
  const withdrawn = page.waitForResponse((response) => response.url().endsWith("/api/votes"));
  await pageButton.click();
  expect((await withdrawn).status()).toBe(200);
  await expect(page.locator(".paper-links").getByRole("button", { name: /^Upvote/ })).toHaveAttribute("aria-pressed", "false");
  await expect(page.locator(".paper-links .votes-count")).toHaveText(before.toLocaleString("en-US"));

  await page.goto("/?date=2026-05-01");
  await expect(page.locator(".paper-list > li").last().locator(".votes-count")).toHaveText(before.toLocaleString("en-US"));
});

test("a refused vote flips back and says why", async ({ page }) => {
  await page.goto("/?date=2026-05-01");
  await page.route("**/api/votes", (route) =>
    route.fulfill({ status: 429, contentType: "application/json", headers: { "retry-after": "60" }, body: JSON.stringify({ error: { code: "rate_limited", message: "Too many votes; try again in 60 s." } }) }),
  );
  const card = page.locator(".paper-list > li").last();
  const count = card.locator(".votes-count");
  const before = await count.textContent();
  await card.getByRole("button", { name: /^Upvote/ }).click();
  await expect(card.getByRole("status")).toHaveText("Too many votes; try again in 60 s.");
  await expect(count).toHaveText(before!);
  await expect(card.getByRole("button", { name: /^Upvote/ })).toHaveAttribute("aria-pressed", "false");
});

test("a paper page lists similar papers, and they lead to their pages", async ({ page }) => {
  await page.goto("/");
  await page.locator(".paper-list > li").first().locator(".card-title a").click();
  await expect(page).toHaveURL(/\/papers\//);
  const own = page.url();
  const similar = page.getByRole("region", { name: "Similar papers" });
  await expect(similar).toBeVisible();
  const links = similar.getByRole("link");
  expect(await links.count()).toBeGreaterThan(0);
  expect(await links.count()).toBeLessThanOrEqual(5);
  const title = (await links.first().textContent()) ?? "";
  await links.first().click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
  expect(page.url()).not.toBe(own);
});
