import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Member, TestApp } from './harness.js';
import {
  type Browser,
  consent,
  type OAuthWorld,
  postForm,
  REDIRECT_URI,
  type RegisteredApp,
  startOAuthWorld,
} from './oauth-kit.js';

/** Issue 16, item 6: WorkBoard's OAuth flow with plain requests, as its clients send them. */
let t: TestApp;
let base: string;
let person: Member;
let browser: Browser;
let confidential: RegisteredApp;
let publicApp: RegisteredApp;
let world: OAuthWorld;

beforeAll(async () => {
  world = await startOAuthWorld();
  ({ t, base, person, browser, confidential, publicApp } = world);
}, 300_000);
afterAll(() => t.close());

/** GET /wb/oauth/authorize with the person's cookie, the redirect not followed. */
function wbAuthorize(query: Record<string, string>) {
  const url = new URL('/wb/oauth/authorize', base);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  return fetch(url, { headers: { cookie: browser.cookie }, redirect: 'manual' });
}

/** WorkBoard's authorize URL, only client_id and redirect_uri (and state): the code the app comes back with. */
async function wbCode(app: RegisteredApp, extra: Record<string, string> = {}) {
  const res = await wbAuthorize({ client_id: app.client_id, redirect_uri: REDIRECT_URI, ...extra });
  expect(res.status, await res.clone().text()).toBe(303);
  const next = new URL(res.headers.get('location') as string, base);
  expect(next.pathname).toBe('/oauth/authorize');
  const page = await fetch(next, { headers: { cookie: browser.cookie }, redirect: 'manual' });
  const back = await consent(base, browser, page);
  expect(`${back.origin}${back.pathname}`).toBe(REDIRECT_URI);
  return { code: back.searchParams.get('code') as string, state: back.searchParams.get('state') };
}

const exchange = (code: string, overrides: Record<string, string> = {}) =>
  postForm(base, '/wb/oauth/token', {
    client_id: confidential.client_id,
    client_hash: confidential.client_hash as string,
    code,
    redirect_uri: REDIRECT_URI,
    ...overrides,
  });

const me = (token: string) =>
  fetch(new URL('/v1/me', base), { headers: { authorization: `Bearer ${token}` } });

const tokensOf = async (appId: number) =>
  (await t.db.selectFrom('oauth_tokens').select('id').where('app_id', '=', appId).execute()).length;

/** WorkBoard's error shape, the code given, and no-store. */
function expectRefusal(res: Awaited<ReturnType<typeof postForm>>, error: string, status: number) {
  expect(res.status).toBe(status);
  expect(res.body).toEqual({
    success: false,
    error,
    error_description: expect.any(String),
    request_id: expect.any(String),
  });
  expect(res.headers.get('cache-control')).toBe('no-store');
}

describe("WorkBoard's authorize URL", () => {
  it('hands over to the sign-in and consent pages with the standard parameters, scope all as the full scope', async () => {
    const res = await wbAuthorize({
      client_id: confidential.client_id,
      redirect_uri: REDIRECT_URI,
      scope: 'all',
      state: 'wb-state',
    });
    expect(res.status).toBe(303);
    const next = new URL(res.headers.get('location') as string, base);
    expect(Object.fromEntries(next.searchParams)).toEqual({
      client_id: confidential.client_id,
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      scope: 'read write',
      state: 'wb-state',
    });
    const { state } = await wbCode(confidential, { state: 'wb-state', response_type: 'code' });
    expect(state).toBe('wb-state');
  });

  it('answers an unknown client id or redirect URI in WorkBoard’s shape, never redirecting', async () => {
    const unknown = await wbAuthorize({ client_id: 'twc_nope', redirect_uri: REDIRECT_URI });
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toMatchObject({ success: false, error: 'invalid_client_id' });
    const wrong = await wbAuthorize({
      client_id: confidential.client_id,
      redirect_uri: 'http://127.0.0.1:9/elsewhere',
    });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ success: false, error: 'invalid_redirect_uri' });
  });

  it('still requires PKCE of a public app, and refuses a response type other than code', async () => {
    const res = await wbAuthorize({ client_id: publicApp.client_id, redirect_uri: REDIRECT_URI });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ success: false, error: 'invalid_parameters' });
    const json = await wbAuthorize({
      client_id: confidential.client_id,
      redirect_uri: REDIRECT_URI,
      response_type: 'json_code',
    });
    expect(json.status).toBe(400);
  });
});

