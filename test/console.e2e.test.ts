import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.js';
import {
  ARTIFACTS,
  buildConsole,
  givePassword,
  listenOnLocalhost,
  seriousViolations,
} from './console-kit.js';
import { type Org, startTestApp, type TestApp } from './harness.js';

/**
 * The console in headless Chromium against a real app on loopback: sign in, accept the notice, check in
 * from a goal's page and see the bar move, walk the alignment tree, sign out. Builds the console first.
 */

const PASSWORD = 'correct horse battery staple';
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

let t: TestApp;
let org: Org;
let person: { id: number; email: string };
let browser: Browser;
let page: Page;
let base = '';
const cspViolations: string[] = [];

async function createGoal(body: Record<string, unknown>): Promise<number> {
  const res = await t.request(org.key, { method: 'POST', url: '/v1/goals', payload: body });
  if (res.statusCode !== 201) throw new Error(`goal: ${res.statusCode} ${res.body}`);
  return res.json().data.id;
}

const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

beforeAll(async () => {
  if (onPostgres) return;
  await buildConsole();
  t = await startTestApp();
  org = await t.createOrg();
  person = await t.createMember(org, {
    acceptNotice: false,
    fields: { first_name: 'Ada', last_name: 'Lovelace' },
  });
  await givePassword(t, org, person, PASSWORD);
  const dates = { starts_on: day(-30), ends_on: day(60) };
  const company = await createGoal({
    name: 'Grow the company',
    goal_type: 'company',
    progress_source: 'children',
    ...dates,
  });
  await createGoal({
    name: 'Ship the console',
    owner_user_id: person.id,
    parent_id: company,
    ...dates,
    milestones: [{ name: 'Screens shipped', unit: 'number', start_value: 0, target_value: 10 }],
  });
  base = await listenOnLocalhost(t);
  browser = await launchBrowser();
  page = await browser.newPage();
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function expectAccessible(name: string) {
  await page.screenshot({ path: join(ARTIFACTS, `console-${name}.png`), fullPage: true });
  expect(await seriousViolations(page), `axe on ${name}`).toEqual([]);
}

const bar = (label: string) => page.getByRole('progressbar', { name: label });

// Each step waits on a busy shared machine: a minute each, none of it asserted. The browser test runs on
// PGlite only: the console is the same on both engines, and CI's PostgreSQL run must not rebuild it meanwhile.
describe.skipIf(onPostgres)('the console in a browser', { timeout: 60_000 }, () => {
  it('signs in and accepts the privacy notice', async () => {
    const started = Date.now();
    await page.goto(`${base}/`);
    await page.getByRole('heading', { name: 'Sign in to Trellis' }).waitFor();
    console.log(`first screen (sign-in) in ${Date.now() - started} ms`);
    await expectAccessible('sign-in');

    await page.getByLabel('Email').fill(person.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const banner = page.getByRole('alert');
    await expect.poll(() => banner.textContent()).toMatch(/Request id: \S+/);

    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Privacy notice' }).waitFor();
    await expectAccessible('notice');
    await page.getByRole('button', { name: 'I accept' }).click();
    await page.getByRole('heading', { name: 'My goals' }).waitFor();
  });

  it('lists my goals with their progress, and checks in from the list', async () => {
    await expect.poll(() => bar('Progress of Ship the console').getAttribute('aria-valuenow')).toBe('0');
    const started = Date.now();
    await page.reload();
    await bar('Progress of Ship the console').waitFor();
    console.log(`first screen (my goals, signed in) in ${Date.now() - started} ms`);
    expect(await page.getByRole('link', { name: 'Grow the company' }).count()).toBe(0);
    await expectAccessible('my-goals');

    await page.getByText('Check in on Screens shipped').click();
    await page.getByLabel('New value').fill('2');
    await page.getByRole('button', { name: 'Check in', exact: true }).click();
    await expect.poll(() => bar('Progress of Ship the console').getAttribute('aria-valuenow')).toBe('20');
  });

  it("checks in from the goal's page, and the bars and the chart move", async () => {
    await page.getByRole('link', { name: 'Ship the console' }).click();
    await page.getByRole('heading', { name: 'Ship the console' }).waitFor();
    await expect.poll(() => page.locator('.line-chart circle').count()).toBe(1);
    await expectAccessible('goal');

    await page.getByLabel('New value').fill('5');
    await page.getByLabel('Confidence (0–100%)').fill('80');
    await page.getByLabel('Comment', { exact: true }).fill('Half the screens are in');
    await page.getByRole('button', { name: 'Check in', exact: true }).click();
    await expect.poll(() => bar('Progress of Screens shipped').getAttribute('aria-valuenow')).toBe('50');
    expect(await bar('Progress of Ship the console').getAttribute('aria-valuenow')).toBe('50');
    await expect.poll(() => page.locator('.line-chart circle').count()).toBe(2);
    await page.getByText('Half the screens are in').waitFor();

    await page.getByLabel('New value').fill('8');
    await page.getByRole('button', { name: 'Check in', exact: true }).click();
    await expect.poll(() => bar('Progress of Screens shipped').getAttribute('aria-valuenow')).toBe('80');
    await expect.poll(() => page.locator('.line-chart circle').count()).toBe(3);
    await expectAccessible('goal-checked-in');
  });

  it('walks the alignment tree, expanding and searching', async () => {
    await page.getByRole('link', { name: 'Alignment' }).click();
    await page.getByRole('heading', { name: 'Alignment' }).waitFor();
    await page.getByRole('link', { name: 'Grow the company' }).waitFor();
    expect(await page.getByRole('link', { name: 'Ship the console' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Expand Grow the company' }).click();
    await page.getByRole('link', { name: 'Ship the console' }).waitFor();
    await page.getByText('Ada Lovelace').waitFor();
    // The company goal rolls up from its one child: the check-ins moved it too.
    expect(await bar('Progress of Grow the company').getAttribute('aria-valuenow')).toBe('80');
    await expectAccessible('tree');

    await page.getByRole('button', { name: 'Collapse Grow the company' }).click();
    await page.getByLabel('Search goals by name').fill('SHIP');
    await page.getByRole('link', { name: 'Ship the console' }).waitFor();
    await page.getByLabel('Search goals by name').fill('no such goal');
    await page.getByText('No goal matches.').waitFor();
  });

  it('shows an API error in words with its request id', async () => {
    await page.goto(`${base}/goals/999999999`);
    const banner = page.getByRole('alert');
    await banner.waitFor();
    expect(await banner.textContent()).toMatch(/Request id: \S+/);
  });

  it('fits a phone in one column', async () => {
    await page.setViewportSize({ width: 375, height: 740 });
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    await page.goto(`${base}/tree`);
    await page.getByRole('button', { name: 'Expand Grow the company' }).click();
    await page.getByRole('link', { name: 'Ship the console' }).waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await page.goto(`${base}/`);
    await bar('Progress of Ship the console').waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await expectAccessible('my-goals-phone');
  });

  it('keeps nothing in storage, breaks no CSP rule, and signs out', async () => {
    expect(await page.evaluate(() => localStorage.length + sessionStorage.length)).toBe(0);
    expect(cspViolations).toEqual([]);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Trellis' }).waitFor();
    await page.goto(`${base}/`);
    await page.getByRole('heading', { name: 'Sign in to Trellis' }).waitFor();
    const cookies = await page.context().cookies();
    expect(cookies.filter((c) => c.name.endsWith('trellis_session'))).toEqual([]);
  });
});
