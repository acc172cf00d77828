// Voting as a reader does it: signed out, the vote button leads to sign-in by mail and the vote is
// cast when the link is opened; signed in, votes count at once and can be taken back. And
// following similar papers from a paper page.
import { expect, test, type Page } from "@playwright/test";
import { saveScreenshot, waitForMail } from "./helpers";
import { e2eServices, sessionFor } from "./services";

async function signIn(page: Page, email: string): Promise<void> {
  const token = await sessionFor(email);
  await page.context().addCookies([{ name: "tp_session", value: token, url: e2eServices().appUrl, httpOnly: true, sameSite: "Lax" }]);
}

test("signed out, the vote button asks for an address, and the vote is counted once the mailed link is opened", async ({ page }, testInfo) => {
  test.setTimeout(90_000);
  const address = `voter-${Date.now()}@example.org`;
  // A day no other browser test reads, and its last card, so the vote moves nobody else's ranking.
  await page.goto("/?date=2026-05-21");
  const card = page.locator(".paper-list > li").last();
  const count = card.locator(".votes-count");
  const before = Number((await count.textContent())!.replace(/,/g, ""));
  const title = (await card.locator(".card-title a").textContent()) ?? "";
  await card.getByRole("button", { name: /^Upvote/ }).click();

  await expect(page).toHaveURL(/\/signin\?vote=/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sign in to upvote");
  await expect(page.getByText(title)).toBeVisible();
  await page.getByLabel("Email address").fill(address);
  await page.getByRole("button", { name: "Email me a link" }).click();
  await expect(page.getByRole("status")).toContainText(`We sent a sign-in link to ${address}`);
  await saveScreenshot(page, testInfo, "sign-in-sent");

  const mail = await waitForMail(address, /sign-in link/);
  expect(mail.text).toContain(title);
  const link = /href="(http:\/\/localhost:3100\/signin\/confirm\?token=[^"]+)"/.exec(mail.html ?? "")?.[1];
  expect(link, "sign-in link in the mail").toBeTruthy();
  // Opening the link shows a button and changes nothing: the vote is not counted yet.
  await page.goto(link!.replace(/&amp;/g, "&"));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sign in to Trending Papers");
  await saveScreenshot(page, testInfo, "sign-in-button");
  await page.getByRole("button", { name: "Sign in and upvote" }).click();

  // Back where the vote was asked for, with the vote counted.
  await expect(page).toHaveURL(/\/\?date=2026-05-21$/);
  const after = page.locator(".paper-list > li").filter({ hasText: title });
  await expect(after.getByRole("button", { name: /^Remove your upvote/ })).toHaveAttribute("aria-pressed", "true");
  await expect(after.locator(".votes-count")).toHaveText((before + 1).toLocaleString("en-US"));
  const cookies = await page.context().cookies();
  expect(cookies.find((cookie) => cookie.name === "tp_session")).toMatchObject({ httpOnly: true, sameSite: "Lax" });
  await expect(page.getByRole("banner").getByRole("link", { name: "Account" })).toBeVisible();
  // Signed in, the header's way to the digest leads to the person's own settings.
  await expect(page.getByRole("banner").getByRole("link", { name: "Your digest" })).toHaveAttribute("href", "/account/digest");
  await expect(page.getByRole("banner").getByRole("link", { name: "Subscribe" })).toHaveCount(0);

  // Taking it back, then signing out: the button asks to sign in again.
  const withdrawn = page.waitForResponse((response) => response.url().endsWith("/api/votes"));
  await after.getByRole("button", { name: /^Remove your upvote/ }).click();
  expect((await withdrawn).status()).toBe(200);
  await expect(after.locator(".votes-count")).toHaveText(before.toLocaleString("en-US"));
  await page.getByRole("banner").getByRole("link", { name: "Account" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your account");
  await expect(page.getByText(address)).toBeVisible();
  await saveScreenshot(page, testInfo, "account");
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("You are signed out");
  expect((await page.context().cookies()).find((cookie) => cookie.name === "tp_session")).toBeUndefined();
});

test("signed in, an upvote on a card counts at once, survives a reload, shows on the paper page, and can be taken back", async ({ page }) => {
  await signIn(page, `reader-${Date.now()}@example.org`);
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
  await signIn(page, `refused-${Date.now()}@example.org`);
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
