// "Your digest" as a reader uses it: choosing topics, follows, cadence and size and finding them
// again after a reload; a digest mail's link opening the page without a session; subscribing with
// topics from the subscribe form (with and without JavaScript); a search saved as an alert. Each
// checked against what the database holds, and with axe at desktop and phone widths.
import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { manageToken } from "@/lib/mail/tokens";
import { expectNoAxeViolations, horizontalOverflow, saveScreenshot } from "./helpers";
import { e2eServices, sessionFor } from "./services";

async function signIn(page: Page, email: string): Promise<void> {
  const token = await sessionFor(email);
  await page.context().addCookies([{ name: "tp_session", value: token, url: e2eServices().appUrl, httpOnly: true, sameSite: "Lax" }]);
}

type SubscriberRow = {
  id: string;
  status: string;
  categories: string[] | null;
  keywords: string[] | null;
  authors: string[] | null;
  searches: unknown;
  cadence: string;
  weeklyDay: number;
  size: number | null;
  sendEmpty: boolean;
  crossLists: boolean;
};

async function sql<T>(text: string, values: unknown[]): Promise<T[]> {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: e2eServices().databaseUrl });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

async function subscriberRow(email: string): Promise<SubscriberRow | undefined> {
  const rows = await sql<SubscriberRow>(
    `SELECT id::text, status, categories, keywords, authors, searches, cadence, weekly_day AS "weeklyDay", digest_size AS size, send_empty AS "sendEmpty", cross_lists AS "crossLists"
     FROM subscriber WHERE email = $1`,
    [email],
  );
  return rows[0];
}

/** axe and no sideways scroll, at desktop and phone widths, in light and dark; screenshots of each. */
async function lookAt(page: Page, name: string, testInfo: TestInfo): Promise<void> {
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const [viewport, width] of [
      ["desktop", 1280],
      ["phone", 375],
    ] as const) {
      await page.setViewportSize({ width, height: 900 });
      expect(await horizontalOverflow(page), `${name} scrolls sideways at ${width}px`).toBeLessThanOrEqual(0);
      await expectNoAxeViolations(page);
      await saveScreenshot(page, testInfo, `${name}-${viewport}-${scheme}`);
    }
  }
  await page.emulateMedia({ colorScheme: "light" });
  await page.setViewportSize({ width: 1280, height: 800 });
}

