import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Member, Org, TestApp } from './harness.js';
import {
  authorize,
  type Browser,
  discover,
  insecure,
  type OAuthWorld,
  openAuthorize,
  postForm,
  REDIRECT_URI,
  type RegisteredApp,
  startOAuthWorld,
} from './oauth-kit.js';

/** Issue 16, item 5: the whole flow with a real client library over real HTTP, then the negative matrix. */
let t: TestApp;
let base: string;
let org: Org;
let person: Member;
let browser: Browser;
let confidential: RegisteredApp;
let publicApp: RegisteredApp;
let world: OAuthWorld;

beforeAll(async () => {
  world = await startOAuthWorld();
  ({ t, base, org, person, browser, confidential, publicApp } = world);
}, 300_000);
afterAll(() => t.close());

const me = (token: string) =>
  fetch(new URL('/v1/me', base), { headers: { authorization: `Bearer ${token}` } });
const errorOf = async (res: Response) => ((await res.json()) as { error: string }).error;

/** A confidential app's code, exchanged with oauth4webapi: the token response. */
async function confidentialTokens(scope?: string) {
  const as = await discover(base);
  const client = { client_id: confidential.client_id };
  const callback = await authorize(base, browser, confidential.client_id, scope ? { scope } : {});
  const params = oauth.validateAuthResponse(as, client, callback, 'xyz-state');
  const auth = oauth.ClientSecretPost(confidential.client_hash as string);
  const res = await oauth.authorizationCodeGrantRequest(
    as,
    client,
    auth,
    params,
    REDIRECT_URI,
    oauth.nopkce,
    insecure,
  );
  return oauth.processAuthorizationCodeResponse(as, client, res);
}

describe('a confidential app', () => {
  it('is authorised by the person and calls /v1 as them; refreshes, introspects and revokes', async () => {
    const as = await discover(base);
    expect(as.token_endpoint).toBe(`${base}/oauth/token`);
    expect(as.code_challenge_methods_supported).toEqual(['S256']);
    const first = await confidentialTokens();
    expect(first.token_type).toBe('bearer');
    expect(first.expires_in).toBe(365 * 86_400);
    expect(first.access_token).toMatch(/^twa_live_/);
    const res = await me(first.access_token);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: { user: { id: number } } }).data.user.id).toBe(person.id);

    const client = { client_id: confidential.client_id };
    const basic = oauth.ClientSecretBasic(confidential.client_hash as string);
    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(as, client, basic, first.refresh_token as string, insecure),
    );
    expect(refreshed.access_token).not.toBe(first.access_token);
    expect(await errorOf(await me(first.access_token))).toBe('access_token_revoked');
    expect((await me(refreshed.access_token)).status).toBe(200);

    const seen = await oauth.processIntrospectionResponse(
      as,
      client,
      await oauth.introspectionRequest(as, client, basic, refreshed.access_token, insecure),
    );
    expect(seen).toMatchObject({ active: true, scope: 'read write', sub: String(person.id) });
    await oauth.processRevocationResponse(
      await oauth.revocationRequest(as, client, basic, refreshed.access_token, insecure),
    );
    expect(await errorOf(await me(refreshed.access_token))).toBe('access_token_revoked');
    const after = await oauth.processIntrospectionResponse(
      as,
      client,
      await oauth.introspectionRequest(as, client, basic, refreshed.access_token, insecure),
    );
    expect(after.active).toBe(false);
  });

  it('answers every token request with Cache-Control: no-store', async () => {
    const res = await postForm(base, '/oauth/token', { grant_type: 'password' });
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});

describe('a public app', () => {
  it('uses PKCE S256 and no client hash', async () => {
    const as = await discover(base);
    const client = { client_id: publicApp.client_id, token_endpoint_auth_method: 'none' };
    const verifier = oauth.generateRandomCodeVerifier();
    const challenge = await oauth.calculatePKCECodeChallenge(verifier);
    const callback = await authorize(base, browser, publicApp.client_id, { challenge, scope: 'read' });
    const params = oauth.validateAuthResponse(as, client, callback, 'xyz-state');
    const res = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      oauth.None(),
      params,
      REDIRECT_URI,
      verifier,
      insecure,
    );
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, res);
    expect(tokens.scope).toBe('read');
    expect((await me(tokens.access_token)).status).toBe(200);
  });

  it('must send a code challenge: without one, the person is sent back with invalid_request', async () => {
    const page = await openAuthorize(base, browser, publicApp.client_id);
    expect(page.status).toBe(303);
    const back = new URL(page.headers.get('location') as string);
    expect(back.origin + back.pathname).toBe(REDIRECT_URI);
    expect(back.searchParams.get('error')).toBe('invalid_request');
    expect(back.searchParams.get('state')).toBe('xyz-state');
  });
});

/** A code for the confidential app (or the public one with a challenge), straight from the callback. */
const codeFor = async (app: RegisteredApp, challenge?: string) =>
  (await authorize(base, browser, app.client_id, challenge ? { challenge } : {})).searchParams.get(
    'code',
  ) as string;
