import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from './envelope-assert.js';
import { nativeDescription } from './face-description.js';
import { type Org, startTestApp } from './harness.js';
import { ObjectFinder } from './object-finder.js';
import { fill, loadRoutes, type Route, WRITE_METHODS } from './route-catalog.js';

/**
 * Issue 16, item 8: one rule for every credential. The shared cases of test/security.test.ts, with a session
 * cookie instead of a key, on every /v1 route the OpenAPI document lists: a revoked session (401), a
 * deactivated person's (403), one whose person has not accepted the notice (403), a cookie write without the
 * session's CSRF token (403, nothing written), a session and a CSRF token in the URL (400), and a member's
 * session refused wherever the member's key is.
 */
const t = await startTestApp();
const { routes } = await loadRoutes(t, nativeDescription.prefix);
afterAll(() => t.close());

type Session = Awaited<ReturnType<typeof t.signIn>>;
let org: Org;
let finder: ObjectFinder;
const sessions = {} as Record<'member' | 'revoked' | 'deactivated' | 'noNotice', Session>;
let memberKey: string;

beforeAll(async () => {
  org = await t.createOrg();
  const make = async (options: { acceptNotice?: boolean } = {}) => {
    const member = await t.createMember(org, options);
    return { member, session: await t.signIn(org.key, member) };
  };
  const plain = await make();
  memberKey = plain.member.key;
  sessions.member = plain.session;
  sessions.revoked = (await make()).session;
  const deactivated = await make();
  sessions.deactivated = deactivated.session;
  sessions.noNotice = (await make({ acceptNotice: false })).session;
  const revoke = await send(sessions.revoked, {
    method: 'DELETE',
    url: `/v1/me/sessions/${sessions.revoked.sessionId}`,
  });
  expect(revoke.statusCode, revoke.body).toBe(200);
  const off = await t.request(org.key, {
    method: 'POST',
    url: `/v1/users/${deactivated.member.id}/deactivate`,
  });
  expect(off.statusCode, off.body).toBe(200);
  finder = new ObjectFinder(t, routes, org.key, nativeDescription);
}, 300_000);

/** A request with the session's cookie, and its CSRF token unless told otherwise. */
function send(session: Session, options: InjectOptions, csrf = true) {
  return t.app.inject({
    ...options,
    headers: { cookie: session.cookie, ...(csrf && { 'x-csrf-token': session.csrf }), ...options.headers },
  });
}

async function call(route: Route, session: Session, options: { csrf?: boolean; query?: string } = {}) {
  const url = fill(route.path, await finder.paramsFor(route)) + (options.query ?? '');
  const payload = route.body ? ((await finder.bodyFor(route)) as object) : undefined;
  return send(session, { method: route.method.toUpperCase() as 'GET', url, payload }, options.csrf ?? true);
}

const auditCount = async () =>
  (await t.request(org.key, { method: 'GET', url: '/v1/audit-events?size=1' })).json().total_count as number;

describe('the route list', () => {
  it('is the /v1 document’s, sessions included', () => {
    expect(routes.map((r) => r.label)).toEqual(
      expect.arrayContaining(['GET /v1/me', 'GET /v1/me/sessions', 'DELETE /v1/me/sessions/{id}']),
    );
  });
});

describe.each(routes)('$label', (route) => {
  it('refuses a revoked session (401), a deactivated person’s (403) and one before the notice (403)', async () => {
    expectError(await call(route, sessions.revoked), 401, 'invalid_session', 'revoked');
    expectError(await call(route, sessions.deactivated), 403, 'user_deactivated', 'deactivated');
    expectError(await call(route, sessions.noNotice), 403, 'privacy_notice_not_accepted', 'notice');
  });

  it('refuses a credential in the URL beside a valid session with 400', async () => {
    const res = await call(route, sessions.member, {
      query: `?token=${sessions.member.cookie.split('=')[1]}`,
    });
    expectError(res, 400, 'access_token_in_query', 'token in query');
  });

  if (WRITE_METHODS.has(route.method))
    it('refuses a session write without its CSRF token with 403 and changes nothing', async () => {
      const before = await auditCount();
      expectError(await call(route, sessions.member, { csrf: false }), 403, 'csrf_token_invalid');
      expect(await auditCount()).toBe(before);
    });

  if (route.gate !== null)
    it('refuses a member’s session at the gate, as their key is refused', async () => {
      const before = await auditCount();
      const byKey = await t.request(memberKey, {
        method: route.method.toUpperCase() as 'GET',
        url: fill(route.path, await finder.paramsFor(route)),
        payload: route.body ? ((await finder.bodyFor(route)) as object) : undefined,
      });
      expectError(byKey, 403, 'insufficient_access', 'member key');
      expectError(await call(route, sessions.member), 403, 'insufficient_access', 'member session');
      expect(await auditCount()).toBe(before);
    });

  if (route.method === 'get')
    it('answers a member’s session as it answers the member’s key', async () => {
      const url = fill(route.path, await finder.paramsFor(route));
      const byKey = await t.request(memberKey, { method: 'GET', url });
      const bySession = await send(sessions.member, { method: 'GET', url });
      expect(bySession.statusCode, `${url}: ${bySession.body.slice(0, 200)}`).toBe(byKey.statusCode);
    });
});
