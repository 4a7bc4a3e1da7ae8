import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withoutCredentials } from '../src/http/request-log.js';
import { type Org, startTestApp, type TestApp } from './harness.js';
import { Browser, freePort, IDP_CLIENT_ID, IDP_CLIENT_SECRET, startIdentityProvider } from './sso-kit.js';

/**
 * Single sign-on (docs/sso.md) against a real OpenID provider (`oidc-provider`) on loopback, driven with
 * real HTTP: the app listens on loopback too, and a small browser keeps each side's cookies.
 */
let t: TestApp;
let idp: Awaited<ReturnType<typeof startIdentityProvider>>;
let app: string;
let org: Org;
let other: Org;
let clockShift = 0;
let counter = 0;

const callbackPrefix = () => `${app}/auth/sso/callback`;
const stateCookie = '__Host-trellis_sso';
const sessionCookie = '__Host-trellis_session';

beforeAll(async () => {
  const port = await freePort();
  app = `http://127.0.0.1:${port}`;
  idp = await startIdentityProvider(`${app}/auth/sso/callback`);
  t = await startTestApp({ publicUrl: app, clock: () => Date.now() + clockShift });
  await t.app.listen({ port, host: '127.0.0.1' });
  org = await t.createOrg();
  other = await t.createOrg();
  const put = await t.request(org.key, {
    method: 'PUT',
    url: '/v1/sso-settings',
    payload: {
      enabled: true,
      issuer_url: idp.issuer,
      client_id: IDP_CLIENT_ID,
      client_secret: IDP_CLIENT_SECRET,
    },
  });
  expect(put.statusCode, put.body).toBe(200);
}, 120_000);
afterAll(async () => {
  await t?.close();
  await idp?.close();
});

/** An account at the provider for this email, verified unless told otherwise. */
const atProvider = (email: string, verified = true) => {
  const id = `idp-${++counter}`;
  idp.accounts.set(id, { email, email_verified: verified, given_name: 'Ada', family_name: 'Lovelace' });
  return id;
};

/** Starts at /auth/sso and signs in at the provider; returns the browser and the callback URL (not yet followed). */
async function toCallback(accountId: string, slug = org.slug, tamper?: (url: URL) => void) {
  const browser = new Browser();
  const start = await browser.request(`${app}/auth/sso?organization=${slug}`);
  expect(start.status, start.body).toBe(303);
  const authorization = start.location as URL;
  expect(authorization.origin).toBe(idp.issuer);
  tamper?.(authorization);
  const callback = await browser.signInAtProvider(authorization, accountId, callbackPrefix());
  return { browser, callback };
}

const me = async (browser: Browser) => {
  const cookie = browser.cookie(app, sessionCookie);
  return t.app.inject({ method: 'GET', url: '/v1/me', headers: { cookie: `${sessionCookie}=${cookie}` } });
};

const settings = (extra: Record<string, unknown>) =>
  t.request(org.key, {
    method: 'PUT',
    url: '/v1/sso-settings',
    payload: { enabled: true, issuer_url: idp.issuer, client_id: IDP_CLIENT_ID, ...extra },
  });

