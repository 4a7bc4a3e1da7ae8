import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';

/** Debian's Chromium, which CI installs (.ci/run); playwright-core brings no browser of its own. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Why the browser suites cannot run here, or null when they can: only a missing executable skips them. */
export const chromiumMissing = existsSync(CHROMIUM_PATH)
  ? null
  : `Skipping the browser checks: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium; .ci/run does).`;

/** Headless Chromium: a real browser, with its own cookie jar, forms and redirects. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true });
}

/** Where the pages' screenshots go, for a person to look at after a run (ignored by git). */
export const ARTIFACTS = fileURLToPath(new URL('../test-artifacts/', import.meta.url));

/** Saves what the page shows as test-artifacts/<name>.png. */
export async function screenshot(page: Page, name: string) {
  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: true });
}