describe("WorkBoard's token URL", () => {
  it('exchanges a code without grant_type or PKCE; the token calls /v1 as the person; refresh works', async () => {
    const { code } = await wbCode(confidential);
    const res = await exchange(code);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toEqual({
      success: true,
      access_token: expect.stringMatching(/^twa_live_/),
      refresh_token: expect.stringMatching(/^twr_/),
      token_type: 'Bearer',
      scope: 'read write',
      expires_in: 365 * 86_400,
    });
    const mine = await me(res.body.access_token as string);
    expect(mine.status).toBe(200);
    expect(((await mine.json()) as { data: { user: { id: number } } }).data.user.id).toBe(person.id);

    const refreshed = await postForm(base, '/wb/oauth/token', {
      grant_type: 'refresh_token',
      refresh_token: res.body.refresh_token as string,
      client_id: confidential.client_id,
      client_hash: confidential.client_hash as string,
    });
    expect(refreshed.status, JSON.stringify(refreshed.body)).toBe(200);
    expect(refreshed.body.success).toBe(true);
    expect(refreshed.body.access_token).not.toBe(res.body.access_token);
    expect((await me(refreshed.body.access_token as string)).status).toBe(200);
    expect((await me(res.body.access_token as string)).status).toBe(401);
  });

  it('also takes grant_type=authorization_code', async () => {
    const { code } = await wbCode(confidential);
    const res = await exchange(code, { grant_type: 'authorization_code' });
    expect(res.status).toBe(200);
    expect(res.body.success).toBe(true);
  });

  it('refuses a wrong client hash and an unknown client id, issuing nothing', async () => {
    const before = await tokensOf(confidential.id);
    const { code } = await wbCode(confidential);
    expectRefusal(await exchange(code, { client_hash: 'twh_wrong' }), 'invalid_client_hash', 401);
    expectRefusal(await exchange(code, { client_id: 'twc_unknown' }), 'invalid_client_id', 401);
    expect(await tokensOf(confidential.id)).toBe(before);
  });

  it('refuses a redirect URI mismatch, issuing nothing', async () => {
    const before = await tokensOf(confidential.id);
    const { code } = await wbCode(confidential);
    const res = await exchange(code, { redirect_uri: 'http://127.0.0.1:9/elsewhere' });
    expectRefusal(res, 'invalid_redirect_uri', 400);
    expect(await tokensOf(confidential.id)).toBe(before);
  });

  it('refuses an expired code, issuing nothing', async () => {
    const before = await tokensOf(confidential.id);
    const { code } = await wbCode(confidential);
    world.setAhead(5 * 60_000 + 1000);
    try {
      expectRefusal(await exchange(code), 'auth_code_expired', 400);
    } finally {
      world.setAhead(0);
    }
    expect(await tokensOf(confidential.id)).toBe(before);
  });

  it('refuses a reused code and revokes what it issued', async () => {
    const { code } = await wbCode(confidential);
    const first = await exchange(code);
    expect(first.status).toBe(200);
    const before = await tokensOf(confidential.id);
    expectRefusal(await exchange(code), 'invalid_auth_code', 400);
    expect(await tokensOf(confidential.id)).toBe(before);
    expect((await me(first.body.access_token as string)).status).toBe(401);
  });

  it('refuses an unknown grant type in WorkBoard’s shape', async () => {
    expectRefusal(
      await postForm(base, '/wb/oauth/token', { grant_type: 'password', client_id: confidential.client_id }),
      'unsupported_grant_type',
      400,
    );
  });
});