describe('signing in through the identity provider', () => {
  it('sends the browser to the provider with PKCE S256, state and nonce', async () => {
    const browser = new Browser();
    const start = await browser.request(`${app}/auth/sso?organization=${org.slug}`);
    const query = start.location?.searchParams;
    expect(query?.get('code_challenge_method')).toBe('S256');
    expect(query?.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(query?.get('state')).toBe(browser.cookie(app, stateCookie));
    expect(query?.get('nonce')).toBeTruthy();
    expect(query?.get('redirect_uri')).toBe(callbackPrefix());
    expect(query?.get('scope')).toContain('openid');
  });

  it('matches the verified email case-insensitively and opens a session that works on /v1/me', async () => {
    const person = await t.createMember(org);
    const { browser, callback } = await toCallback(atProvider(person.email.toUpperCase()));
    const done = await browser.request(callback);
    expect(done.status, done.body).toBe(303);
    expect(done.location?.pathname).toBe('/auth/account');
    expect(browser.cookie(app, stateCookie)).toBeUndefined();
    const res = await me(browser);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data).toMatchObject({ user: { id: person.id }, mode: 'live', api_key_id: null });
    const audit = await t.db
      .selectFrom('audit_events')
      .select('changes')
      .where('org_id', '=', org.orgId)
      .where('action', '=', 'user.signed_in')
      .where('object_id', '=', person.id)
      .executeTakeFirstOrThrow();
    expect(audit.changes).toMatchObject({ method: 'sso' });
  });

  it('asks the provider for its discovery document and keys once, not at every sign-in', async () => {
    const signIn = async () => {
      const person = await t.createMember(org);
      const { browser, callback } = await toCallback(atProvider(person.email));
      expect((await browser.request(callback)).status).toBe(303);
    };
    await signIn();
    const asked = (path: string) => idp.requested.filter((p) => p === path).length;
    const discovery = asked('/.well-known/openid-configuration');
    const keys = asked('/jwks');
    await signIn();
    await signIn();
    expect(asked('/.well-known/openid-configuration')).toBe(discovery);
    expect(asked('/jwks')).toBe(keys);
  });

  it('shows the privacy notice first to a person who has not accepted it', async () => {
    const person = await t.createMember(org, { acceptNotice: false });
    const { browser, callback } = await toCallback(atProvider(person.email));
    const done = await browser.request(callback);
    expect(done.location?.pathname).toBe('/auth/notice');
    const notice = await browser.request(`${app}/auth/notice`);
    expect(notice.status).toBe(200);
    expect(notice.body).toContain('I accept');
    expect((await me(browser)).json().error).toBe('privacy_notice_not_accepted');
  });

  it('refuses an unknown email while just-in-time creation is off, and creates a member when it is on', async () => {
    const email = `newcomer-${Date.now()}@example.com`;
    const refused = await toCallback(atProvider(email));
    const page = await refused.browser.request(refused.callback);
    expect(page.status).toBe(401);
    expect(page.body).toContain('No account of this organisation has this email');
    expect(refused.browser.cookie(app, sessionCookie)).toBeUndefined();
    expect(await t.db.selectFrom('users').select('id').where('email', '=', email).execute()).toHaveLength(0);

    expect((await settings({ jit_provisioning: true })).statusCode).toBe(200);
    try {
      const { browser, callback } = await toCallback(atProvider(email));
      const done = await browser.request(callback);
      expect(done.location?.pathname).toBe('/auth/notice');
      const created = await t.db
        .selectFrom('users')
        .select(['role', 'first_name', 'last_name', 'mode', 'data_admin'])
        .where('email', '=', email)
        .execute();
      expect(created).toEqual([
        { role: 'member', first_name: 'Ada', last_name: 'Lovelace', mode: 'live', data_admin: false },
      ]);
    } finally {
      await settings({ jit_provisioning: false });
    }
  });

  it('refuses a deactivated person', async () => {
    const person = await t.createMember(org);
    const off = await t.request(org.key, { method: 'POST', url: `/v1/users/${person.id}/deactivate` });
    expect(off.statusCode, off.body).toBe(200);
    const { browser, callback } = await toCallback(atProvider(person.email));
    const page = await browser.request(callback);
    expect(page.status).toBe(403);
    expect(page.body).toContain('deactivated');
    expect(browser.cookie(app, sessionCookie)).toBeUndefined();
  });

  it('refuses an email the provider has not verified, and one outside the allowed domains', async () => {
    const person = await t.createMember(org);
    const unverified = await toCallback(atProvider(person.email, false));
    expect((await unverified.browser.request(unverified.callback)).status).toBe(401);

    expect((await settings({ allowed_email_domains: ['elsewhere.example'] })).statusCode).toBe(200);
    try {
      const outside = await toCallback(atProvider(person.email));
      const page = await outside.browser.request(outside.callback);
      expect(page.status).toBe(401);
      expect(page.body).toContain('domain');
    } finally {
      await settings({});
    }
  });

  it('refuses a callback in another browser (state mismatch), and the same callback twice', async () => {
    const person = await t.createMember(org);
    const { browser, callback } = await toCallback(atProvider(person.email));
    const state = browser.cookie(app, stateCookie) as string;
    // An attacker's callback URL opened in the victim's browser: the victim has no (or another) state.
    const victim = new Browser();
    victim.setCookie(app, stateCookie, 'another-browsers-state');
    const crossed = await victim.request(callback);
    expect(crossed.status).toBe(401);
    expect(crossed.body).toContain('not started in this browser');
    expect(victim.cookie(app, sessionCookie)).toBeUndefined();

    expect((await browser.request(callback)).status).toBe(303);
    browser.setCookie(app, stateCookie, state);
    const replay = await new Browser().request(callback);
    expect(replay.status).toBe(401);
    const again = await browser.request(callback);
    expect(again.status).toBe(401);
    expect(again.body).toContain('already used');
  });

  it('refuses an ID token whose nonce is not the one this attempt sent', async () => {
    const person = await t.createMember(org);
    const { browser, callback } = await toCallback(atProvider(person.email), org.slug, (url) =>
      url.searchParams.set('nonce', 'a-nonce-the-app-never-made'),
    );
    const page = await browser.request(callback);
    expect(page.status).toBe(401);
    expect(page.body).toContain('did not confirm');
    expect(browser.cookie(app, sessionCookie)).toBeUndefined();
  });

  it('refuses a code whose PKCE challenge is not this attempt’s', async () => {
    const person = await t.createMember(org);
    const { browser, callback } = await toCallback(atProvider(person.email), org.slug, (url) =>
      url.searchParams.set('code_challenge', 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'),
    );
    expect((await browser.request(callback)).status).toBe(401);
  });

  it('refuses a callback after the attempt’s 10 minutes', async () => {
    const person = await t.createMember(org);
    const { browser, callback } = await toCallback(atProvider(person.email));
    clockShift = 11 * 60_000;
    try {
      const page = await browser.request(callback);
      expect(page.status).toBe(401);
      expect(page.body).toContain('expired');
    } finally {
      clockShift = 0;
    }
  });

  it('answers sso_not_configured for an organisation without SSO and an unknown one, the same way', async () => {
    for (const slug of [other.slug, 'no-such-organisation']) {
      const res = await t.app.inject({
        method: 'GET',
        url: `/auth/sso?organization=${slug}`,
        headers: { accept: 'application/json' },
      });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({
        success: false,
        error: 'sso_not_configured',
        request_id: res.headers['x-request-id'],
      });
    }
    const page = await new Browser().request(`${app}/auth/sso?organization=${other.slug}`);
    expect(page.status).toBe(404);
    expect(page.body).toContain('does not sign its people in through an identity provider');
  });

  it('keeps password sign-in for admins alone when the organisation turns it off for the others', async () => {
    const member = await t.createMember(org);
    const admin = await t.createMember(org, { role: 'admin' });
    const password = 'a long passphrase for the test';
    const passwordSignIn = async (email: string) =>
      (await t.app.inject({ method: 'POST', url: '/auth/sign-in', payload: { email, password } })).statusCode;
    for (const person of [member, admin]) {
      await t.request(org.key, { method: 'POST', url: `/v1/users/${person.id}/invitation` });
      const link = /\/auth\/invitations\/\S+/.exec(
        t.mail.filter((m) => m.to === person.email).at(-1)?.text ?? '',
      )?.[0];
      expect(
        (await t.app.inject({ method: 'POST', url: link as string, payload: { password } })).statusCode,
      ).toBe(200);
      expect(await passwordSignIn(person.email)).toBe(200);
    }
    expect((await settings({ password_sign_in: false })).statusCode).toBe(200);
    try {
      expect(await passwordSignIn(member.email)).toBe(401);
      expect(await passwordSignIn(admin.email)).toBe(200);
    } finally {
      await settings({});
    }
    expect(await passwordSignIn(member.email)).toBe(200);
  });

  it('offers single sign-on on the sign-in page, and keeps the return path on this server', async () => {
    const signIn = await new Browser().request(`${app}/auth/sign-in`);
    expect(signIn.body).toContain('href="/auth/sso"');
    const person = await t.createMember(org);
    const browser = new Browser();
    const start = await browser.request(
      `${app}/auth/sso?organization=${org.slug}&return_to=//evil.example/x`,
    );
    const callback = await browser.signInAtProvider(
      start.location as URL,
      atProvider(person.email),
      callbackPrefix(),
    );
    expect((await browser.request(callback)).location?.href).toBe(`${app}/auth/account`);
  });

  it('keeps the callback’s code and state out of the request log', () => {
    const logged = withoutCredentials('/auth/sso/callback?code=the-code&state=the-state&iss=x');
    expect(logged).not.toMatch(/the-code|the-state/);
    expect(logged).toContain('iss=x');
  });
});
