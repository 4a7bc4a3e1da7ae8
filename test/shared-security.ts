import { randomUUID } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import { Webhook } from 'standardwebhooks';
import { beforeAll, describe, expect, it } from 'vitest';
import { operatorPrincipal } from '../src/domain/access/principal.js';
import { createApiKey } from '../src/domain/keys/service.js';
import { errorExpecter, type FaceDescription, requestAs } from './face-description.js';
import type { Member, Org, TestApp } from './harness.js';
import { ObjectFinder, PLAUSIBLE_ID } from './object-finder.js';
import { fill, kindOf, type Route, type SignedRoute } from './route-catalog.js';

/**
 * The shared cases of every protected route of a face, over the routes the app's own OpenAPI document
 * lists under the face's prefix (loadRoutes): a route added anywhere under the prefix is covered without a
 * change here, and a new face is covered by calling this with its description.
 *
 * Fixtures are made, and "nothing changed" is witnessed, through the native face (/v1), which every app
 * serves: the audit log is the organisation's, whichever face wrote to it.
 */
export function describeSharedSecurity(
  face: FaceDescription,
  t: TestApp,
  routes: Route[],
  /** Public routes that prove their caller by a signature (`x-authentication`), not a key. */
  signed: SignedRoute[] = [],
) {
  const modeIndependent = new Set(face.modeIndependentKinds);
  let orgA: Org;
  let orgB: Org;
  let orgC: Org;
  let finderA: ObjectFinder;
  let finderB: ObjectFinder;
  let finderC: ObjectFinder;
  const keys = {} as Record<'member' | 'revoked' | 'deactivated' | 'noNotice' | 'cTest', string>;
  /** A user of org C created in live after its sandbox was made: it exists in live only. */
  let liveOnlyUserId: number;

  /** A request to the face under test, the key sent its way. */
  const send = (key: string | null, options: InjectOptions) => requestAs(t, face, key, options);
  const expectError = errorExpecter(face);

  const auditCount = async (key: string) =>
    (await t.request(key, { method: 'GET', url: '/v1/audit-events?size=1' })).json().total_count as number;

  /** The route called with a key, real ids of the key's organisation and a valid body. */
  async function call(
    route: Route,
    key: string | null,
    finder: ObjectFinder,
    extra: { query?: string } = {},
  ) {
    const url = fill(route.path, await finder.paramsFor(route)) + (extra.query ?? '');
    const payload = route.body ? ((await finderA.bodyFor(route)) as object) : undefined;
    return send(key, { method: route.method.toUpperCase() as 'GET', url, payload });
  }

  beforeAll(async () => {
    orgA = await t.createOrg();
    orgB = await t.createOrg();
    orgC = await t.createOrg();
    const member = (options = {}) => t.createMember(orgA, options);
    const [plain, revoked, deactivated, noNotice]: Member[] = [
      await member(),
      await member(),
      await member(),
      await member({ acceptNotice: false }),
    ] as Member[];
    Object.assign(keys, {
      member: plain?.key,
      revoked: revoked?.key,
      deactivated: deactivated?.key,
      noNotice: noNotice?.key,
    });
    const list = await t.request(orgA.key, { method: 'GET', url: `/v1/api-keys?user_id=${revoked?.id}` });
    await t.request(orgA.key, { method: 'POST', url: `/v1/api-keys/${list.json().data[0].id}/revoke` });
    await t.request(orgA.key, { method: 'POST', url: `/v1/users/${deactivated?.id}/deactivate` });
    await t.createMember(orgB);
    await t.createMember(orgB);
    const cTest = await createApiKey(t.db, operatorPrincipal(orgC.orgId, orgC.adminId), {
      user: orgC.adminId,
      name: 'sandbox key',
      mode: 'test',
    });
    keys.cTest = cTest.plaintext;
    const created = await t.request(orgC.key, {
      method: 'POST',
      url: '/v1/users',
      payload: { email: 'live-only@example.com', first_name: 'Live', last_name: 'Only' },
    });
    liveOnlyUserId = created.json().data.id;
    finderA = new ObjectFinder(t, routes, orgA.key, face);
    finderB = new ObjectFinder(t, routes, orgB.key, face);
    finderC = new ObjectFinder(t, routes, orgC.key, face);
  }, 300_000);

  describe('the route list', () => {
    it('comes from the OpenAPI document and includes the core resources', () => {
      const labels = routes.map((r) => r.label);
      for (const expected of face.coreRoutes) expect(labels).toContain(expected);
    });
  });

  describe.each(routes)('$label', (route) => {
    it('refuses a missing, malformed, unknown or revoked key with 401', async () => {
      expectError(await call(route, null, finderA), 401, 'missing_access_token', 'no key');
      const malformed = await t.app.inject({
        method: route.method.toUpperCase() as 'GET',
        url: fill(route.path, await finderA.paramsFor(route)),
        headers: { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` },
      });
      expectError(malformed, 401, 'invalid_access_token', 'Basic credentials');
      expectError(
        await call(route, 'tw_live_not-a-real-key', finderA),
        401,
        'invalid_access_token',
        'unknown',
      );
      expectError(await call(route, keys.revoked, finderA), 401, 'access_token_revoked', 'revoked');
    });

    it("refuses a deactivated user's key and a user who has not accepted the privacy notice with 403", async () => {
      expectError(await call(route, keys.deactivated, finderA), 403, 'user_deactivated', 'deactivated');
      expectError(await call(route, keys.noNotice, finderA), 403, 'privacy_notice_not_accepted', 'notice');
    });

    it('refuses a key in the URL, even a valid one, with 400', async () => {
      const inQuery = await call(route, null, finderA, { query: `?access_token=${orgA.key}` });
      expectError(inQuery, 400, 'access_token_in_query', 'access_token in query');
      const withHeader = await call(route, orgA.key, finderA, { query: `?api_key=${orgA.key}` });
      expectError(withHeader, 400, 'access_token_in_query', 'api_key in query with a header');
    });

    if (face.memberRefused(route))
      it('refuses a member with 403 and changes nothing', async () => {
        const before = await auditCount(orgA.key);
        expectError(await call(route, keys.member, finderA), 403, 'insufficient_access', 'member');
        expect(await auditCount(orgA.key)).toBe(before);
      });

    if (route.gate)
      it(`refuses a member at its gate (${route.gate}) before reading what they sent`, async () => {
        // A body and a query the schema refuses: a member learns who may call the route, not its schema.
        const url = `${fill(route.path, await finderA.paramsFor(route))}?size=0&not_a_parameter=1`;
        const payload = route.body ? { not_a_field: true } : undefined;
        const method = route.method.toUpperCase() as 'POST';
        const before = await auditCount(orgA.key);
        expectError(await send(keys.member, { method, url, payload }), 403, 'insufficient_access', 'member');
        expect(await auditCount(orgA.key)).toBe(before);
        // The same request by a caller the gate lets through is judged on what it sent.
        if (route.body)
          expect((await send(orgA.key, { method, url, payload })).statusCode, 'admin').toBe(400);
      });

    if (route.params.length > 0)
      it("answers another organisation's object id with 404 and never its data", async () => {
        const bIds = await finderB.paramsFor(route);
        const before = await auditCount(orgB.key);
        const res = await send(orgA.key, {
          method: route.method.toUpperCase() as 'GET',
          url: fill(route.path, bIds),
          payload: route.body ? ((await finderA.bodyFor(route)) as object) : undefined,
        });
        expectError(res, 404, 'invalid_resource_id', `org A's key on org B's ${JSON.stringify(bIds)}`);
        expect(await auditCount(orgB.key), "org B's audit log").toBe(before);
      });

    const modeScoped = route.params.every((p) => !modeIndependent.has(kindOf(route.path, p)));
    if (route.params.length > 0 && modeScoped)
      it('answers a live-only object id with 404 to a test-mode key', async () => {
        const liveIds = await finderC.paramsFor(route);
        const before = await auditCount(orgC.key);
        const res = await send(keys.cTest, {
          method: route.method.toUpperCase() as 'GET',
          url: fill(route.path, liveIds),
          payload: route.body ? ((await finderA.bodyFor(route)) as object) : undefined,
        });
        expectError(res, 404, 'invalid_resource_id', `test key on live ${JSON.stringify(liveIds)}`);
        expect(await auditCount(orgC.key), 'the live audit log').toBe(before);
      });
  });

  /** A Standard Webhooks request: headers made with the standardwebhooks library unless overridden. */
  const signedRequest = (
    route: SignedRoute,
    params: Record<string, string>,
    secret: string,
    body: object,
    headers: Record<string, string> = {},
  ): InjectOptions => {
    const payload = JSON.stringify(body);
    const id = `msg_${randomUUID()}`;
    const at = new Date();
    return {
      method: route.method.toUpperCase() as 'POST',
      url: fill(route.path, params),
      payload,
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': new Webhook(secret).sign(id, at, payload),
        ...headers,
      },
    };
  };

  describe.each(signed)('$label (signed: $authentication)', (route) => {
    it('takes no key: without a valid signature it answers 401 whatever key is sent, and writes nothing', async () => {
      expect(route.authentication).toBe('webhook-signature');
      const target = await finderA.signedTarget(route);
      const before = await auditCount(orgA.key);
      const unsigned = signedRequest(route, target.params, target.secret, target.body, {
        'webhook-signature': '',
        authorization: `Bearer ${orgA.key}`,
      });
      expectError(await t.app.inject(unsigned), 401, 'invalid_webhook_secret', 'a key, no signature');
      const forged = signedRequest(route, target.params, target.secret, target.body, {
        'webhook-signature': `v1,${Buffer.alloc(32).toString('base64')}`,
      });
      expectError(await t.app.inject(forged), 401, 'invalid_webhook_secret', 'a forged signature');
      expect(await auditCount(orgA.key)).toBe(before);
      // The same request, rightly signed, passes the signature: the refusals above were about it. (What the
      // update then meets, a sample goal's dates say, is the area's own suite's business.)
      const signedRight = await t.app.inject(signedRequest(route, target.params, target.secret, target.body));
      const error = signedRight.statusCode < 300 ? null : signedRight.json().error;
      expect(['invalid_webhook_secret', 'invalid_webhook_url'], signedRight.body).not.toContain(error);
    });

    it("refuses another organisation's secret on this URL, and an unknown URL with 404", async () => {
      const target = await finderA.signedTarget(route);
      const other = await finderB.signedTarget(route);
      const before = await auditCount(orgA.key);
      const crossed = signedRequest(route, target.params, other.secret, target.body);
      expectError(
        await t.app.inject(crossed),
        401,
        'invalid_webhook_secret',
        "org B's secret on org A's URL",
      );
      const unknown = Object.fromEntries(
        Object.keys(target.params).map((name) => [name, `hk_${'A'.repeat(43)}`]),
      );
      const nowhere = signedRequest(route, unknown, target.secret, target.body);
      expectError(await t.app.inject(nowhere), 404, 'invalid_webhook_url', 'an unknown URL');
      expect(await auditCount(orgA.key)).toBe(before);
    });
  });

  describe('object fixtures', () => {
    it('finds a real object for every path parameter, so the 404 cases above test real ids', async () => {
      const unresolved: string[] = [];
      for (const route of routes.filter((r) => r.params.length > 0)) {
        const ids = await finderB.paramsFor(route);
        if (Object.values(ids).includes(PLAUSIBLE_ID)) unresolved.push(route.label);
      }
      const why = JSON.stringify(Object.fromEntries(finderB.problems));
      expect(unresolved, `no real object found: ${why}`).toEqual([]);
    });
  });

  const users = face.usersPath;
  /** Whether the face has this route: the PATCH case runs where the face can change a user. */
  const has = (label: string) => routes.some((r) => r.label === label);

  describe('users addressed by email', () => {
    it("answers another organisation's or another mode's email with 404", async () => {
      const bUser = await t.createMember(orgB);
      const asA = await send(orgA.key, { method: 'GET', url: `${users}/${bUser.email}` });
      expectError(asA, 404, 'invalid_resource_id', "org B's email with org A's key");
      if (has(`PATCH ${users}/{id}`)) {
        const patch = {
          method: 'PATCH' as const,
          url: `${users}/${bUser.email}`,
          payload: { title: 'Mole' },
        };
        expectError(await send(orgA.key, patch), 404, 'invalid_resource_id', "PATCH org B's email");
      }
      const inTest = await send(keys.cTest, { method: 'GET', url: `${users}/live-only@example.com` });
      expectError(inTest, 404, 'invalid_resource_id', 'a live-only email with a test key');
    });
  });

  describe('test mode', () => {
    const lists = () => routes.filter((r) => r.method === 'get' && r.params.length === 0);
    const listIds = async (route: Route, key: string) => {
      const res = await send(key, { method: 'GET', url: `${route.path}?${face.pageQuery(100)}` });
      const rows = res.statusCode === 200 ? face.rowsOf(res.json()) : null;
      return rows ? (rows as { id: number }[]).map((row) => row.id) : [];
    };

    it('never lists live data to a test-mode key', async () => {
      const modeScopedLists = lists().filter((r) => !modeIndependent.has(r.path.split('/').pop() ?? ''));
      const sandbox = new Set<number>();
      for (const route of modeScopedLists) for (const id of await listIds(route, keys.cTest)) sandbox.add(id);
      const liveOnly = new Set<number>();
      for (const route of modeScopedLists) {
        for (const id of await listIds(route, orgC.key)) if (!sandbox.has(id)) liveOnly.add(id);
      }
      expect(liveOnly).toContain(liveOnlyUserId);
      for (const route of modeScopedLists) {
        const seen = (await listIds(route, keys.cTest)).filter((id) => liveOnly.has(id));
        expect(seen, `${route.label} with a test key`).toEqual([]);
      }
      const direct = await send(keys.cTest, { method: 'GET', url: `${users}/${liveOnlyUserId}` });
      expectError(direct, 404, 'invalid_resource_id', 'live-only user with a test key');
      const byEmail = await send(keys.cTest, { method: 'GET', url: `${users}?email=live-only@example.com` });
      expect(face.totalOf(byEmail.json())).toBe(0);
    });
  });
}
