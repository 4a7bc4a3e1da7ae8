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
  signInToConsole,
} from './console-kit.js';
import { type Org, startTestApp, type TestApp } from './harness.js';

/**
 * The calibration admin screens in headless Chromium, as a super admin (who manages every cycle,
 * docs/calibration.md): a cycle created and opened, a session, a rating changed and read back over HTTP,
 * the 9-box counting it, the API's refusal once the cycle is locked; a member kept out. Builds the console.
 */

const PASSWORD = 'correct horse battery staple';
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

let t: TestApp;
let org: Org;
let admin: { id: number; email: string };
let member: { id: number; email: string };
let browser: Browser;
let page: Page;
let base = '';
let cycleId = 0;

beforeAll(async () => {
  if (onPostgres) return;
  await buildConsole();
  t = await startTestApp();
  org = await t.createOrg();
  admin = await t.createMember(org, {
    role: 'super_admin',
    fields: { first_name: 'Grace', last_name: 'Hopper' },
  });
  member = await t.createMember(org, { fields: { first_name: 'Ada', last_name: 'Lovelace' } });
  await t.createMember(org, { fields: { first_name: 'Alan', last_name: 'Turing' } });
  await givePassword(t, org, admin, PASSWORD);
  await givePassword(t, org, member, PASSWORD);
  base = await listenOnLocalhost(t);
  browser = await launchBrowser();
  page = await browser.newPage();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function expectAccessible(name: string) {
  await page.screenshot({ path: join(ARTIFACTS, `console-calibration-${name}.png`), fullPage: true });
  expect(await seriousViolations(page), `axe on ${name}`).toEqual([]);
}

const heading = (name: string) => page.getByRole('heading', { name, exact: true });
const adaRow = () => page.getByRole('row').filter({ hasText: 'Ada Lovelace' });

async function adaRecord() {
  const answer = await t.request(org.key, {
    method: 'GET',
    url: `/v1/calibration/cycles/${cycleId}/talent-records?user_id=${member.id}`,
  });
  expect(answer.statusCode).toBe(200);
  return answer.json().data[0];
}

// Each step waits on a busy shared machine: a minute each. PGlite only, as test/console.e2e.test.ts explains.
describe.skipIf(onPostgres)('the calibration admin screens', { timeout: 60_000 }, () => {
  it('creates a cycle from the admin index and finds it listed', async () => {
    await signInToConsole(page, base, admin.email, PASSWORD);
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('link', { name: 'Calibration' }).click();
    await heading('Calibration cycles').waitFor();
    await page.getByText('No calibration cycles yet').waitFor();
    await expectAccessible('list-empty');

    await page.getByLabel('Name', { exact: true }).fill('H1 2027 calibration');
    await page.getByRole('button', { name: 'Create cycle' }).click();
    await page.getByText('Cycle H1 2027 calibration was created as a draft.').waitFor();
    await page.getByText(/draft: no talent records yet · 0 talent records/).waitFor();
    await expectAccessible('list');
  });

  it('opens the cycle, sees its talent records, and splits off a session', async () => {
    await page.getByRole('link', { name: 'H1 2027 calibration' }).click();
    await heading('H1 2027 calibration').waitFor();
    cycleId = Number(page.url().split('/').at(-1));
    await page.getByText('Talent records are made when the cycle opens.').waitFor();
    await page.getByRole('button', { name: 'Open H1 2027 calibration', exact: true }).click();
    await page.getByRole('button', { name: 'Confirm open H1 2027 calibration', exact: true }).click();
    await page.getByText(/open: ratings may change/).waitFor();
    await adaRow().waitFor();
    await page.getByRole('row').filter({ hasText: 'Alan Turing' }).waitFor();
    expect(await adaRow().getByText('Not rated').count()).toBe(1);

    await page.getByLabel('Session name').fill('Research');
    await page
      .getByRole('group', { name: /Participants/ })
      .getByLabel('Alan Turing')
      .check();
    await page.getByLabel('Search people by name or email').fill('Grace');
    await page.getByRole('option', { name: /Grace Hopper/ }).waitFor({ state: 'attached' });
    await page.getByRole('button', { name: 'Create session' }).click();
    const session = page.locator('.card', { hasText: 'Research' });
    await session.getByText('Participants: Alan Turing').waitFor();
    await session.getByText('Facilitators: Grace Hopper').waitFor();
    expect(await page.getByLabel('Search people by name or email').inputValue()).toBe('');
    await expectAccessible('cycle');
  });

  it('changes a rating, sees it in the table and the 9-box, and reads it back over HTTP', async () => {
    await adaRow().getByRole('button', { name: 'Change rating of Ada Lovelace' }).click();
    const form = page.getByRole('form', { name: 'Rating of Ada Lovelace' });
    await form.getByLabel('Calibrated performance').selectOption('Exceeds expectations');
    await form.getByLabel('Calibrated potential').selectOption('High');
    await expectAccessible('rating-form');
    await form.getByRole('button', { name: 'Save rating' }).click();
    await adaRow().getByText('Star').waitFor();
    await adaRow().getByText('Calibrated', { exact: true }).waitFor();
    const star = page
      .getByRole('table', { name: /per box/ })
      .getByRole('cell', { name: 'Star 1', exact: true });
    await star.waitFor();
    const distribution = page.getByRole('table', { name: 'Final performance ratings against the target' });
    const exceeds = distribution.getByRole('row', { name: /Exceeds expectations/ });
    await expect.poll(() => exceeds.getByRole('cell').first().textContent()).toBe('1');
    await exceeds.getByRole('cell', { name: '100%' }).waitFor();

    expect(await adaRecord()).toMatchObject({
      calibrated_performance: 'Exceeds expectations',
      calibrated_potential: 'High',
      box: 'Star',
    });
    await expectAccessible('rated');
  });

  it('locks the cycle, and a change is refused in words with its request id', async () => {
    await page.getByRole('button', { name: 'Lock H1 2027 calibration', exact: true }).click();
    await page.getByRole('button', { name: 'Confirm lock H1 2027 calibration', exact: true }).click();
    await page.getByText(/locked: records frozen/).waitFor();
    await adaRow().getByRole('button', { name: 'Change rating of Ada Lovelace' }).click();
    const form = page.getByRole('form', { name: 'Rating of Ada Lovelace' });
    await form.getByLabel('Calibrated performance').selectOption('Meets expectations');
    await form.getByRole('button', { name: 'Save rating' }).click();
    await expect.poll(() => form.getByRole('alert').textContent()).toMatch(/locked.*Request id: \S+/i);
    expect(await adaRecord()).toMatchObject({ calibrated_performance: 'Exceeds expectations' });
    await expectAccessible('refused');
  });

  it('fits a phone: nothing scrolls sideways', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await adaRow().waitFor();
    const wide = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    expect(wide).toBe(false);
    await expectAccessible('phone');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('keeps a member out: "Admins only", and no request for the cycles', async () => {
    const context = await browser.newContext();
    const memberPage = await context.newPage();
    const asked: string[] = [];
    memberPage.on('request', (r) => r.url().includes('/v1/calibration') && asked.push(r.url()));
    await signInToConsole(memberPage, base, member.email, PASSWORD);
    await memberPage.goto(`${base}/admin/calibration`);
    await memberPage.getByRole('heading', { name: 'Admins only' }).waitFor();
    expect(asked).toEqual([]);
    await context.close();
  });
});