test("signed in, topics, follows, cadence and size are saved, survive a reload, and the subscription can be started, paused and ended", async ({
  page,
}, testInfo) => {
  test.setTimeout(90_000);
  const email = `digest-${Date.now()}@example.org`;
  await signIn(page, email);
  await page.goto("/account");
  await page.getByRole("link", { name: "Set up your digest" }).click();
  await expect(page).toHaveURL(/\/account\/digest$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your digest");
  const subscription = page.getByRole("region", { name: "Subscription" });
  await expect(subscription).toContainText("You are not subscribed to the digest.");

  // Topics: typing narrows the list; a checkbox or Enter on the first match adds a chip.
  const form = page.getByRole("form", { name: "Digest settings" });
  const find = form.getByLabel("Find a topic");
  await find.fill("robot");
  await expect(form.getByRole("checkbox", { name: "cs.RO Robotics" })).toBeVisible();
  await expect(form.getByRole("checkbox", { name: "cs.LG Machine Learning" })).toBeHidden();
  await form.getByRole("checkbox", { name: "cs.RO Robotics" }).check();
  await find.fill("machine learning");
  await find.press("Enter");
  await expect(find).toHaveValue("");
  const chosen = form.getByRole("list", { name: "Chosen topics" });
  await expect(chosen.getByRole("listitem")).toHaveText(["cs.RO: Robotics×", "cs.LG: Machine Learning×"]);
  await form.getByLabel(/Include cross-lists/).uncheck();

  await form.getByRole("textbox", { name: "Keywords and phrases" }).fill("diffusion policy");
  await form.getByRole("textbox", { name: "Keywords and phrases" }).press("Enter");
  await form.getByRole("textbox", { name: "Authors" }).fill("Ada Lovelace");
  await form.getByRole("button", { name: "Add to Authors" }).click();
  await expect(form.getByRole("list", { name: "Keywords and phrases" })).toHaveText("diffusion policy×");
  await form.getByLabel("Day of the week").selectOption("Friday");
  await expect(form.getByLabel("Once a week, on")).toBeChecked();
  await form.getByLabel("Mail me on days with nothing for me").check();

  // An out-of-range size: the API's message, next to the field, and nothing saved.
  await form.getByLabel("Trending papers per digest").fill("3");
  await form.getByRole("button", { name: "Save", exact: true }).click();
  await expect(form.getByRole("status")).toHaveText("size: must be 5 to 50");
  await expect(form.locator(".field-error").filter({ hasText: "must be 5 to 50" })).toBeVisible();
  await expect(form.getByLabel("Trending papers per digest")).toHaveAttribute("aria-invalid", "true");
  expect((await subscriberRow(email))?.categories ?? []).toEqual([]);

  await form.getByLabel("Trending papers per digest").fill("20");
  await form.getByRole("button", { name: "Save", exact: true }).click();
  await expect(form.getByRole("status")).toHaveText("Saved. Applies from the next digest.");
  expect(await subscriberRow(email)).toMatchObject({
    status: "unsubscribed",
    categories: ["cs.RO", "cs.LG"],
    crossLists: false,
    keywords: ["diffusion policy"],
    authors: ["Ada Lovelace"],
    cadence: "weekly",
    weeklyDay: 5,
    size: 20,
    sendEmpty: true,
  });

  await page.reload();
  await expect(chosen.getByRole("listitem")).toHaveText(["cs.RO: Robotics×", "cs.LG: Machine Learning×"]);
  await expect(form.getByRole("checkbox", { name: "cs.RO Robotics" })).toBeChecked();
  await expect(form.getByLabel(/Include cross-lists/)).not.toBeChecked();
  await expect(form.getByRole("list", { name: "Authors" })).toHaveText("Ada Lovelace×");
  await expect(form.getByLabel("Once a week, on")).toBeChecked();
  await expect(form.getByLabel("Day of the week")).toHaveValue("5");
  await expect(form.getByLabel("Trending papers per digest")).toHaveValue("20");
  await expect(form.getByLabel("Mail me on days with nothing for me")).toBeChecked();
  await lookAt(page, "digest-settings", testInfo);

  // Removing a chip and saving keeps the rest.
  await chosen.getByRole("button", { name: "Remove cs.LG: Machine Learning" }).click();
  await form.getByRole("button", { name: "Save", exact: true }).click();
  await expect(form.getByRole("status")).toHaveText("Saved. Applies from the next digest.");
  expect((await subscriberRow(email))?.categories).toEqual(["cs.RO"]);

  await subscription.getByRole("button", { name: "Subscribe" }).click();
  await expect(subscription.getByRole("status")).toHaveText("Subscribed. Your digest starts with the next one.");
  await expect(subscription).toContainText("You get the digest: cs.RO · 2 followed keywords, authors and searches · weekly on Friday.");
  expect(await subscriberRow(email)).toMatchObject({ status: "confirmed", cadence: "weekly" });
  await subscription.getByRole("button", { name: "Pause" }).click();
  await expect(subscription).toContainText("Your digest is paused.");
  expect(await subscriberRow(email)).toMatchObject({ status: "confirmed", cadence: "paused" });
  await subscription.getByRole("button", { name: "Resume" }).click();
  await expect(subscription).toContainText("weekly on Friday");
  expect(await subscriberRow(email)).toMatchObject({ cadence: "weekly" });
  await subscription.getByRole("button", { name: "Unsubscribe" }).click();
  await expect(subscription).toContainText("You are not subscribed to the digest.");
  expect(await subscriberRow(email)).toMatchObject({ status: "unsubscribed", categories: ["cs.RO"] });

  await page.goto("/account");
  await expect(page.getByRole("region", { name: "Your digest" })).toContainText("Not subscribed.");
});

test("a digest mail's link opens the page without a session, sends its token only in the Authorization header, and leaves no trace in the URL", async ({
  page,
}) => {
  const email = `linked-${Date.now()}@example.org`;
  const [row] = await sql<{ id: string }>(
    `INSERT INTO subscriber (email, status, confirmed_at, categories) VALUES ($1, 'confirmed', now(), ARRAY['cs.CV']) RETURNING id::text`,
    [email],
  );
  const token = manageToken(e2eServices().tokenSecret, BigInt(row!.id));

  const response = await page.goto(`/account/digest?token=${token}`);
  expect(response?.headers()["cache-control"]).toMatch(/no-store/);
  await expect(page.locator('meta[name="referrer"]')).toHaveAttribute("content", "no-referrer");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your digest");
  await expect(page.getByText(`Digest for ${email}`)).toBeVisible();
  await expect(page).toHaveURL(/\/account\/digest$/);
  const form = page.getByRole("form", { name: "Digest settings" });
  await expect(form.getByRole("list", { name: "Chosen topics" })).toHaveText("cs.CV: Computer Vision and Pattern Recognition×");

  await form.getByLabel("Find a topic").fill("cs.RO");
  await form.getByLabel("Find a topic").press("Enter");
  const put = page.waitForRequest((request) => request.url().endsWith("/api/me/digest") && request.method() === "PUT");
  await form.getByRole("button", { name: "Save", exact: true }).click();
  const sent = await put;
  expect(sent.headers()["authorization"]).toBe(`Bearer ${token}`);
  // no-referrer: the request names no page, let alone the link.
  expect(sent.headers()["referer"] ?? "").toBe("");
  await expect(form.getByRole("status")).toHaveText("Saved. Applies from the next digest.");
  expect((await subscriberRow(email))?.categories).toEqual(["cs.CV", "cs.RO"]);

  // A damaged link: the sign-in form, and the API is never asked.
  await page.goto(`/account/digest?token=${token.slice(0, -2)}xx`);
  await expect(page.getByText("This link is not valid")).toBeVisible();
  await expect(page.getByRole("button", { name: "Email me a link" })).toBeVisible();
  await expect(page.getByRole("form", { name: "Digest settings" })).toHaveCount(0);
});

test("a subscriber's private feed: its address is shown, reads as RSS, and a reset shows a new one while the old one stops working", async ({ page }, testInfo) => {
  test.setTimeout(60_000);
  const email = `feed-${Date.now()}@example.org`;
  const [row] = await sql<{ id: string }>(`INSERT INTO subscriber (email, status, confirmed_at) VALUES ($1, 'confirmed', now()) RETURNING id::text`, [email]);
  await signIn(page, email);
  await page.goto("/account/digest");
  const box = page.getByRole("region", { name: "Private feed" });
  const address = box.getByLabel("Feed address");
  await expect(address).toHaveValue(new RegExp(`/feed/f\\.${row!.id}\\.[A-Za-z0-9_-]{32}\\.xml$`));
  await expect(box).toContainText("Anyone with this address can read your digest");
  const old = await address.inputValue();
  const feed = await page.request.get(old);
  expect(feed.status()).toBe(200);
  expect(feed.headers()["content-type"]).toContain("application/rss+xml");
  expect(await feed.text()).toContain("<title>Your Trending Papers digest</title>");
  await lookAt(page, "digest-private-feed", testInfo);

  // Dismissing the confirmation changes nothing; accepting it shows the new address.
  page.once("dialog", (dialog) => void dialog.dismiss());
  await box.getByRole("button", { name: "Reset address" }).click();
  await expect(address).toHaveValue(old);
  page.once("dialog", (dialog) => void dialog.accept());
  await box.getByRole("button", { name: "Reset address" }).click();
  await expect(box.getByRole("status")).toContainText("this is your new address");
  await expect(address).not.toHaveValue(old);
  const fresh = await address.inputValue();
  expect((await page.request.get(old)).status()).toBe(404);
  expect((await page.request.get(fresh)).status()).toBe(200);
  await page.reload();
  await expect(address).toHaveValue(fresh);
});

test("signed out, the page asks to sign in and comes back here", async ({ page }) => {
  await page.goto("/account/digest");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your digest");
  await expect(page.locator('input[name="next"]')).toHaveValue("/account/digest");
  await expectNoAxeViolations(page);
});

test("subscribing with topics from the subscribe page keeps them with the pending subscription", async ({ page }, testInfo) => {
  const email = `topics-${Date.now()}@example.org`;
  await page.goto("/");
  // The banner keeps just the address, and leads to the topics.
  const banner = page.getByRole("region", { name: /in your inbox once a day/ });
  await banner.screenshot({ path: `test-results/screenshots/${testInfo.project.name}-subscribe-banner.png` });
  await banner.getByRole("link", { name: "Choose topics" }).click();
  await expect(page).toHaveURL(/\/subscribe$/);

  await page.getByText("Choose topics (optional)").click();
  await page.getByLabel("Find a topic").fill("quantum physics");
  await page.getByRole("checkbox", { name: "quant-ph Quantum Physics" }).check();
  await page.getByLabel("Find a topic").fill("robotics");
  await page.getByRole("checkbox", { name: "cs.RO Robotics" }).check();
  await page.getByLabel("Day of the week").selectOption("Wednesday");
  await expect(page.getByLabel("Once a week, on")).toBeChecked();
  await expect(page.getByText("Choose topics (optional) · 2 chosen")).toBeVisible();
  await lookAt(page, "subscribe-topics", testInfo);

  await page.getByLabel("Email address").fill(email);
  await page.getByRole("button", { name: "Subscribe" }).click();
  await expect(page.getByRole("status")).toContainText(`We sent a message to ${email}`);
  // Filtered out of sight, quant-ph was still sent (in the list's order).
  expect(await subscriberRow(email)).toMatchObject({ status: "pending", categories: ["cs.RO", "quant-ph"], cadence: "weekly", weeklyDay: 3 });
});

test("without JavaScript, the subscribe form still subscribes, with or without topics", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const plain = `plain-nojs-${Date.now()}@example.org`;
  await page.goto("/subscribe");
  await page.getByLabel("Email address").fill(plain);
  await page.getByRole("button", { name: "Subscribe" }).click();
  await expect(page.getByRole("status")).toContainText(`We sent a message to ${plain}`);
  expect(await subscriberRow(plain)).toMatchObject({ status: "pending", categories: [], cadence: "daily" });

  const withTopics = `topics-nojs-${Date.now()}@example.org`;
  await page.goto("/subscribe");
  await page.getByText("Choose topics (optional)").click();
  await page.getByRole("checkbox", { name: "cs.CL Computation and Language" }).check();
  await page.getByLabel("Email address").fill(withTopics);
  await page.getByRole("button", { name: "Subscribe" }).click();
  await expect(page.getByRole("status")).toContainText(`We sent a message to ${withTopics}`);
  expect(await subscriberRow(withTopics)).toMatchObject({ status: "pending", categories: ["cs.CL"], cadence: "daily" });
  await context.close();
});

