// Subscribing as a reader does it: the form on the home page, the confirmation mail in the local
// mail catcher, the link, the confirmed page; then a digest, read as mailed, and unsubscribing.
import { spawnSync } from "node:child_process";
import { expect, test } from "@playwright/test";
import { saveScreenshot, waitForMail } from "./helpers";
import { e2eServices } from "./services";

function runDigest(address: string, mustSucceed = true): string {
  const services = e2eServices();
  const result = spawnSync(process.execPath, ["--import", "tsx", "scripts/digest.ts", "--date", "2026-06-16", "--only", address], {
    env: { ...process.env, DATABASE_URL: services.databaseUrl, SMTP_URL: services.smtpUrl, TOKEN_SECRET: services.tokenSecret, APP_URL: services.appUrl },
    encoding: "utf8",
    timeout: 60_000,
  });
  if (mustSucceed && result.status !== 0) throw new Error(`npm run digest failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout + result.stderr;
}

test("subscribe on the home page, confirm from the mail, read the digest, unsubscribe", async ({ page }, testInfo) => {
  // Two mails, a digest run in a child process and several pages: more than the default 30 s on a busy machine.
  test.setTimeout(90_000);
  const address = `reader-${Date.now()}@example.org`;
  await page.goto("/");
  const banner = page.getByRole("region", { name: /in your inbox once a day/ });
  await banner.getByLabel("Email address").fill(address);
  await banner.getByRole("button", { name: "Subscribe" }).click();
  await expect(banner.getByRole("status")).toContainText(`We sent a message to ${address}`);

  const confirmation = await waitForMail(address, /Confirm your Trending Papers subscription/);
  const link = /href="(http:\/\/localhost:3100\/subscribe\/confirm\?token=[^"]+)"/.exec(confirmation.html ?? "")?.[1];
  expect(link, "confirmation link in the mail").toBeTruthy();
  // Opening the link (as a mail scanner would) shows a page with one button and confirms nothing.
  await page.goto(link!.replace(/&amp;/g, "&"));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Confirm your subscription");
  await expect(page.getByText(address)).toBeVisible();
  await saveScreenshot(page, testInfo, "subscribe-confirm-button");
  expect(runDigest(address, false)).toMatch(/is pending, not confirmed/);
  await page.getByRole("button", { name: "Confirm subscription" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("You are subscribed");
  await expect(page.getByText(address)).toBeVisible();
  await expect(page.getByText("You are signed in on this browser")).toBeVisible();
  await saveScreenshot(page, testInfo, "subscribe-confirmed");
  // Confirming signed this browser in.
  await expect(page.getByRole("banner").getByRole("link", { name: "Account" })).toBeVisible();

  // The same link a second time is spent.
  await page.goto(link!.replace(/&amp;/g, "&"));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("You are already subscribed");
  await expect(page.getByRole("button", { name: "Confirm subscription" })).toHaveCount(0);

  expect(runDigest(address)).toMatch(/1 sent/);
  const digest = await waitForMail(address, /^Trending papers for June 16, 2026/);
  expect(digest.html).toContain("http://localhost:3100/digests/2026-06-16");

  // The mail as a reader sees it, at desktop and phone widths.
  for (const [name, width] of [["desktop", 1280], ["phone", 375]] as const) {
    await page.setViewportSize({ width, height: 900 });
    await page.setContent(digest.html ?? "", { waitUntil: "load" });
    await expect(page.getByText("Unsubscribe").first()).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `digest mail scrolls sideways at ${width}px`).toBeLessThanOrEqual(1);
    await page.screenshot({ path: `test-results/screenshots/digest-mail-${name}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 800 });

  // "View in browser" shows the frozen digest.
  await page.goto("/digests/2026-06-16");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Trending papers · June 16, 2026");
  await expect(page.locator(".paper-list > li")).toHaveCount(10);
  await saveScreenshot(page, testInfo, "digest-web");

  // The visible unsubscribe link: a page with a button; nothing changes until it is pressed.
  const unsubscribe = /href="(http:\/\/localhost:3100\/unsubscribe\?token=[^"]+)"/.exec(digest.html ?? "")?.[1];
  expect(unsubscribe).toBeTruthy();
  await page.goto(unsubscribe!);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Unsubscribe from the daily digest?");
  await page.getByRole("button", { name: "Unsubscribe" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("You are unsubscribed");
  await expect(page.getByText(`${address} will get no more digests.`)).toBeVisible();
});

test("the subscribe page explains, validates and says when the address is wrong", async ({ page }, testInfo) => {
  await page.goto("/");
  await page.getByRole("banner").getByRole("link", { name: "Subscribe" }).click();
  await expect(page).toHaveURL(/\/subscribe$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Trending papers in your inbox, once a day");
  await page.getByLabel("Email address").fill("not-an-address");
  await page.getByRole("button", { name: "Subscribe" }).click();
  await expect(page.getByRole("status")).toHaveText("Enter an email address like name@example.org.");
  await expect(page.getByLabel("Email address")).toHaveAttribute("aria-invalid", "true");
  await saveScreenshot(page, testInfo, "subscribe");
});

test("a damaged unsubscribe link says so and offers no button", async ({ page }) => {
  await page.goto("/unsubscribe?token=u.1.forged");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("This unsubscribe link is damaged");
  await expect(page.getByRole("button", { name: "Unsubscribe" })).toHaveCount(0);
});

test("past digests list and unknown digest dates are a 404", async ({ page }) => {
  const response = await page.goto("/digests/2020-01-01");
  expect(response?.status()).toBe(404);
  await page.goto("/digests");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Past digests");
});
