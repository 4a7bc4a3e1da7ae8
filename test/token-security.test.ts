import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizationTarget, checkAuthorizationRequest, grantCode } from '../src/domain/oauth/authorize.js';
import { exchangeCode } from '../src/domain/oauth/tokens.js';
import { acceptPrivacyNotice } from '../src/domain/orgs/service.js';
import { expectError } from './envelope-assert.js';
import { nativeDescription } from './face-description.js';
import { type Member, type Org, startTestApp } from './harness.js';
import { ObjectFinder } from './object-finder.js';
import { fill, loadRoutes, type Route, WRITE_METHODS } from './route-catalog.js';

/**
 * Issue 16, item 8: one rule for every credential. The shared cases of test/security.test.ts with the two
 * kinds of access token instead of a key, on every /v1 route the OpenAPI document lists: an instant token and
 * an OAuth app's token, each revoked (401), of a deactivated person (403), of a person who has not accepted
 * the notice (403), and in the URL (400); a read token's write refused (403) with nothing written.
 */
const t = await startTestApp();
const { routes } = await loadRoutes(t, nativeDescription.prefix);
afterAll(() => t.close());

type Kind = 'instant' | 'oauth';
type Case = 'member' | 'revoked' | 'deactivated' | 'noNotice' | 'readOnly';
const tokens = { instant: {}, oauth: {} } as Record<Kind, Record<Case, string>>;
let org: Org;
let finder: ObjectFinder;
const REDIRECT = 'https://app.example.com/callback';

/** An instant token of the person, made with their key. */
async function instantToken(member: Member, scope = 'read write') {
  const res = await t.request(member.key, {
    method: 'POST',
    url: '/v1/me/instant-tokens',
    payload: { name: `script ${Math.random()}`, scope },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().data as { id: number; token: string };
}

/** An OAuth token the person gave a new app, through the same services the endpoints call. */
async function oauthToken(member: Member, scope = 'read write') {
  const made = await t.request(org.key, {
    method: 'POST',
    url: '/v1/oauth-apps',
    payload: {
      name: `App ${Math.random()}`,
      redirect_uris: [REDIRECT],
      contact_email: 'a@example.com',
      kind: 'confidential',
    },
  });
  const app = made.json().data as { client_id: string; client_hash: string };
  const params = { client_id: app.client_id, redirect_uri: REDIRECT, response_type: 'code', scope };
  const request = checkAuthorizationRequest(await authorizationTarget(t.db, params), params);
  const person = {
    orgId: org.orgId,
    mode: 'live' as const,
    userId: member.id,
    role: 'member' as const,
    dataAdmin: false,
    apiKeyId: null,
    requestId: null,
  };
  const code = await grantCode(t.db, person, request, Date.now());
  const client = { clientId: app.client_id, clientHash: app.client_hash };
  const issued = await exchangeCode(
    t.db,
    client,
    { code, redirectUri: REDIRECT, codeVerifier: undefined },
    Date.now(),
    null,
  );
  return issued.accessToken;
}

beforeAll(async () => {
  org = await t.createOrg();
  const members = {
    member: await t.createMember(org),
    revoked: await t.createMember(org),
    deactivated: await t.createMember(org),
    noNotice: await t.createMember(org),
  };
  for (const c of ['member', 'revoked', 'deactivated', 'noNotice'] as const) {
    tokens.instant[c] = (await instantToken(members[c])).token;
    tokens.oauth[c] = await oauthToken(members[c]);
  }
  tokens.instant.readOnly = (await instantToken(members.member, 'read')).token;
  tokens.oauth.readOnly = await oauthToken(members.member, 'read');
  const revokedInstant = (
    await t.request(members.revoked.key, { method: 'GET', url: '/v1/me/instant-tokens' })
  )
    .json()
    .data.map((row: { id: number }) => row.id);
  for (const id of revokedInstant)
    await t.request(members.revoked.key, { method: 'DELETE', url: `/v1/me/instant-tokens/${id}` });
  const grants = await t.request(members.revoked.key, { method: 'GET', url: '/v1/me/oauth-grants' });
  for (const grant of grants.json().data as { id: number }[])
    await t.request(members.revoked.key, { method: 'DELETE', url: `/v1/me/oauth-grants/${grant.id}` });
  await t.request(org.key, { method: 'POST', url: `/v1/users/${members.deactivated.id}/deactivate` });
  // A new notice version: only the admin who publishes it has accepted it; then everyone else but one does.
  await t.request(org.key, { method: 'PUT', url: '/v1/privacy-notice', payload: { text: 'Version two' } });
  for (const m of [members.member, members.revoked, members.deactivated])
    await acceptPrivacyNotice(t.db, org.orgId, m.id);
  finder = new ObjectFinder(t, routes, org.key, nativeDescription);
}, 300_000);

async function call(route: Route, token: string, query = '') {
  const url = fill(route.path, await finder.paramsFor(route)) + query;
  const payload = route.body ? ((await finder.bodyFor(route)) as object) : undefined;
  return t.request(token, { method: route.method.toUpperCase() as 'GET', url, payload });
}

const auditCount = async () =>
  (await t.request(org.key, { method: 'GET', url: '/v1/audit-events?size=1' })).json().total_count as number;

describe('the route list', () => {
  it('is the /v1 document’s, the token routes included', () => {
    expect(routes.map((r) => r.label)).toEqual(
      expect.arrayContaining(['GET /v1/me/instant-tokens', 'GET /v1/me/oauth-grants', 'GET /v1/oauth-apps']),
    );
  });
});

describe.each(routes)('$label', (route) => {
  it.each(['instant', 'oauth'] as const)(
    'refuses a %s token revoked (401), of a deactivated person or before the notice (403), or in the URL (400)',
    async (kind) => {
      const mine = tokens[kind];
      expectError(await call(route, mine.revoked), 401, 'access_token_revoked', `${kind} revoked`);
      expectError(await call(route, mine.deactivated), 403, 'user_deactivated', `${kind} deactivated`);
      expectError(await call(route, mine.noNotice), 403, 'privacy_notice_not_accepted', `${kind} notice`);
      const inQuery = await call(route, mine.member, `?access_token=${mine.member}`);
      expectError(inQuery, 400, 'access_token_in_query', `${kind} in query`);
    },
  );

  if (WRITE_METHODS.has(route.method))
    it('refuses a read token’s write with 403 and changes nothing', async () => {
      const before = await auditCount();
      for (const kind of ['instant', 'oauth'] as const)
        expectError(await call(route, tokens[kind].readOnly), 403, 'insufficient_access', `${kind} read`);
      expect(await auditCount()).toBe(before);
    });
});
