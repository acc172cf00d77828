// Shared browser-test steps: axe audits and screenshots (not a spec file, so Playwright does not run it).
import path from "node:path";
import { expect, type Page, type TestInfo } from "@playwright/test";
import { mailsTo } from "./services";

const AXE_PATH = path.join(process.cwd(), "node_modules/axe-core/axe.min.js");

type AxeViolation = { id: string; impact: string | null; help: string; nodes: { target: unknown[]; failureSummary?: string }[] };
type AxeWindow = Window & { axe: { run: () => Promise<{ violations: AxeViolation[] }> } };

/** Runs axe-core on the page as it is and fails with a readable list of what it found. */
export async function expectNoAxeViolations(page: Page): Promise<void> {
  await page.addScriptTag({ path: AXE_PATH });
  const violations = await page.evaluate(async () => (await (window as unknown as AxeWindow).axe.run()).violations);
  const report = violations.map(
    (violation) =>
      `${violation.id} (${violation.impact}): ${violation.help}\n` +
      violation.nodes.map((node) => `    ${JSON.stringify(node.target)} ${node.failureSummary ?? ""}`).join("\n"),
  );
  expect(report, report.join("\n")).toEqual([]);
}

/**
 * Saves test-results/screenshots/<project>-<name>.png for people to look at: the whole page, or
 * just the first screen where the whole page is too tall to look at (the home page's 30 cards).
 */
export async function saveScreenshot(page: Page, testInfo: TestInfo, name: string, fullPage = true): Promise<void> {
  await page.screenshot({ path: path.join("test-results", "screenshots", `${testInfo.project.name}-${name}.png`), fullPage });
}

/** How far the page is wider than the viewport (0 when there is no horizontal scroll). */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** The first mail to `address` whose subject matches, waiting for it to reach the mail catcher. */
export async function waitForMail(address: string, subject: RegExp) {
  let found: Awaited<ReturnType<typeof mailsTo>>[number] | undefined;
  await expect
    .poll(async () => (found = (await mailsTo(address)).find((mail) => subject.test(mail.subject))), { timeout: 30_000, message: `a mail to ${address} matching ${subject}` })
    .toBeTruthy();
  return found!;
}
