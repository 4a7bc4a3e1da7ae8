import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllowList } from '../src/domain/webhooks/addresses.js';
import { type DeliveryWorker, deliveryWorker } from '../src/jobs/worker.js';
import { launchBrowser } from './browser.js';
import {
  ARTIFACTS,
  buildConsole,
  givePassword,
  listenOnLocalhost,
  seriousViolations,
} from './console-kit.js';
import { type Org, startTestApp, type TestApp } from './harness.js';
import { type Receiver, startReceiver } from './webhook-receiver.js';

/**
 * The configuration admin screens in headless Chromium, as a super admin: a webhook endpoint at a loopback
 * receiver, its ping delivered and seen in the log; the audit log filtered to the changes just made; a
 * period created and edited; the assessment scale changed; the sandbox reset. Builds the console first.
 */

const PASSWORD = 'correct horse battery staple';
// The receiver listens on loopback, which the allow-list must name (docs/webhooks.md, "SSRF").
const LOOPBACK = parseAllowList(['127.0.0.0/8']);
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

let t: TestApp;
let org: Org;
let admin: { id: number; email: string };
let receiver: Receiver;
let worker: DeliveryWorker;
let browser: Browser;
let page: Page;
let base = '';

beforeAll(async () => {
  if (onPostgres) return;
  await buildConsole();
  t = await startTestApp({ webhookAllow: LOOPBACK });
  org = await t.createOrg();
  admin = await t.createMember(org, {
    role: 'super_admin',
    fields: { first_name: 'Grace', last_name: 'Hopper' },
  });
  await givePassword(t, org, admin, PASSWORD);
  receiver = await startReceiver();
  worker = deliveryWorker({ db: t.db, allow: LOOPBACK });
  base = await listenOnLocalhost(t);
  browser = await launchBrowser();
  page = await browser.newPage();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
  await receiver?.close();
  await t?.close();
});

async function expectAccessible(name: string) {
  await page.screenshot({ path: join(ARTIFACTS, `console-${name}.png`), fullPage: true });
  expect(await seriousViolations(page), `axe on ${name}`).toEqual([]);
}

const heading = (name: string) => page.getByRole('heading', { name, exact: true });

