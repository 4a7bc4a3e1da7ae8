import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import type { Org, TestApp } from './harness.js';

/** Where the browser test leaves its screenshots (gitignored). */
export const ARTIFACTS = fileURLToPath(new URL('../test-artifacts/', import.meta.url));

/** Builds the console as `npm run build` does (into dist/console, which the app serves by default). */
export async function buildConsole() {
  await build({
    configFile: fileURLToPath(new URL('../console/vite.config.ts', import.meta.url)),
    logLevel: 'warn',
  });
  mkdirSync(ARTIFACTS, { recursive: true });
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
