// Paper pages: math rendered by KaTeX, markup shown as text, old-style ids, and the 404 page.
import { expect, test, type Page } from "@playwright/test";

/** Fails the test if any page script opens a dialog (alert/confirm/prompt): injected markup ran. */
function forbidDialogs(page: Page): string[] {
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  return dialogs;
}

test("renders LaTeX math in the title and abstract with KaTeX", async ({ page }) => {
  const dialogs = forbidDialogs(page);
  const response = await page.goto("/papers/2606.99901");
  expect(response?.status()).toBe(200);
  await expect(page).toHaveTitle("Sub-quadratic attention in $\\mathcal{O}(n \\log n)$ time · Trending Papers");

  const heading = page.getByRole("heading", { level: 1 });
  await expect(heading.locator(".katex")).toHaveCount(1);
  await expect(heading).toContainText("Sub-quadratic attention in");

  const abstract = page.locator(".abstract");
  // $\mathcal{O}(n^2)$, $n$, \(...\), the $$...$$ display and $\href{...}{x}$.
  await expect(abstract.locator(".katex")).toHaveCount(5);
  await expect(abstract.locator(".katex-display")).toHaveCount(1);
  await expect(abstract.locator(".katex-mathml math").first()).toBeAttached();
  // \$ is a literal dollar, not math; no raw TeX delimiters are left in the text.
  await expect(abstract).toContainText("costs $5 less per run");
  expect(await abstract.evaluate((element) => element.textContent)).not.toContain("\\(");
  // trust: false: \href does not become a link.
  await expect(page.locator('a[href^="javascript:"]')).toHaveCount(0);

  // The same title on its day's list: the formula as MathML (no KaTeX stylesheet there), no raw TeX.
  await page.goto("/?date=2026-06-12");
  const card = page.locator("article.card").filter({ has: page.locator('a[href="/papers/2606.99901"]') });
  const title = card.locator(".card-title a");
  await expect(title.locator("math")).toHaveCount(1);
  await expect(title.locator(".katex-html")).toHaveCount(0);
  await expect(title).toContainText("Sub-quadratic attention in");
  expect(await title.evaluate((element) => element.textContent)).not.toContain("$");
  // Its abstract's preview too: whole formulas as MathML, the literal \$ as a dollar, no TeX on show.
  const preview = card.locator(".card-abstract");
  expect(await preview.locator("math").count()).toBeGreaterThanOrEqual(3);
  await expect(preview).not.toContainText("\\mathcal", { useInnerText: true });
  await expect(preview).toContainText("costs $5", { useInnerText: true });
  expect(dialogs).toEqual([]);
});

test("shows links, code with stars, the project page and where the record came from", async ({ page }) => {
  await page.goto("/papers/2606.99901");
  await expect(page.getByRole("link", { name: "View on arXiv" })).toHaveAttribute("href", "https://arxiv.org/abs/2606.99901");
  await expect(page.locator('a[href$=".pdf"], a[href*="/pdf/"]')).toHaveCount(0);
  const code = page.getByRole("link", { name: /^Code/ });
  await expect(code).toHaveAttribute("href", "https://github.com/example/subquadratic-attention");
  await expect(code).toContainText("2.3K");
  await expect(page.getByRole("link", { name: "Project page" })).toHaveAttribute("href", "https://example.org/subquadratic-attention");
  await expect(page.locator(".paper-authors")).toHaveText(
    "Ada Lovelace, Alan Turing, Grace Hopper, Edsger Dijkstra, Barbara Liskov, Donald Knuth, Frances Allen",
  );
  await expect(page.locator(".facts")).toContainText("ListedJune 12, 2026");
  await expect(page.locator(".facts")).toContainText("Votes120");
  await expect(page.locator(".details")).toContainText("attention, sketching, complexity");
  await expect(page.locator(".sources")).toContainText("Hugging Face daily papers (2606.99901)");
});

test("shows <script> and <img onerror> in a title and abstract as literal text", async ({ page }) => {
  const dialogs = forbidDialogs(page);
  await page.goto("/papers/2606.99902");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(
    "<script>alert(1)</script> and <img src=x onerror=alert(2)>: markup in titles stays text",
  );
  await expect(page.locator(".abstract")).toContainText("<img src=x onerror=alert(3)> and <b>bold</b> tags");
  await expect(page.locator("main img, main script, main b")).toHaveCount(0);

  // The same paper's card on its day's list.
  await page.goto("/?date=2026-06-12");
  await expect(page.getByRole("link", { name: /^<script>alert\(1\)<\/script>/ })).toBeVisible();
  await expect(page.locator("main img, main b")).toHaveCount(0);
  expect(dialogs).toEqual([]);
});

test("an old-style id keeps its slash in the URL", async ({ page }) => {
  const response = await page.goto("/papers/hep-th/9901001");
  expect(response?.status()).toBe(200);
  const heading = page.getByRole("heading", { level: 1 });
  await expect(heading).toContainText("Strings on");
  await expect(heading).toContainText("and holography");
  await expect(heading.locator(".katex")).toHaveCount(1);
  await expect(page.locator(".paper-id")).toHaveText("arXiv:hep-th/9901001");
  await expect(page.getByRole("link", { name: "View on arXiv" })).toHaveAttribute("href", "https://arxiv.org/abs/hep-th/9901001");
  await expect(page.getByRole("list", { name: "Categories" })).toHaveText(/hep-th\s*gr-qc/);
  await expect(page.locator(".paper-authors")).toHaveText("A. Physicist, B. Theorist");
  await expect(page.locator(".abstract .katex")).toHaveCount(3);

  const details = page.locator(".details");
  await expect(details).toContainText("12 pages, 2 figures");
  await expect(details).toContainText("Phys. Lett. B 450 (1999) 1-9");
  await expect(details.getByRole("link", { name: "10.1016/S0370-2693(99)00001-1" })).toHaveAttribute(
    "href",
    "https://doi.org/10.1016/S0370-2693(99)00001-1",
  );
  await expect(details.getByRole("link", { name: /arxiv\.org\/licenses/ })).toBeVisible();
  await expect(page.locator(".sources")).toContainText("arXiv metadata (Kaggle snapshot)");
});

test("a versioned id or an encoded slash still finds the paper", async ({ page }) => {
  for (const path of ["/papers/2606.99901v2", "/papers/hep-th%2F9901001"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(200);
    await expect(page.getByRole("heading", { level: 1 }), path).toBeVisible();
  }
});

test("an unknown paper or page is a 404 with a way home", async ({ page }) => {
  for (const path of ["/papers/2606.00000", "/papers/not-a-paper-id", "/papers/hep-th/0000000", "/no-such-page"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(page.getByRole("heading", { level: 1 }), path).toHaveText("Page not found");
  }
  await page.getByRole("link", { name: "See trending papers" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.locator(".window-title")).toHaveText("June 16, 2026");
});
