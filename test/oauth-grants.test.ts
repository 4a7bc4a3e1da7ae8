import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from './envelope-assert.js';
import type { Member, Org, TestApp } from './harness.js';
import {
  authorize,
  type Browser,
  postForm,
  REDIRECT_URI,
  type RegisteredApp,
  startOAuthWorld,
} from './oauth-kit.js';

/** Issue 16, items 5 and 7: grants listed and revoked by the person and by admins; instant tokens. */
let t: TestApp;
let base: string;
let org: Org;
let person: Member;
let browser: Browser;
let app: RegisteredApp;

beforeAll(async () => {
  ({ t, base, org, person, browser, confidential: app } = await startOAuthWorld());
}, 300_000);
afterAll(() => t.close());

type Method = 'GET' | 'POST' | 'DELETE';
const as = (key: string, method: Method, url: string, payload?: object) =>
  t.request(key, { method, url, payload });

async function grantedToken() {
  const code = (await authorize(base, browser, app.client_id)).searchParams.get('code') as string;
  const res = await postForm(base, '/oauth/token', {
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT_URI,
    client_id: app.client_id,
    client_hash: app.client_hash as string,
  });
  expect(res.status).toBe(200);
  return res.body.access_token as string;
}

describe('grants', () => {
  it('are listed and revoked by the person: every token of the app stops at once', async () => {
    const token = await grantedToken();
    const mine = await as(person.key, 'GET', '/v1/me/oauth-grants');
    expect(mine.json().data).toEqual([
      expect.objectContaining({ id: app.id, user_id: person.id, tokens: 1 }),
    ]);
    expect((await as(person.key, 'DELETE', `/v1/me/oauth-grants/${app.id}`)).statusCode).toBe(200);
    expectError(await as(token, 'GET', '/v1/me'), 401, 'access_token_revoked', 'after the person revoked');
    expectError(await as(person.key, 'DELETE', `/v1/me/oauth-grants/${app.id}`), 404, 'invalid_resource_id');
  });

  it("are listed and revoked by admins, and another person cannot revoke someone's grant", async () => {
    const token = await grantedToken();
    const other = await t.createMember(org);
    expectError(await as(other.key, 'DELETE', `/v1/me/oauth-grants/${app.id}`), 404, 'invalid_resource_id');
    expectError(
      await as(other.key, 'DELETE', `/v1/oauth-apps/${app.id}/grants/${person.id}`),
      403,
      'insufficient_access',
    );
    expect((await as(token, 'GET', '/v1/me')).statusCode).toBe(200);
    const listed = await as(org.key, 'GET', `/v1/oauth-apps/${app.id}/grants`);
    expect(listed.json().data.map((g: { user_id: number }) => g.user_id)).toEqual([person.id]);
    const res = await as(org.key, 'DELETE', `/v1/oauth-apps/${app.id}/grants/${person.id}`);
    expect(res.statusCode, res.body).toBe(200);
    expectError(await as(token, 'GET', '/v1/me'), 401, 'access_token_revoked', 'after the admin revoked');
  });

  it('end with the app: deleting it revokes every token it was given', async () => {
    const token = await grantedToken();
    expect((await as(org.key, 'DELETE', `/v1/oauth-apps/${app.id}`)).statusCode).toBe(200);
    expectError(await as(token, 'GET', '/v1/me'), 401, 'access_token_revoked', 'after the app was deleted');
    const exchange = await postForm(base, '/oauth/token', {
      grant_type: 'refresh_token',
      refresh_token: 'twr_whatever',
      client_id: app.client_id,
      client_hash: app.client_hash as string,
    });
    expect(exchange.body.error).toBe('invalid_client_id');
  });
});

describe('instant tokens', () => {
  it('are made by a key holder, shown once, act as them, listed by last four and revoked at once', async () => {
    const made = await as(person.key, 'POST', '/v1/me/instant-tokens', { name: 'Nightly sync' });
    expect(made.statusCode, made.body).toBe(201);
    const { id, token } = made.json().data as { id: number; token: string };
    expect(token).toMatch(/^twi_live_[\w-]{43}$/);
    const me = await as(token, 'GET', '/v1/me');
    expect(me.json().data.user.id).toBe(person.id);
    const list = await as(person.key, 'GET', '/v1/me/instant-tokens');
    expect(list.body).not.toContain(token);
    expect(list.json().data).toEqual([
      expect.objectContaining({ id, last_four: token.slice(-4), scope: 'read write' }),
    ]);
    const expires = Date.parse(list.json().data[0].expires_at) - Date.now();
    expect(Math.round(expires / 86_400_000)).toBe(365);
    expect((await as(person.key, 'DELETE', `/v1/me/instant-tokens/${id}`)).statusCode).toBe(200);
    expectError(await as(token, 'GET', '/v1/me'), 401, 'access_token_revoked', 'revoked');
  });

  it('are made through a session too, in live mode; a test key makes a test token', async () => {
    const session = await t.signIn(org.key, person);
    const bySession = await t.app.inject({
      method: 'POST',
      url: '/v1/me/instant-tokens',
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrf },
      payload: { name: 'From the browser' },
    });
    expect(bySession.statusCode, bySession.body).toBe(201);
    expect(bySession.json().data.token).toMatch(/^twi_live_/);
    const tester = await t.createMember(org, { mode: 'test' });
    const made = await as(tester.key, 'POST', '/v1/me/instant-tokens', { name: 'Sandbox' });
    expect(made.json().data.token).toMatch(/^twi_test_/);
  });

  it('cannot be made with a token, nor revoked by someone else', async () => {
    const made = await as(person.key, 'POST', '/v1/me/instant-tokens', { name: 'Mine' });
    const { id, token } = made.json().data as { id: number; token: string };
    expectError(
      await as(token, 'POST', '/v1/me/instant-tokens', { name: 'Offspring' }),
      403,
      'insufficient_access',
      'a token making a token',
    );
    const other = await t.createMember(org);
    expectError(await as(other.key, 'DELETE', `/v1/me/instant-tokens/${id}`), 404, 'invalid_resource_id');
    expect((await as(token, 'GET', '/v1/me')).statusCode).toBe(200);
  });

  it('refuses a read token’s writes with 403 and writes nothing', async () => {
    const made = await as(person.key, 'POST', '/v1/me/instant-tokens', { name: 'Reader', scope: 'read' });
    const token = made.json().data.token as string;
    expect((await as(token, 'GET', '/v1/me')).statusCode).toBe(200);
    expectError(await as(token, 'POST', '/v1/groups', { name: 'Nope' }), 403, 'insufficient_access', 'write');
  });
});
