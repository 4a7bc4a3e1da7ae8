import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { ARTIFACTS } from './browser.js';
import type { Org, TestApp } from './harness.js';

export { ARTIFACTS };

const sources = fileURLToPath(new URL('../console/', import.meta.url));
const built = fileURLToPath(new URL('../dist/console/index.html', import.meta.url));

/** The newest change to the console's sources (its files and config), in ms. */
const newestSource = (dir: string): number =>
  Math.max(
    0,
    ...readdirSync(dir, { withFileTypes: true }).map((entry) =>
      entry.isDirectory() ? newestSource(join(dir, entry.name)) : statSync(join(dir, entry.name)).mtimeMs,
    ),
  );

const builtAt = () => {
  try {
    return statSync(built).mtimeMs;
  } catch {
    return 0;
  }
};

/**
 * Builds the console as `npm run build` does (into dist/console, which the app serves by default), unless
 * the build is newer than every source: the browser suites each ask for it, and one build serves them all.
 */
export async function buildConsole() {
  if (builtAt() <= newestSource(sources)) {
    // vitest sets NODE_ENV=test, which makes the Preact preset bundle its debug build (twice the size):
    // the browser suites measure the console people get.
    const testEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({ configFile: join(sources, 'vite.config.ts'), logLevel: 'warn', mode: 'production' });
    } finally {
      process.env.NODE_ENV = testEnv;
    }
  }
  mkdirSync(ARTIFACTS, { recursive: true });
}

/**
 * Listens on a free loopback port and answers the console's address as `localhost`: a secure context, where
 * the browser offers navigator.clipboard, and the host the console's CSP and cookies expect.
 */
export async function listenOnLocalhost(t: TestApp): Promise<string> {
  const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
  return address.replace('127.0.0.1', 'localhost');
}

/** Signs in on the console's own screen, as a person does, and waits for their first screen. */
export async function signInToConsole(page: Page, base: string, email: string, password: string) {
  await page.goto(`${base}/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'My goals' }).waitFor();
}

/** A person chooses a password the way they do in life: from the invitation link an admin had mailed them. */
export async function givePassword(
  t: TestApp,
  org: Org,
  person: { id: number; email: string },
  password: string,
) {
  const invite = await t.request(org.key, { method: 'POST', url: `/v1/users/${person.id}/invitation` });
  if (invite.statusCode !== 202) throw new Error(`invitation: ${invite.statusCode} ${invite.body}`);
  const text = t.mail.filter((m) => m.to === person.email && m.kind === 'invitation').at(-1)?.text ?? '';
  const link = /\/auth\/invitations\/\S+/.exec(text)?.[0];
  if (!link) throw new Error(`no invitation was mailed to ${person.email}`);
  const chosen = await t.app.inject({ method: 'POST', url: link, payload: { password } });
  if (chosen.statusCode !== 200) throw new Error(`set password: ${chosen.statusCode} ${chosen.body}`);
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface Violation {
  id: string;
  impact: string | null;
  targets: string[];
}

/** axe-core's serious and critical violations on the page as it stands. */
export async function seriousViolations(page: Page): Promise<Violation[]> {
  // Evaluated through the DevTools protocol, so the console's CSP (no inline script) does not stop it.
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document) => Promise<AxeResults> } }).axe;
    const results = await axe.run(document);
    return results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ')) }));
  });
}

interface AxeResults {
  violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[];
}
