import { defineConfig, devices } from "@playwright/test";
import { noBrowserMessage, resolveBrowser } from "./tests/e2e/browser";

const PORT = 3100;
const BASE_URL = `http://localhost:${PORT}`;

// Playwright's own Chromium where it is installed, else Debian's, else the one the npm package
// @sparticuz/chromium ships (tests/e2e/browser.ts). With none, stop at once with one line, before the
// web server starts, instead of failing every test.
const browser = resolveBrowser();
if (!browser) {
  console.error(noBrowserMessage());
  process.exit(1);
}
const executablePath = browser.executablePath;

const launchOptions = {
  executablePath,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
};

export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: true,
  workers: 2,
  retries: 0,
  reporter: "list",
  timeout: 30_000,
  use: {
    baseURL: BASE_URL,
    trace: "retain-on-failure",
  },
  projects: [
    {
      name: "desktop",
      use: { ...devices["Desktop Chrome"], viewport: { width: 1280, height: 800 }, launchOptions },
    },
    {
      // Layout, accessibility and screenshots at phone width; behaviour is covered once, on desktop.
      name: "phone",
      testMatch: "look.spec.ts",
      use: {
        ...devices["Desktop Chrome"],
        viewport: { width: 375, height: 812 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
        launchOptions,
      },
    },
  ],
  webServer: {
    // Starts a throwaway Postgres with the fixtures, then `next start` (the build comes first, in test:e2e).
    command: "npx tsx tests/e2e/serve.ts",
    url: BASE_URL,
    env: { PORT: String(PORT) },
    reuseExistingServer: false,
    timeout: 120_000,
    // SIGTERM lets serve.ts stop Next and Postgres and remove its temp folder.
    gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
    stdout: "pipe",
    stderr: "pipe",
  },
});
