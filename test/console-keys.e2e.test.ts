import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoOrganization, rotateDemoKey, rotateDemoPassword } from '../src/demo/service.js';
import { launchBrowser } from './browser.js';
import {
  ARTIFACTS,
  buildConsole,
  givePassword,
  listenOnLocalhost,
  seriousViolations,
} from './console-kit.js';
import { type Member, type Org, startTestApp, type TestApp } from './harness.js';

/**
 * The API keys admin screen (seed 000, Admin → Platform Configuration → API) in headless Chromium against a
 * real app on loopback: a super admin generates a key for another person, copies it, and the key works, is
 * refused once revoked and works again once reactivated; a member is kept out of every admin screen.
 */

const PASSWORD = 'correct horse battery staple';
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

let t: TestApp;
let org: Org;
let admin: { id: number; email: string };
let holder: Member;
let member: Member;
let orgAdmin: Member;
let browser: Browser;
let base = '';

/** What a script holding the key gets from the server: real HTTP, as an integrator's cron job would call. */
async function callWith(key: string, path = '/v1/me') {
  const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${key}` } });
  return response.status;
}

async function signedIn(context: BrowserContext, person: { email: string }): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${base}/sign-in`);
  await page.getByLabel('Email').fill(person.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'My goals' }).waitFor();
  return page;
}

async function expectAccessible(page: Page, name: string) {
  await page.screenshot({ path: join(ARTIFACTS, `console-${name}.png`), fullPage: true });
  expect(await seriousViolations(page), `axe on ${name}`).toEqual([]);
}

