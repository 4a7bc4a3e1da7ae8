import * as oauth from 'oauth4webapi';
import { expect } from 'vitest';
import { type Member, type Org, startTestApp, type TestApp } from './harness.js';

/**
 * Driving the OAuth flow over real HTTP as a browser and an app would: the person's browser (a session
 * cookie) at /oauth/authorize and its consent form, the app through oauth4webapi. The redirect URI is on
 * loopback and never called: the browser's 303 is read, as an app's callback would read it.
 */
export const REDIRECT_URI = 'http://127.0.0.1:9/callback';
export const insecure = { [oauth.allowInsecureRequests]: true } as const;

export interface RegisteredApp {
  id: number;
  client_id: string;
  client_hash: string | null;
}

export async function registerApp(t: TestApp, org: Org, kind: 'public' | 'confidential') {
  const res = await t.request(org.key, {
    method: 'POST',
    url: '/v1/oauth-apps',
    payload: {
      name: `${kind} app ${Math.random().toString(36).slice(2, 8)}`,
      redirect_uris: [REDIRECT_URI],
      contact_email: 'developer@example.com',
      kind,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().data as RegisteredApp;
}

export interface Browser {
  cookie: string;
}

/** The hidden fields of the consent form, as a browser would post them back. */
function formFields(page: string): URLSearchParams {
  const fields = new URLSearchParams();
  for (const match of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    const unescaped = (s: string) =>
      s
        .replaceAll('&quot;', '"')
        .replaceAll('&#39;', "'")
        .replaceAll('&lt;', '<')
        .replaceAll('&gt;', '>')
        .replaceAll('&amp;', '&');
    fields.set(unescaped(match[1] ?? ''), unescaped(match[2] ?? ''));
  }
  return fields;
}

export interface AuthorizeOptions {
  scope?: string;
  challenge?: string;
  redirectUri?: string;
  decision?: 'approve' | 'deny';
}

/** GET /oauth/authorize with the person's cookie: the consent page, or whatever else the server answers. */
export async function openAuthorize(
  base: string,
  browser: Browser,
  clientId: string,
  o: AuthorizeOptions = {},
) {
  const url = new URL('/oauth/authorize', base);
  url.searchParams.set('client_id', clientId);
  url.searchParams.set('redirect_uri', o.redirectUri ?? REDIRECT_URI);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('state', 'xyz-state');
  if (o.scope) url.searchParams.set('scope', o.scope);
  if (o.challenge) {
    url.searchParams.set('code_challenge', o.challenge);
    url.searchParams.set('code_challenge_method', 'S256');
  }
  return fetch(url, { headers: { cookie: browser.cookie }, redirect: 'manual' });
}

/** The person consents (or not): the URL the browser is sent back to, at the app's redirect URI. */
export async function authorize(base: string, browser: Browser, clientId: string, o: AuthorizeOptions = {}) {
  return consent(base, browser, await openAuthorize(base, browser, clientId, o), o.decision);
}

/** The consent page a browser was shown, allowed (or denied): the URL it is sent back to. */
export async function consent(
  base: string,
  browser: Browser,
  page: Response,
  decision: AuthorizeOptions['decision'] = 'approve',
) {
  const text = await page.text();
  expect(page.status, text.slice(0, 300)).toBe(200);
  const fields = formFields(text);
  fields.set('decision', decision);
  const posted = await fetch(new URL('/oauth/authorize', base), {
    method: 'POST',
    headers: { cookie: browser.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: fields,
    redirect: 'manual',
  });
  expect(posted.status, await posted.clone().text()).toBe(303);
  return new URL(posted.headers.get('location') as string);
}

/** The token endpoint with a plain form post, as a script without a library would send it. */
export async function postForm(base: string, path: string, form: Record<string, string>, headers = {}) {
  const res = await fetch(new URL(path, base), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

export async function discover(base: string) {
  const issuer = new URL(base);
  return oauth.processDiscoveryResponse(
    issuer,
    await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }),
  );
}

/**
 * What each OAuth suite starts from: the app listening on loopback, with a clock a test can move ahead (codes
 * expire when it does), an organisation, a person signed in, and a confidential and a public app.
 */
export interface OAuthWorld {
  t: TestApp;
  base: string;
  org: Org;
  person: Member;
  browser: Browser;
  confidential: RegisteredApp;
  publicApp: RegisteredApp;
  /** Runs the app's clock this far ahead of the wall clock (0: the wall clock). */
  setAhead(ms: number): void;
}

export async function startOAuthWorld(): Promise<OAuthWorld> {
  let ahead = 0;
  const t = await startTestApp({ clock: () => Date.now() + ahead });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const org = await t.createOrg();
  const person = await t.createMember(org);
  const browser = await t.signIn(org.key, person);
  const confidential = await registerApp(t, org, 'confidential');
  const publicApp = await registerApp(t, org, 'public');
  const setAhead = (ms: number) => {
    ahead = ms;
  };
  return { t, base, org, person, browser, confidential, publicApp, setAhead };
}
