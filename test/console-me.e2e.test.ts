import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.js';
import {
  ARTIFACTS,
  buildConsole,
  listenOnLocalhost,
  seriousViolations,
  signInToConsole,
} from './console-kit.js';
import {
  APP_NAME,
  authoriseApp,
  buildMeWorld,
  caller,
  introspectWith,
  type MeWorld,
  PASSWORD,
} from './console-me-world.js';
import { startTestApp, type TestApp } from './harness.js';

/**
 * The console's personal screens, a goal's comments and assessments, and the admin's OAuth apps, in headless
 * Chromium against a real app on loopback: a token made in the console calls the API until it is revoked there,
 * an app authorised through the real consent page loses its token when revoked on /me/apps, and so on.
 */

let t: TestApp;
let world: MeWorld;
let browser: Browser;
let page: Page;
let base = '';

const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

beforeAll(async () => {
  if (onPostgres) return;
  await buildConsole();
  t = await startTestApp();
  world = await buildMeWorld(t);
  base = await listenOnLocalhost(t);
  browser = await launchBrowser();
  const context = await browser.newContext();
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  page = await context.newPage();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function expectAccessible(on: Page, name: string) {
  await on.screenshot({ path: join(ARTIFACTS, `console-${name}.png`), fullPage: true });
  expect(await seriousViolations(on), `axe on ${name}`).toEqual([]);
}

const signIn = (on: Page, email: string) => signInToConsole(on, base, email, PASSWORD);

/** Goes to a personal screen the way a person does: through the header's Me menu. */
async function openFromMenu(title: string) {
  await page.getByText('Me', { exact: true }).click();
  await page.getByRole('link', { name: title }).click();
}

const asBearer = (token: string) =>
  fetch(`${base}/v1/me`, { headers: { authorization: `Bearer ${token}` } }).then((res) => res.status);

// console.e2e.test.ts: the console is the same on both engines.
describe.skipIf(onPostgres)('the personal screens in a browser', { timeout: 60_000 }, () => {
  it('makes an instant token that calls the API until it is revoked', async () => {
    await signIn(page, world.ada.email);
    await openFromMenu('Instant tokens');
    await page.getByRole('heading', { name: 'My instant tokens' }).waitFor();
    await page.getByText('You have no instant tokens.').waitFor();

    await page.getByLabel('Name').fill('CI script');
    await page.getByLabel('What it may do').selectOption('read');
    await page.getByRole('button', { name: 'Make a token' }).click();
    const secret = page.locator('.secret');
    await secret.waitFor();
    const token = (await secret.textContent()) ?? '';
    expect(token).toMatch(/^twi_live_/);
    await page.getByRole('button', { name: 'Copy' }).click();
    await page.getByText('Copied.').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
    await page.getByText(`…${token.slice(-4)} · read only`).waitFor();
    await expectAccessible(page, 'me-tokens');
    expect(await asBearer(token)).toBe(200);

    await page.getByRole('button', { name: 'Done' }).click();
    expect(await secret.count()).toBe(0);
    await page.getByRole('button', { name: 'Revoke CI script' }).click();
    await page.getByRole('button', { name: 'Confirm revoke CI script' }).click();
    await page.getByText('You have no instant tokens.').waitFor();
    expect(await asBearer(token)).toBe(401);
  });

  it('revokes an app authorised through the consent page, and its token is refused', async () => {
    await openFromMenu('Authorised apps');
    await page.getByText('You have not let any app act for you.').waitFor();
    const token = await authoriseApp(page, base, world.appClientId);
    expect(await asBearer(token)).toBe(200);

    await page.goto(`${base}/me/apps`);
    await page.getByRole('heading', { name: APP_NAME }).waitFor();
    await page.getByText('May read what you can').waitFor();
    await expectAccessible(page, 'me-apps');
    await page.getByRole('button', { name: `Revoke ${APP_NAME}` }).click();
    await page.getByRole('button', { name: `Confirm revoke ${APP_NAME}` }).click();
    await page.getByText('You have not let any app act for you.').waitFor();
    expect(await asBearer(token)).toBe(401);
  });

  it('comments on and assesses a goal from its page, and both are there after a reload', async () => {
    await page.goto(`${base}/goals/${world.goalId}`);
    await page.getByRole('heading', { name: 'Ship the engine' }).waitFor();
    await page.getByText('No comments yet.').waitFor();
    await page.getByText('Nobody has assessed this goal yet.').waitFor();

    await page.getByLabel('Your comment').fill('The first gears are cut.');
    await page.getByRole('button', { name: 'Post comment' }).click();
    await page.getByText('The first gears are cut.').waitFor();
    await page.getByLabel('Score', { exact: true }).selectOption('4');
    await page.getByLabel('Why this score').fill('Ahead of plan.');
    await page.getByRole('button', { name: 'Save assessment' }).click();
    await page.getByText('4 of 1–5').waitFor();

    await page.reload();
    await page.getByText('The first gears are cut.').waitFor();
    await page.getByText('Ahead of plan.').waitFor();
    expect(await page.getByText('You (self-assessment) · mid-cycle').count()).toBe(1);
    // One assessment each: the form is gone once mine is given.
    expect(await page.getByRole('form', { name: 'Assess this goal' }).count()).toBe(0);
    await expectAccessible(page, 'goal-comments-assessments');

    await page.getByRole('button', { name: 'Delete your comment' }).click();
    await page.getByRole('button', { name: 'Confirm delete your comment' }).click();
    await page.getByText('No comments yet.').waitFor();
  });

  it("shows the API's refusal of an assessment by someone who may not assess, with its request id", async () => {
    await page.goto(`${base}/goals/${world.companyGoalId}`);
    await page.getByRole('heading', { name: 'Grow the company' }).waitFor();
    await page.getByLabel('Score', { exact: true }).selectOption('3');
    await page.getByRole('button', { name: 'Save assessment' }).click();
    const banner = page.getByRole('form', { name: 'Assess this goal' }).getByRole('alert');
    await expect.poll(() => banner.textContent()).toMatch(/Request id: \S+/);
    expect(await page.getByText('Nobody has assessed this goal yet.').count()).toBe(1);
  });

  it('recognises a colleague, and the recognition is listed as given', async () => {
    await openFromMenu('Recognition');
    await page.getByRole('heading', { name: 'Recognition', exact: true }).waitFor();
    await page.getByText('You have not recognised anyone yet.').waitFor();
    // Nobody chosen yet: the browser's required check stops the form, and no recognition is given.
    await page.getByLabel('Message (#words become hashtags)').fill('Thanks!');
    await page.getByRole('button', { name: 'Recognise', exact: true }).click();
    const chosen = page.getByLabel('Colleague', { exact: true });
    expect(await chosen.evaluate((select: HTMLSelectElement) => select.validity.valueMissing)).toBe(true);
    await page.getByLabel('Search people by name or email').fill('Grace');
    const colleague = page.getByLabel('Colleague', { exact: true });
    await expect.poll(() => colleague.textContent()).toContain('Grace Hopper');
    await colleague.selectOption({ label: `Grace Hopper (${world.grace.email})` });
    await page.getByLabel('Message (#words become hashtags)').fill('Thank you for the #debugging help!');
    await page.getByRole('button', { name: 'Recognise', exact: true }).click();

    const given = page.getByRole('region', { name: 'Recognition given' });
    await given.getByText('Thank you for the #debugging help!').waitFor();
    expect(await given.textContent()).toContain('From you to Grace Hopper');
    expect(await given.textContent()).toContain('#debugging');
    await expectAccessible(page, 'me-recognition');
    const counted = await caller(t)(
      world.grace.key,
      'GET',
      `/v1/recognition/counts?user_id=${world.grace.id}`,
    );
    expect(counted.received).toBe(1);
  });

  it('lists feedback exactly as the API answers: the anonymous answer is not there', async () => {
    await openFromMenu('Feedback');
    const received = page.getByRole('region', { name: 'Feedback received' });
    await received.getByText('Clear release notes.').waitFor();
    expect(await received.textContent()).toContain('From Grace Hopper');
    expect(await received.getByRole('listitem').count()).toBe(1);
    expect(await page.getByText('Secret praise').count()).toBe(0);
    // The request it answered shows in totals only, never who answered.
    const requested = page.getByRole('region', { name: 'Feedback requested about me' });
    await requested.getByText('You asked 2 people · 1 answered · 1 pending').waitFor();
    expect(await requested.textContent()).not.toContain('Grace');

    await page.getByLabel('Search people by name or email').fill('Grace');
    const about = page.getByLabel('About', { exact: true });
    await expect.poll(() => about.textContent()).toContain('Grace Hopper');
    await page.getByLabel('Your feedback').fill('Great pairing this week.');
    await page.getByRole('button', { name: 'Give feedback' }).click();
    const given = page.getByRole('region', { name: 'Feedback given' });
    await given.getByText('Great pairing this week.').waitFor();
    await expectAccessible(page, 'me-feedback');
  });

  it('lists my conversations with whom and their status', async () => {
    await openFromMenu('Conversations');
    await page.getByRole('heading', { name: /With Grace Hopper/ }).waitFor();
    expect(await page.getByText('not started').count()).toBe(1);
    await expectAccessible(page, 'me-conversations');
  });

  it('opens the Me menu from the keyboard, closes it with Escape, and follows a link with Enter', async () => {
    await page.goto(`${base}/`);
    await page.getByRole('heading', { name: 'My goals' }).waitFor();
    const tokens = page.getByRole('link', { name: 'Instant tokens' });
    await page.locator('summary', { hasText: 'Me' }).focus();
    await page.keyboard.press('Enter');
    await tokens.waitFor();
    await page.keyboard.press('Escape');
    await tokens.waitFor({ state: 'hidden' });
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    expect(await tokens.evaluate((link) => link === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'My instant tokens' }).waitFor();
    await tokens.waitFor({ state: 'hidden' });
  });

  it('keeps a member out of the admin OAuth apps, and fits a phone', async () => {
    await page.goto(`${base}/admin/oauth-apps`);
    await page.getByRole('heading', { name: 'Admins only' }).waitFor();

    await page.setViewportSize({ width: 390, height: 800 });
    await page.goto(`${base}/me/recognition`);
    await page.getByText('From you to Grace Hopper').waitFor();
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await page.getByText('Me', { exact: true }).click();
    await page.getByRole('link', { name: 'Instant tokens' }).waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await expectAccessible(page, 'me-recognition-phone');
    expect(await page.evaluate(() => localStorage.length + sessionStorage.length)).toBe(0);
  });

  it('registers an OAuth app as an admin: the client hash shown once works, rotates, and the app is deleted', async () => {
    const admin = await (await browser.newContext()).newPage();
    await signIn(admin, world.alan.email);
    await admin.getByRole('link', { name: 'Admin' }).click();
    await admin.getByRole('link', { name: 'OAuth apps' }).click();
    await admin.getByRole('heading', { name: APP_NAME }).waitFor();

    await admin.getByLabel('Name').fill('Payroll bridge');
    await admin.getByLabel('Contact email').fill('payroll@example.com');
    await admin.getByLabel(/Redirect URIs/).fill('http://payroll.example.com/callback');
    await admin.getByRole('button', { name: 'Register' }).click();
    // Plain http off loopback is refused: the API's words and the request id.
    const banner = admin.getByRole('alert');
    await expect.poll(() => banner.textContent()).toMatch(/Request id: \S+/);
    await admin.getByLabel(/Redirect URIs/).fill('https://payroll.example.com/callback');
    await admin.getByRole('button', { name: 'Register' }).click();
    const hash = (await admin.locator('.secret').textContent()) ?? '';
    expect(hash).toMatch(/^twh_/);
    await admin.getByRole('heading', { name: 'Payroll bridge' }).waitFor();
    await expectAccessible(admin, 'admin-oauth-apps');
    const clientId =
      (await admin
        .getByRole('listitem')
        .filter({ hasText: 'Payroll bridge' })
        .locator('code')
        .first()
        .textContent()) ?? '';
    expect(await introspectWith(base, clientId, hash)).toBe(200);

    await admin.getByRole('button', { name: 'Rotate client hash of Payroll bridge' }).click();
    await expect.poll(() => admin.locator('.secret').textContent()).not.toBe(hash);
    const rotated = (await admin.locator('.secret').textContent()) ?? '';
    expect(await introspectWith(base, clientId, rotated)).toBe(200);
    await admin.getByText(/The previous client hash works until/).waitFor();

    await admin.getByRole('button', { name: 'Delete Payroll bridge' }).click();
    await admin.getByRole('button', { name: 'Confirm delete Payroll bridge' }).click();
    await expect.poll(() => admin.getByRole('heading', { name: 'Payroll bridge' }).count()).toBe(0);
    expect(await introspectWith(base, clientId, rotated)).toBe(401);
  });
});