test("a search saved as an alert subscribes once agreed and shows on Your digest, where it can be removed", async ({ page }) => {
  const email = `alert-${Date.now()}@example.org`;
  await page.goto("/search?q=attention&hasCode=true");
  const signInLink = page.locator(".search-alert").getByRole("link", { name: "Sign in" });
  await expect(page.getByText("to get new papers for this search in your digest")).toBeVisible();
  await expect(signInLink).toHaveAttribute("href", `/signin?next=${encodeURIComponent("/search?q=attention&hasCode=true")}`);

  await signIn(page, email);
  await page.reload();
  await page.getByRole("button", { name: "Email me new papers for this search" }).click();
  await expect(page.getByText("You are not subscribed to the digest. Subscribe, with this search saved in it?")).toBeVisible();
  expect(await subscriberRow(email)).toBeUndefined();
  await page.getByRole("button", { name: "Subscribe and save" }).click();
  await expect(page.locator(".search-alert").getByRole("status")).toContainText("Subscribed and saved: new papers for this search come in your digest.");
  expect(await subscriberRow(email)).toMatchObject({ status: "confirmed", searches: [{ q: "attention", categories: [], hasCode: true }] });

  // The same search again is not saved twice; another one (typed in the header, the filters kept) is added.
  await page.reload();
  await page.getByRole("button", { name: "Email me new papers for this search" }).click();
  await expect(page.locator(".search-alert").getByRole("status")).toHaveText(/^Already saved: new papers for this search come in your digest\./);
  await page.goto("/search?q=attention&category=cs.LG");
  await page.getByRole("searchbox", { name: "Search papers" }).fill("diffusion");
  await expect(page).toHaveURL(/q=diffusion&category=cs.LG/);
  await page.getByRole("button", { name: "Email me new papers for this search" }).click();
  await expect(page.locator(".search-alert").getByRole("status")).toHaveText(/^Saved: new papers for this search come in your digest\./);
  expect((await subscriberRow(email))?.searches).toEqual([
    { q: "attention", categories: [], hasCode: true },
    { q: "diffusion", categories: ["cs.LG"] },
  ]);

  await page.locator(".search-alert").getByRole("link", { name: "Your digest" }).click();
  await expect(page).toHaveURL(/\/account\/digest$/);
  const saved = page.getByRole("list", { name: "Saved searches" });
  await expect(saved.getByRole("listitem")).toHaveCount(2);
  await expect(saved.getByRole("listitem").first()).toContainText("“attention” · with code");
  await saved.getByRole("button", { name: "Remove the saved search “attention”" }).click();
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("form", { name: "Digest settings" }).getByRole("status")).toHaveText("Saved. Applies from the next digest.");
  await page.reload();
  await expect(saved.getByRole("listitem")).toHaveText([/^“diffusion” in cs\.LG: Machine Learning/]);
  expect((await subscriberRow(email))?.searches).toEqual([{ q: "diffusion", categories: ["cs.LG"] }]);
});
