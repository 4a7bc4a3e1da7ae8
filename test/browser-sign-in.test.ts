import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchBrowser, screenshot } from './browser.js';
import { type Member, type Org, startTestApp, type TestApp } from './harness.js';

/**
 * The sign-in pages in a real browser (docs/sign-in.md): headless Chromium over real HTTP on loopback, plain
 * HTML forms without JavaScript. The session cookie is Secure and `__Host-` prefixed, as in production:
 * Chromium treats http://127.0.0.1 as a secure context, so it keeps the cookie without TLS.
 */
if (chromiumMissing) console.warn(chromiumMissing);

const PASSWORD = 'correct horse battery staple';

describe.skipIf(chromiumMissing)('signing in with a browser', () => {
  let t: TestApp;
  let org: Org;
  let person: Member;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    org = await t.createOrg();
    person = await t.createMember(org, { acceptNotice: false });
    await choosePassword(person);
    browser = await launchBrowser();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** The person follows their invitation link and chooses a password, as the mail tells them to. */
  async function choosePassword(who: Member) {
    const invite = await t.request(org.key, { method: 'POST', url: `/v1/users/${who.id}/invitation` });
    expect(invite.statusCode, invite.body).toBe(202);
    const link = /\/auth\/invitations\/\S+/.exec(t.mail.at(-1)?.text ?? '')?.[0];
    const set = await t.app.inject({ method: 'POST', url: link ?? '', payload: { password: PASSWORD } });
    expect(set.statusCode, set.body).toBe(200);
  }

  async function submitSignIn(page: Page, password: string) {
    await page.goto(`${base}/auth/sign-in`);
    await page.fill('input[name="email"]', person.email);
    await page.fill('input[name="password"]', password);
    await page.click('button[type="submit"]');
  }

  it('shows a wrong password as a sentence, on the form again', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${base}/auth/sign-in`);
    await screenshot(page, 'sign-in');
    await submitSignIn(page, 'not the password at all');
    await expect.poll(() => page.textContent('main')).toContain('The email or password is incorrect.');
    expect(new URL(page.url()).pathname).toBe('/auth/sign-in');
    expect(await page.inputValue('input[name="email"]')).toBe(person.email);
    await screenshot(page, 'sign-in-refused');
    expect(await page.context().cookies()).toEqual([]);
  });

  it('signs in, accepts the notice, lands on the account page, and the session calls /v1', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await submitSignIn(page, PASSWORD);
    await page.waitForURL(`${base}/auth/notice`);
    expect(await page.textContent('h1')).toBe('Privacy notice');
    await screenshot(page, 'privacy-notice');

    // Before acceptance the session is refused everywhere but the notice page.
    const early = await context.request.get(`${base}/v1/me`);
    expect(early.status()).toBe(403);
    expect((await early.json()).error).toBe('privacy_notice_not_accepted');

    await page.click('button[type="submit"]');
    await page.waitForURL(`${base}/auth/account`);
    expect(await page.textContent('main')).toContain(`You are signed in as ${person.email}.`);
    await screenshot(page, 'account');

    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({
      name: '__Host-trellis_session',
      secure: true,
      httpOnly: true,
      sameSite: 'Lax',
    });
    const me = await context.request.get(`${base}/v1/me`);
    expect(me.status()).toBe(200);
    expect((await me.json()).data.user).toMatchObject({ id: person.id, email: person.email });
  });
});
