import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchBrowser, screenshot } from './browser.js';
import { type Member, type Org, startTestApp, type TestApp } from './harness.js';

/**
 * The consent flow in a real browser (docs/oauth.md, issue 16's Tests): headless Chromium opens
 * /oauth/authorize, is sent to sign in, accepts the privacy notice, comes back to the plain consent page and
 * is redirected to the app's redirect URI, a real HTTP server of the test's own on loopback that records the
 * query it receives. The app then exchanges the code with a plain form post and calls /v1 as the person.
 */
if (chromiumMissing) console.warn(chromiumMissing);

const PASSWORD = 'correct horse battery staple';
const ORG_NAME = 'Consent Test Organisation';
const APP_NAME = 'Roadmap Sync';

/** The app's side: the callback it is redirected to, and every query it has received there. */
interface Callback {
  server: Server;
  uri: string;
  received: URLSearchParams[];
}

async function startCallback(): Promise<Callback> {
  const received: URLSearchParams[] = [];
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/callback') {
      response.writeHead(404).end();
      return;
    }
    received.push(url.searchParams);
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end('<!doctype html><title>Roadmap Sync</title><h1>Back at Roadmap Sync</h1>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const uri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`;
  return { server, uri, received };
}

/** RFC 7636: a verifier and its S256 challenge. */
function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

describe.skipIf(chromiumMissing)('consenting to an OAuth app with a browser', () => {
  let t: TestApp;
  let org: Org;
  let base: string;
  let callback: Callback;
  let clientId: string;
  let browser: Browser;

  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    callback = await startCallback();
    org = await t.createOrg(ORG_NAME);
    const registered = await t.request(org.key, {
      method: 'POST',
      url: '/v1/oauth-apps',
      payload: {
        name: APP_NAME,
        description: 'Keeps your roadmap in step with your goals.',
        redirect_uris: [callback.uri],
        contact_email: 'developer@example.com',
        kind: 'public',
      },
    });
    expect(registered.statusCode, registered.body).toBe(201);
    clientId = registered.json().data.client_id;
    browser = await launchBrowser();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => callback?.server.close(resolve));
    await t?.close();
  });

  /** A person who has followed their invitation link and chosen a password, as the mail tells them to. */
  async function personWithPassword(acceptNotice: boolean): Promise<Member> {
    const who = await t.createMember(org, { acceptNotice });
    const invite = await t.request(org.key, { method: 'POST', url: `/v1/users/${who.id}/invitation` });
    expect(invite.statusCode, invite.body).toBe(202);
    const mail = t.mail.filter((m) => m.to === who.email).at(-1);
    const link = /\/auth\/invitations\/\S+/.exec(mail?.text ?? '')?.[0];
    const set = await t.app.inject({ method: 'POST', url: link ?? '', payload: { password: PASSWORD } });
    expect(set.statusCode, set.body).toBe(200);
    return who;
  }

  function authorizeUrl(state: string, challenge: string) {
    const url = new URL('/oauth/authorize', base);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: callback.uri,
      scope: 'read',
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }).toString();
    return url.toString();
  }

  const at = (page: Page, pathname: string) => page.waitForURL((url) => url.pathname === pathname);
  const atCallback = (page: Page) => page.waitForURL((url) => url.href.startsWith(`${callback.uri}?`));

  /** From /oauth/authorize to the sign-in form, signed in: the page then stands wherever sign-in sent it. */
  async function signInFrom(page: Page, state: string, challenge: string, who: Member, shot?: string) {
    await page.goto(authorizeUrl(state, challenge));
    await at(page, '/auth/sign-in');
    expect(new URL(page.url()).searchParams.get('return_to')).toMatch(/^\/oauth\/authorize\?/);
    expect(await page.textContent('h1')).toBe('Sign in');
    if (shot) await screenshot(page, shot);
    await page.fill('input[name="email"]', who.email);
    await page.fill('input[name="password"]', PASSWORD);
    await page.click('button[type="submit"]');
  }

  it('signs in, accepts the notice, approves, lands on the redirect URI with a code that calls /v1', async () => {
    const person = await personWithPassword(false);
    const { verifier, challenge } = pkce();
    const state = `state-${randomBytes(6).toString('hex')}`;
    const page = await (await browser.newContext()).newPage();

    await signInFrom(page, state, challenge, person, 'oauth-sign-in');
    await at(page, '/auth/notice');
    expect(await page.textContent('h1')).toBe('Privacy notice');
    await screenshot(page, 'oauth-privacy-notice');
    await page.click('button[type="submit"]');

    // Back at the consent page, with the request as the app sent it.
    await at(page, '/oauth/authorize');
    expect(new URL(page.url()).searchParams.get('state')).toBe(state);
    expect(await page.textContent('h1')).toBe(`Allow ${APP_NAME}?`);
    const text = (await page.textContent('main')) ?? '';
    expect(text.replace(/\s+/g, ' ')).toContain(
      `${APP_NAME} asks to act as ${person.email} in ${ORG_NAME} (live data).`,
    );
    expect(text).toContain('Keeps your roadmap in step with your goals.');
    expect(text).toContain('It will be able to read what you can read through the API, as you');
    await screenshot(page, 'oauth-consent');
    expect(callback.received).toHaveLength(0);

    await page.click('button[value="approve"]');
    await atCallback(page);
    expect(await page.textContent('h1')).toBe('Back at Roadmap Sync');
    await screenshot(page, 'oauth-callback-approved');
    const query = callback.received.at(-1) as URLSearchParams;
    expect(new URL(page.url()).search).toBe(`?${query}`);
    expect(query.get('state')).toBe(state);
    expect(query.get('error')).toBeNull();
    const code = query.get('code');
    expect(code).toMatch(/^twcode_/);

    const exchanged = await fetch(new URL('/oauth/token', base), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: code as string,
        redirect_uri: callback.uri,
        client_id: clientId,
        code_verifier: verifier,
      }),
    });
    const tokens = (await exchanged.json()) as Record<string, unknown>;
    expect(exchanged.status, JSON.stringify(tokens)).toBe(200);
    expect(tokens).toMatchObject({ token_type: 'Bearer', scope: 'read', expires_in: 365 * 86_400 });

    const me = await fetch(new URL('/v1/me', base), {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    const body = (await me.json()) as { data: { user: { id: number; email: string } } };
    expect(me.status, JSON.stringify(body)).toBe(200);
    expect(body.data.user).toMatchObject({ id: person.id, email: person.email });
  });

  it('denies: lands on the redirect URI with access_denied and the state, and no code', async () => {
    const person = await personWithPassword(true);
    const { challenge } = pkce();
    const state = `state-${randomBytes(6).toString('hex')}`;
    const page = await (await browser.newContext()).newPage();

    // The notice is already accepted: sign-in goes straight back to the consent page.
    await signInFrom(page, state, challenge, person);
    await at(page, '/oauth/authorize');
    expect(await page.textContent('h1')).toBe(`Allow ${APP_NAME}?`);
    expect(((await page.textContent('main')) ?? '').replace(/\s+/g, ' ')).toContain(
      `${APP_NAME} asks to act as ${person.email} in ${ORG_NAME} (live data).`,
    );
    const before = callback.received.length;

    await page.click('button[value="deny"]');
    await atCallback(page);
    await screenshot(page, 'oauth-callback-denied');
    expect(callback.received).toHaveLength(before + 1);
    const query = callback.received.at(-1) as URLSearchParams;
    expect(query.get('error')).toBe('access_denied');
    expect(query.get('state')).toBe(state);
    expect(query.has('code')).toBe(false);
  });
});
