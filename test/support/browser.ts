import { existsSync } from "node:fs";
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium } from "playwright-core";
import { describe } from "vitest";

/** Debian's Chromium; `npx playwright install` cannot run here, so the system browser is used. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export const chromiumAvailable = existsSync(CHROMIUM_PATH);

/** In CI (or when asked) a missing browser is a failure, never a silent skip. */
export const chromiumRequired = process.env.CI === "true" || process.env.REQUIRE_CHROMIUM === "1";

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export async function launchBrowser(): Promise<Browser> {
  if (!chromiumAvailable) throw new Error(`Chromium not found at ${CHROMIUM_PATH} (set CHROMIUM_PATH)`);
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ARGS });
}

/** A fresh context (own cookies and storage) for one user. */
export async function newUserContext(
  browser: Browser,
  options: BrowserContextOptions = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    colorScheme: "dark",
    // English unless a test asks for another language (the UI follows the browser's).
    locale: "en-US",
    ...options,
  });
  // Fail a step with Playwright's own message well before the test's timeout.
  context.setDefaultTimeout(10_000);
  return context;
}

/** Browser tests sign users up (password hashing) and drive two pages: give them room. */
const SUITE_TIMEOUT_MS = 60_000;

/**
 * `describe` for browser tests: skips with a reason when Chromium is absent, but when CI=true or
 * REQUIRE_CHROMIUM=1 registers the suite anyway so it fails loudly at launch.
 */
export function describeIfChromium(name: string, fn: () => void): void {
  if (chromiumAvailable || chromiumRequired) {
    describe(name, { timeout: SUITE_TIMEOUT_MS }, fn);
    return;
  }
  describe.skip(
    `${name} (skipped: no Chromium at ${CHROMIUM_PATH}; set REQUIRE_CHROMIUM=1 to fail instead)`,
    fn,
  );
}