beforeAll(async () => {
  if (onPostgres) return;
  await buildConsole();
  t = await startTestApp();
  org = await t.createOrg();
  const me = await t.request(org.key, { method: 'GET', url: `/v1/users/${org.adminId}` });
  admin = { id: org.adminId, email: me.json().data.email };
  holder = await t.createMember(org, { fields: { first_name: 'Grace', last_name: 'Hopper' } });
  member = await t.createMember(org, { fields: { first_name: 'Alan', last_name: 'Turing' } });
  await givePassword(t, org, admin, PASSWORD);
  await givePassword(t, org, member, PASSWORD);
  orgAdmin = await t.createMember(org, { role: 'admin', fields: { first_name: 'Ada', last_name: 'Byron' } });
  await givePassword(t, org, orgAdmin, PASSWORD);
  base = await listenOnLocalhost(t);
  browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

// Each step waits on a busy shared machine: a minute each, none of it asserted. PGlite only, as the console
// suite: the console is the same on both engines.
describe.skipIf(onPostgres)('the API keys admin screen', { timeout: 60_000 }, () => {
  let page: Page;
  let key = '';
  /** The text of what has the keyboard focus, as the person sees it. */
  const focused = () => page.evaluate(() => document.activeElement?.textContent?.trim());

  it('lists the admin screens on the admin index', async () => {
    const context = await browser.newContext();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    page = await signedIn(context, admin);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('heading', { name: 'Admin', exact: true }).waitFor();
    await expectAccessible(page, 'admin');
    await page.getByRole('region', { name: 'Integrations' }).getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('heading', { name: 'API keys' }).waitFor();
    // The org's first key, the admin's own, is listed with its holder's name and only its last four.
    const active = page.getByRole('table', { name: 'Active keys' });
    await active.getByRole('cell', { name: 'initial super admin key', exact: true }).waitFor();
    expect(await active.textContent()).not.toContain(org.key);
  });

  it('generates a key for another person, shown once, and copies it', async () => {
    await page.getByLabel('Search by name or email').fill('hopper');
    const person = page.getByLabel('Person', { exact: true });
    await expect
      .poll(() => person.locator('option').allTextContents())
      .toEqual(['Choose a person', `Grace Hopper <${holder.email}>`]);
    await person.selectOption({ label: `Grace Hopper <${holder.email}>` });
    await page.getByLabel('Key name').fill('CRM sync');
    await page.getByRole('button', { name: 'Generate key' }).click();

    const panel = page.getByRole('region', { name: /New key “CRM sync” for Grace Hopper/ });
    await panel.getByText('It will not be shown again').waitFor();
    await expectAccessible(page, 'api-keys-new-key');
    await panel.getByRole('button', { name: 'Copy key' }).click();
    await panel.getByRole('status').getByText('Copied').waitFor();
    key = await page.evaluate(() => navigator.clipboard.readText());
    expect(key).toMatch(/^tw_live_/);
    expect(await panel.getByLabel('The new live key').inputValue()).toBe(key);

    await panel.getByRole('button', { name: 'I have stored the key, close this' }).click();
    expect(await panel.count()).toBe(0);
    // Once closed, the key is nowhere on the page: the list shows its last four only.
    const row = page.getByRole('row', { name: /CRM sync/ });
    expect(await row.textContent()).toContain(`Grace Hopper`);
    expect(await row.textContent()).toContain(`…${key.slice(-4)}`);
    expect(await page.content()).not.toContain(key);
    await expectAccessible(page, 'api-keys');
  });

  it('the copied key works; revoked in the console it is refused, reactivated it works again', async () => {
    expect(await callWith(key)).toBe(200);
    await page.getByRole('button', { name: 'Revoke CRM sync' }).click();
    // Nothing happens before the admin confirms.
    expect(await callWith(key)).toBe(200);
    await page.getByRole('button', { name: 'Yes, revoke' }).click();
    await page.getByRole('status').getByText('“CRM sync” was revoked.').waitFor();
    await page
      .getByRole('table', { name: 'Revoked keys' })
      .getByRole('cell', { name: 'CRM sync', exact: true })
      .waitFor();
    await expect.poll(() => callWith(key)).toBe(401);

    await page.getByRole('button', { name: 'Reactivate CRM sync' }).click();
    await page
      .getByRole('table', { name: 'Active keys' })
      .getByRole('cell', { name: 'CRM sync', exact: true })
      .waitFor();
    await expect.poll(() => callWith(key)).toBe(200);
    // The call just made shows as the key's last use.
    await page.reload();
    const row = page.getByRole('table', { name: 'Active keys' }).getByRole('row', { name: /CRM sync/ });
    await expect.poll(() => row.getByRole('cell').nth(5).textContent()).not.toBe('never');
  });

  it("shows the API's refusal in words with its request id", async () => {
    await page.getByLabel('Search by name or email').fill('hopper');
    await page
      .getByLabel('Person', { exact: true })
      .selectOption({ label: `Grace Hopper <${holder.email}>` });
    await page.getByLabel('Key name').fill('crm SYNC');
    await page.getByRole('button', { name: 'Generate key' }).click();
    const banner = page.getByRole('alert');
    await expect.poll(() => banner.textContent()).toMatch(/already exists.*Request id: \S+/);
  });

  it('works from the keyboard alone, and the new key stays until the admin says it is stored', async () => {
    await page.reload();
    await page.getByLabel('Search by name or email').focus();
    await page.keyboard.type('hopper');
    await expect.poll(() => page.locator('#key-holder option').count()).toBe(2);
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowDown');
    expect(await page.getByLabel('Person', { exact: true }).inputValue()).toBe(String(holder.id));
    await page.keyboard.press('Tab');
    await page.keyboard.type('Nightly export');
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Generate key');
    await page.keyboard.press('Enter');

    const panel = page.getByRole('region', { name: /New key “Nightly export”/ });
    await panel.waitFor();
    await expect.poll(focused).toBe('New key “Nightly export” for Grace Hopper');
    await page.keyboard.press('Escape');
    expect(await panel.count()).toBe(1);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Copy key');
    await page.keyboard.press('Enter');
    await panel.getByRole('status').getByText('Copied').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toMatch(/^tw_test_/);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => panel.count()).toBe(0);
    expect(await focused()).toBe('Active keys');

    // The newest key comes first: its Revoke is the next stop, and the question takes the focus.
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Revoke Nightly export');
    await page.keyboard.press('Enter');
    await expect.poll(focused).toBe('Yes, revoke');
    await page.keyboard.press('Enter');
    await page.getByRole('status').getByText('“Nightly export” was revoked.').waitFor();
  });

  it('fits a phone', async () => {
    await page.setViewportSize({ width: 390, height: 800 });
    await page.reload();
    // Each key is a block of labelled lines here: the cell reads "Name: CRM sync".
    await page
      .getByRole('table', { name: 'Active keys' })
      .getByRole('cell', { name: 'Name: CRM sync' })
      .waitFor();
    // The people have loaded into the picker, whose longest choice must not widen the page either.
    await expect.poll(() => page.locator('#key-holder option').count()).toBeGreaterThan(3);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await expectAccessible(page, 'api-keys-phone');
  });

  it("shows an admin who is not a super admin the API's refusal, and no form to generate keys", async () => {
    const adminPage = await signedIn(await browser.newContext(), orgAdmin);
    await adminPage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
    await adminPage.getByRole('link', { name: 'API keys' }).click();
    const banner = adminPage.getByRole('alert');
    await expect
      .poll(() => banner.textContent())
      .toMatch(/Only super admins manage API keys.*Request id: \S+/);
    expect(await adminPage.getByRole('button', { name: 'Generate key' }).count()).toBe(0);
    expect(await adminPage.getByText('Loading keys…').count()).toBe(0);
  });

  it('keeps a member out: no Admin link, "Admins only" without a request, and the API refuses them', async () => {
    const context = await browser.newContext();
    const memberPage = await signedIn(context, member);
    const asked: string[] = [];
    memberPage.on('request', (request) => asked.push(new URL(request.url()).pathname));
    const nav = memberPage.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'My goals' }).waitFor();
    expect(await nav.getByRole('link', { name: 'Admin' }).count()).toBe(0);
    for (const path of ['/admin', '/admin/api-keys']) {
      await memberPage.goto(`${base}${path}`);
      await memberPage.getByRole('heading', { name: 'Admins only' }).waitFor();
    }
    expect(asked.filter((path) => path.startsWith('/v1/api-keys'))).toEqual([]);
    await expectAccessible(memberPage, 'admins-only');

    // The access matrix: API keys are the super admins' alone; a member's session and key are refused.
    const listed = await memberPage.evaluate(async () => (await fetch('/v1/api-keys')).status);
    expect(listed).toBe(403);
    const made = await fetch(`${base}/v1/api-keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${member.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ user: holder.id, name: 'Sneaky' }),
    });
    expect(made.status).toBe(403);
    expect((await made.json()).error).toBe('insufficient_access');
    const keys = await t.request(org.key, { method: 'GET', url: `/v1/api-keys?user_id=${holder.id}` });
    expect(keys.json().data.map((k: { name: string }) => k.name)).not.toContain('Sneaky');
  });
});

/**
 * The README's screenshot (docs/img/console.png), made, not drawn: the demo organisation, a few weeks of
 * check-ins on one of its goals, and that goal's page at 1280x800. Run with SCREENSHOT_README=1.
 */
describe.skipIf(onPostgres || !process.env.SCREENSHOT_README)(
  'the README screenshot',
  { timeout: 300_000 },
  () => {
    it('shows a demo goal with its check-in history', async () => {
      const demo = await createDemoOrganization(t.db);
      const { key } = await rotateDemoKey(t.db, demo);
      const signIn = await rotateDemoPassword(t.db, demo);
      const goal = await goalToShow(key);
      for (const milestone of goal.milestones) await checkInWeekly(key, milestone);

      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      await page.goto(`${base}/sign-in`);
      await page.getByLabel('Email').fill(signIn.email);
      await page.getByLabel('Password').fill(signIn.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'My goals' }).waitFor();
      await page.goto(`${base}/goals/${goal.id}`);
      await expect.poll(() => page.locator('.line-chart').count()).toBe(goal.milestones.length);
      await page.screenshot({ path: README_SCREENSHOT });
    });
  },
);

const README_SCREENSHOT = fileURLToPath(new URL('../docs/img/console.png', import.meta.url));

interface DemoMilestone {
  id: number;
  unit: string;
  start_value: number;
  current_value: number;
}

/** The first demo goal a person owns with two or three milestones that all measure a number. */
async function goalToShow(key: string): Promise<{ id: number; milestones: DemoMilestone[] }> {
  const response = await fetch(`${base}/v1/goals?size=100`, { headers: { authorization: `Bearer ${key}` } });
  const goals: { id: number; owner_user_id: number | null; milestones: DemoMilestone[] }[] = (
    await response.json()
  ).data;
  const shown = goals.find(
    (g) =>
      g.owner_user_id !== null &&
      g.milestones.length >= 2 &&
      g.milestones.length <= 3 &&
      g.milestones.every((m) => m.unit !== 'binary' && m.current_value !== m.start_value),
  );
  if (!shown) throw new Error('the demo has no goal to show');
  return shown;
}

/** Where each weekly check-in stands between the start and the demo's current value: a dip in week three. */
const SHARES = [0.15, 0.3, 0.26, 0.5, 0.75, 1];
const COMMENTS = [
  'Kick-off done',
  '',
  'Slower week: two people out',
  '',
  'Back on pace',
  'Latest numbers in',
];
const WEEKS = SHARES.length;

/** Six weekly check-ins climbing from the milestone's start to where the demo put it. */
async function checkInWeekly(key: string, milestone: DemoMilestone) {
  for (let week = 1; week <= WEEKS; week++) {
    const share = SHARES[week - 1] ?? 1;
    const reached = milestone.start_value + (milestone.current_value - milestone.start_value) * share;
    const value = Math.round(reached * 10) / 10;
    const comment = COMMENTS[week - 1];
    const response = await fetch(`${base}/v1/milestones/${milestone.id}/checkins`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        value,
        confidence: week === 3 ? 0.6 : 0.8,
        checked_in_at: new Date(Date.now() - (WEEKS - week) * 7 * 86_400_000 - 3_600_000).toISOString(),
        ...(comment && { comment }),
      }),
    });
    if (response.status !== 201) throw new Error(`check-in: ${response.status} ${await response.text()}`);
  }
}