// Each step waits on a busy shared machine: a minute each, none of it asserted. PGlite only, as
// test/console.e2e.test.ts explains.
describe.skipIf(onPostgres)('the configuration admin screens', { timeout: 60_000 }, () => {
  it('signs in as a super admin and lists the admin screens', async () => {
    await page.goto(`${base}/sign-in`);
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await heading('My goals').waitFor();
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('link', { name: 'Webhooks' }).waitFor();
  });

  it('creates an endpoint at a loopback receiver, shows its secret once, pings it and sees the delivery', async () => {
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await heading('Webhooks').waitFor();
    await page.getByText('No endpoints yet').waitFor();
    await page.getByText('No deliveries yet.').waitFor();

    // A refused URL first: the API's reason in words, with the request id.
    await page.getByLabel('URL (https)').fill('https://10.0.0.1/hook');
    await page.getByRole('button', { name: 'Create endpoint' }).click();
    const refusal = page.getByRole('alert');
    await expect.poll(() => refusal.textContent()).toMatch(/private.*Request id: \S+/);

    await page.getByLabel('URL (https)').fill(receiver.url('/trellis'));
    await page.getByLabel('Description').fill('The loopback receiver');
    await page.getByLabel('Only the events I choose').check();
    await page.getByLabel('period.created').check();
    // Only the API's outbound types are offered: a sign-in is not something an endpoint can receive.
    expect(await page.getByLabel('user.signed_in', { exact: true }).count()).toBe(0);
    await page.getByRole('button', { name: 'Create endpoint' }).click();
    const secret = page.getByRole('region', { name: 'Signing secret' }).locator('code');
    await expect.poll(() => secret.textContent()).toMatch(/^whsec_/);
    receiver.secrets.set('/trellis', (await secret.textContent()) ?? '');
    await page.getByText('1 event type: period.created').waitFor();
    await expectAccessible('admin-webhooks');
    await page.getByRole('button', { name: 'I have stored it' }).click();
    expect(await page.getByText(/whsec_/).count()).toBe(0);

    await page.getByRole('button', { name: 'Send test ping' }).click();
    await page.getByText('A test ping was queued').waitFor();
    await page.locator('.log-row', { hasText: 'webhook.ping' }).getByText('pending').waitFor();
    expect(await worker.runOnce()).toBe(1);
    await page.getByRole('button', { name: 'Refresh' }).click();
    const row = page.locator('.log-row', { hasText: 'webhook.ping' });
    await row.getByText('succeeded').waitFor();
    await row.getByText(/Attempt 1 · HTTP 200 in \d+ ms/).waitFor();
    await row.getByText('Answer: ok').waitFor();
    expect(receiver.at('/trellis')).toMatchObject([{ type: 'webhook.ping', verified: true }]);

    await row.getByRole('button', { name: /Redeliver webhook.ping/ }).click();
    await expect.poll(() => page.locator('.log-row', { hasText: 'webhook.ping' }).count()).toBe(2);
    await expectAccessible('admin-webhooks-delivered');
  });

  it('disables and enables the endpoint, and rotates its secret', async () => {
    await page.getByRole('button', { name: 'Disable' }).click();
    await page.getByText(/^Disabled ·/).waitFor();
    await page.getByRole('button', { name: 'Enable' }).click();
    await page.getByText(/^Enabled ·/).waitFor();
    const before = receiver.secrets.get('/trellis');
    await page.getByRole('button', { name: 'Rotate secret' }).click();
    const secret = page.getByRole('region', { name: 'Signing secret' }).locator('code');
    await expect.poll(() => secret.textContent()).toMatch(/^whsec_/);
    expect(await secret.textContent()).not.toBe(before);
    receiver.secrets.set('/trellis', (await secret.textContent()) ?? '');
    await page.getByRole('button', { name: 'I have stored it' }).click();
  });

  it('lists metric webhooks with their use, pauses one and deletes it', async () => {
    const made = await t.request(org.key, {
      method: 'POST',
      url: '/v1/metric-hooks',
      payload: { name: 'Weekly revenue from the ERP' },
    });
    expect(made.statusCode, made.body).toBe(201);
    await page.reload();
    const card = page.locator('.card', { hasText: 'Weekly revenue from the ERP' });
    await card.getByText('Last used never · 0 failures').waitFor();
    await card.getByRole('button', { name: 'Pause Weekly revenue from the ERP' }).click();
    await card.getByRole('button', { name: 'Resume Weekly revenue from the ERP' }).waitFor();
    await card.getByText(/· paused$/).waitFor();

    // A delete asks first; Cancel keeps the webhook.
    await card.getByRole('button', { name: 'Delete Weekly revenue from the ERP' }).click();
    await card.getByRole('button', { name: 'Cancel' }).click();
    await card.getByRole('button', { name: 'Delete Weekly revenue from the ERP' }).click();
    await card.getByRole('button', { name: 'Confirm delete Weekly revenue from the ERP' }).click();
    await page.getByText('No metric webhooks').waitFor();
    const left = await t.request(org.key, { method: 'GET', url: '/v1/metric-hooks' });
    expect(left.json().total_count).toBe(0);
  });

  it("creates a period and edits it, with the API's refusal in words", async () => {
    await page.goto(`${base}/admin/periods`);
    await heading('Periods').waitFor();
    await page.getByText('No periods yet').waitFor();
    const form = page.getByRole('form', { name: 'New period' });
    await form.getByLabel('Name').fill('FY2027 Q1');
    await form.getByLabel('Starts on').fill('2027-03-31');
    await form.getByLabel('Ends on').fill('2027-01-01');
    await form.getByRole('button', { name: 'Create period' }).click();
    await expect
      .poll(() => form.getByRole('alert').textContent())
      .toMatch(/starts_on must not be after ends_on.*Request id: \S+/);

    await form.getByLabel('Starts on').fill('2027-01-01');
    await form.getByLabel('Ends on').fill('2027-03-31');
    await form.getByRole('button', { name: 'Create period' }).click();
    await page.getByText('Period FY2027 Q1 was created.').waitFor();
    await page.getByText('2027-01-01 to 2027-03-31 · open').waitFor();
    await expectAccessible('admin-periods');

    await page.getByRole('button', { name: 'Edit FY2027 Q1' }).click();
    const edit = page.getByRole('form', { name: 'Edit FY2027 Q1' });
    await edit.getByLabel('Name').fill('FY2027 first quarter');
    await edit.getByLabel('Ends on').fill('2027-03-30');
    await edit.getByRole('button', { name: 'Save' }).click();
    await heading('FY2027 first quarter').waitFor();
    await page.getByText('2027-01-01 to 2027-03-30 · open').waitFor();
    const stored = await t.request(org.key, { method: 'GET', url: '/v1/periods?q=FY2027' });
    expect(stored.json().data).toMatchObject([{ name: 'FY2027 first quarter', ends_on: '2027-03-30' }]);
  });

  it('changes the assessment scale and its labels, refused in words when it is no scale', async () => {
    await page.goto(`${base}/admin/scale`);
    await heading('Assessment scale').waitFor();
    await expect.poll(() => page.getByLabel('Highest score').inputValue()).toBe('5');
    await page.getByLabel('Step').fill('3');
    await page.getByRole('button', { name: 'Save scale' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toMatch(/whole number of steps.*Request id: \S+/);

    await page.getByLabel('Step').fill('1');
    await page.getByLabel('Highest score').fill('7');
    await page.getByLabel('Label for 1').fill('Missed');
    await page.getByLabel('Label for 7').fill('Outstanding');
    await page.getByRole('button', { name: 'Save scale' }).click();
    await page.getByText('Saved: from 1 to 7 in steps of 1.').waitFor();
    await expectAccessible('admin-scale');
    await page.reload();
    await expect.poll(() => page.getByLabel('Label for 7').inputValue()).toBe('Outstanding');
    const scale = await t.request(org.key, { method: 'GET', url: '/v1/settings/assessment-scale' });
    expect(scale.json().data).toEqual({
      min: 1,
      max: 7,
      step: 1,
      labels: [
        { score: 1, label: 'Missed' },
        { score: 7, label: 'Outstanding' },
      ],
    });
  });

  it('filters the audit log to the changes just made, and opens one', async () => {
    await page.goto(`${base}/admin/audit`);
    await heading('Audit log').waitFor();
    await page.locator('.log-row').first().waitFor();
    await page.getByLabel('Action (e.g. period.created)').fill('period.created');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('1 of 1 events, oldest first').waitFor();
    await page.getByText(`· period.created · period`).first().click();
    await page.getByText('"FY2027 Q1"').waitFor();

    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByLabel('Object type (e.g. period)').fill('webhook_endpoint');
    await page.getByLabel('Actor (person id)').fill(String(admin.id));
    const today = new Date().toLocaleDateString('en-CA'); // YYYY-MM-DD, the date field's value
    await page.getByLabel('From day').fill(today);
    await page.getByLabel('To day (included)').fill(today);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    for (const action of ['created', 'pinged', 'updated', 'rotated']) {
      await page.getByText(`webhook_endpoint.${action}`).first().waitFor();
    }
    // Each actor by name, read from the directory.
    await page.getByText(/webhook_endpoint\.created · webhook_endpoint \d+ · by Grace Hopper/).waitFor();
    // The period's row is filtered out (the endpoint's own rows name period.created only in their changes).
    const actions = await page.locator('.log-row summary strong').allTextContents();
    expect(actions.length).toBeGreaterThanOrEqual(5);
    expect(actions.filter((a) => !a.startsWith('webhook_endpoint.'))).toEqual([]);
    await expectAccessible('admin-audit');

    // A filter the API refuses: its words and the request id.
    await page.getByLabel('Object id').fill('not a number');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/object_id.*Request id: \S+/);
  });

  it('resets the sandbox only once "reset" is typed, and the test data is gone', async () => {
    const testKey = await t.request(org.key, {
      method: 'POST',
      url: '/v1/api-keys',
      payload: { user: org.adminId, name: 'sandbox key', mode: 'test' },
    });
    expect(testKey.statusCode, testKey.body).toBe(201);
    const key = testKey.json().data.key as string;
    const sandboxPeriod = await t.request(key, {
      method: 'POST',
      url: '/v1/periods',
      payload: { name: 'Sandbox quarter', starts_on: '2027-01-01', ends_on: '2027-03-31' },
    });
    expect(sandboxPeriod.statusCode, sandboxPeriod.body).toBe(201);

    await page.goto(`${base}/admin/sandbox`);
    await heading('Test-mode sandbox').waitFor();
    const reset = page.getByRole('button', { name: 'Reset the sandbox' });
    expect(await reset.isDisabled()).toBe(true);
    await page.getByLabel('Type “reset” to reset the sandbox').fill('Reset');
    expect(await reset.isDisabled()).toBe(true);
    await expectAccessible('admin-sandbox');
    await page.getByLabel('Type “reset” to reset the sandbox').fill('reset');
    await reset.click();
    await page.getByText(/The test sandbox was reset from the live directory at /).waitFor();

    const periods = (k: string) => t.request(k, { method: 'GET', url: '/v1/periods' });
    expect((await periods(key)).json().total_count).toBe(0);
    expect((await periods(org.key)).json().data.map((p: { name: string }) => p.name)).toEqual([
      'FY2027 first quarter',
    ]);
  });

  it('fits a phone in one column', async () => {
    await page.setViewportSize({ width: 390, height: 800 });
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    for (const screen of ['webhooks', 'audit', 'periods', 'scale', 'sandbox']) {
      await page.goto(`${base}/admin/${screen}`);
      await page.locator('h1').waitFor();
      await page.waitForLoadState('networkidle');
      expect(await overflow(), screen).toBeLessThanOrEqual(0);
    }
    await page.goto(`${base}/admin/webhooks`);
    await page.locator('.log-row').first().waitFor();
    await expectAccessible('admin-webhooks-phone');
  });

  it("shows an admin who is not a super admin the API's refusal of the audit log and the reset", async () => {
    const other = await t.createMember(org, { role: 'admin' });
    await givePassword(t, org, other, PASSWORD);
    const context = await browser.newContext();
    const second = await context.newPage();
    await second.goto(`${base}/sign-in`);
    await second.getByLabel('Email').fill(other.email);
    await second.getByLabel('Password').fill(PASSWORD);
    await second.getByRole('button', { name: 'Sign in' }).click();
    await second.getByRole('heading', { name: 'My goals' }).waitFor();
    await second.goto(`${base}/admin/audit`);
    const refusal = second.getByRole('alert');
    await expect
      .poll(() => refusal.textContent())
      .toMatch(/Only super admins read the audit log.*Request id: \S+/);
    await second.goto(`${base}/admin/sandbox`);
    await second.getByLabel('Type “reset” to reset the sandbox').fill('reset');
    await second.getByRole('button', { name: 'Reset the sandbox' }).click();
    await expect.poll(() => refusal.textContent()).toMatch(/Only super admins reset.*Request id: \S+/);
    await context.close();
  });
});