const exchange = (app: RegisteredApp, code: string, extra: Record<string, string> = {}) =>
  postForm(base, '/oauth/token', {
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT_URI,
    client_id: app.client_id,
    ...(app.client_hash ? { client_hash: app.client_hash } : {}),
    ...extra,
  });

describe('the negative matrix', () => {
  it('refuses a wrong client hash and an unknown client id with 401, and the code still works after', async () => {
    const code = await codeFor(confidential);
    const wrong = await exchange(confidential, code, { client_hash: 'twh_wrong' });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ error: 'invalid_client_hash', request_id: expect.any(String) });
    const unknown = await exchange({ ...confidential, client_id: 'twc_unknown' }, code);
    expect(unknown.body.error).toBe('invalid_client_id');
    expect((await exchange(confidential, code)).status).toBe(200);
  });

  it('refuses a code after its five minutes', async () => {
    const code = await codeFor(confidential);
    world.setAhead(5 * 60_000 + 1000);
    try {
      const res = await exchange(confidential, code);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('auth_code_expired');
    } finally {
      world.setAhead(0);
    }
  });

  it('refuses a reused code and revokes every token issued from it', async () => {
    const code = await codeFor(confidential);
    const first = await exchange(confidential, code);
    expect(first.status).toBe(200);
    const again = await exchange(confidential, code);
    expect(again.status).toBe(400);
    expect(again.body.error).toBe('invalid_auth_code');
    expect(await errorOf(await me(first.body.access_token as string))).toBe('access_token_revoked');
    const refresh = await postForm(base, '/oauth/token', {
      grant_type: 'refresh_token',
      refresh_token: first.body.refresh_token as string,
      client_id: confidential.client_id,
      client_secret: confidential.client_hash as string,
    });
    expect(refresh.body.error).toBe('invalid_grant');
  });

  it('refuses a redirect URI that is not registered: shown to the person, never redirected', async () => {
    const page = await openAuthorize(base, browser, confidential.client_id, {
      redirectUri: 'http://127.0.0.1:9/callback/other',
    });
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('redirect URI');
    const code = await codeFor(confidential);
    const res = await exchange(confidential, code, { redirect_uri: 'http://127.0.0.1:9/other' });
    expect(res.body.error).toBe('invalid_redirect_uri');
  });

  it('refuses a missing or wrong PKCE verifier', async () => {
    const verifier = oauth.generateRandomCodeVerifier();
    const code = await codeFor(publicApp, await oauth.calculatePKCECodeChallenge(verifier));
    const missing = await exchange(publicApp, code);
    expect(missing.body.error).toBe('invalid_auth_code');
    const wrong = await exchange(publicApp, code, { code_verifier: oauth.generateRandomCodeVerifier() });
    expect(wrong.body.error).toBe('invalid_auth_code');
    expect((await exchange(publicApp, code, { code_verifier: verifier })).status).toBe(200);
  });

  it('narrows with scopes and never widens: a read token cannot write, nor refresh into write', async () => {
    const tokens = await confidentialTokens('read');
    const write = await fetch(new URL('/v1/groups', base), {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Never made' }),
    });
    expect(write.status).toBe(403);
    expect(await errorOf(write)).toBe('insufficient_access');
    const widen = await postForm(base, '/oauth/token', {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token as string,
      scope: 'read write',
      client_id: confidential.client_id,
      client_secret: confidential.client_hash as string,
    });
    expect(widen.status).toBe(400);
    expect(widen.body.error).toBe('invalid_scope');
  });

  it('sends a denial back as access_denied, and issues no code', async () => {
    const back = await authorize(base, browser, confidential.client_id, { decision: 'deny' });
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.has('code')).toBe(false);
  });

  it("refuses a deactivated person's token with 403", async () => {
    const someone = await t.createMember(org);
    const theirs = { cookie: (await t.signIn(org.key, someone)).cookie };
    const code = (await authorize(base, theirs, confidential.client_id)).searchParams.get('code') as string;
    const tokens = await exchange(confidential, code);
    await t.request(org.key, { method: 'POST', url: `/v1/users/${someone.id}/deactivate` });
    expect(await errorOf(await me(tokens.body.access_token as string))).toBe('user_deactivated');
  });

  it('sends a person without a session to sign in, and back', async () => {
    const page = await openAuthorize(base, { cookie: '' }, confidential.client_id);
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toMatch(/^\/auth\/sign-in\?return_to=%2Foauth%2Fauthorize%3F/);
  });

  // Last: it publishes a new notice, which every person of the organisation must accept again.
  it('sends a person who has not accepted the notice to it first, and refuses their token until then', async () => {
    const pending = await t.createMember(org, { acceptNotice: false });
    const theirs = { cookie: (await t.signIn(org.key, pending)).cookie };
    const page = await openAuthorize(base, theirs, confidential.client_id);
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toMatch(/^\/auth\/notice\?return_to=%2Foauth%2Fauthorize%3F/);
    const tokens = await confidentialTokens();
    const changed = await t.request(org.key, {
      method: 'PUT',
      url: '/v1/privacy-notice',
      payload: { text: `A new notice ${Date.now()}` },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(await errorOf(await me(tokens.access_token))).toBe('privacy_notice_not_accepted');
  });
});
