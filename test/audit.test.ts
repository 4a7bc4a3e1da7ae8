import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operatorPrincipal } from '../src/domain/access/principal.js';
import { createApiKey } from '../src/domain/keys/service.js';
import { expectError } from './envelope-assert.js';
import { type Org, startTestApp } from './harness.js';
import { ObjectFinder } from './object-finder.js';
import { fill, loadRoutes, WRITE_METHODS } from './route-catalog.js';

const t = await startTestApp();
const { routes } = await loadRoutes(t, '/v1');
afterAll(() => t.close());

let org: Org;
let adminKeyId: number;

beforeAll(async () => {
  org = await t.createOrg();
  await t.createMember(org);
  adminKeyId = (await t.request(org.key, { method: 'GET', url: '/v1/me' })).json().data.api_key_id;
}, 300_000);

/** The audit rows a request left, read from the table itself. */
const rowsOf = (requestId: string) =>
  t.db.selectFrom('audit_events').selectAll().where('request_id', '=', requestId).orderBy('id').execute();

/** A call as the org's super admin with a fresh X-Request-Id, returned with the response. */
async function write(method: 'POST' | 'PATCH', url: string, payload?: object, key = org.key) {
  const requestId = `audit-${randomUUID()}`;
  const res = await t.request(key, { method, url, payload, headers: { 'x-request-id': requestId } });
  return { res, requestId };
}

const who = () => ({
  org_id: org.orgId,
  actor_user_id: org.adminId,
  api_key_id: adminKeyId,
});

describe('every write leaves one audit row', () => {
  it('records who, through which key, in which mode, under which request id, what and on what', async () => {
    const created = await write('POST', '/v1/users', {
      email: 'ann@example.com',
      first_name: 'Ann',
      last_name: 'A',
    });
    const userId = created.res.json().data.id;
    const updated = await write('PATCH', `/v1/users/${userId}`, { title: 'Engineer' });
    const deactivated = await write('POST', `/v1/users/${userId}/deactivate`);
    const reactivated = await write('POST', `/v1/users/${userId}/reactivate`);
    const key = await write('POST', '/v1/api-keys', { user: userId, name: 'ann key' });
    const keyId = key.res.json().data.id;
    const revoked = await write('POST', `/v1/api-keys/${keyId}/revoke`);
    const expected = [
      [created, 'user.created', 'user', userId],
      [updated, 'user.updated', 'user', userId],
      [deactivated, 'user.deactivated', 'user', userId],
      [reactivated, 'user.reactivated', 'user', userId],
      [key, 'api_key.created', 'api_key', keyId],
      [revoked, 'api_key.revoked', 'api_key', keyId],
    ] as const;
    for (const [call, action, objectType, objectId] of expected) {
      expect(call.res.statusCode, call.res.body).toBeLessThan(300);
      const rows = await rowsOf(call.requestId);
      expect(rows, action).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        ...who(),
        mode: 'live',
        request_id: call.requestId,
        action,
        object_type: objectType,
        object_id: objectId,
      });
    }
    expect((await rowsOf(updated.requestId))[0]?.changes).toEqual({ title: { from: null, to: 'Engineer' } });
  });

  it('records the mode of a test key', async () => {
    const sandbox = await createApiKey(t.db, operatorPrincipal(org.orgId, org.adminId), {
      user: org.adminId,
      name: 'audit sandbox',
      mode: 'test',
    });
    const payload = { email: 'sandy@example.com', first_name: 'San', last_name: 'Dy' };
    const call = await write('POST', '/v1/users', payload, sandbox.plaintext);
    expect(call.res.statusCode).toBe(201);
    const rows = await rowsOf(call.requestId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ mode: 'test', api_key_id: sandbox.key.id, action: 'user.created' });
  });

  it('audits every write route of the OpenAPI document that succeeds, and none that fails', async () => {
    const finder = new ObjectFinder(t, routes, org.key);
    const writes = routes.filter((r) => WRITE_METHODS.has(r.method));
    // Deletions last, so that they do not remove what the other writes act on.
    writes.sort((a, b) => Number(a.method === 'delete') - Number(b.method === 'delete'));
    const succeeded: string[] = [];
    for (const route of writes) {
      // Fuller bodies (level 1 and 2) for rules a schema cannot express; each failed try must write nothing.
      for (const level of route.body ? [0, 1, 2] : [0]) {
        const requestId = `audit-${randomUUID()}`;
        const res = await t.request(org.key, {
          method: route.method.toUpperCase() as 'POST',
          url: fill(route.path, await finder.paramsFor(route)),
          payload: (await finder.bodyFor(route, 0, level)) as object | undefined,
          headers: { 'x-request-id': requestId },
        });
        const rows = await rowsOf(requestId);
        if (res.statusCode >= 300) {
          expect(rows, `${route.label} failed (${res.statusCode}) yet wrote audit rows`).toEqual([]);
          continue;
        }
        succeeded.push(route.label);
        expect(rows.length, `${route.label} succeeded without an audit row`).toBeGreaterThan(0);
        for (const row of rows) expect(row, route.label).toMatchObject({ ...who(), request_id: requestId });
        break;
      }
    }
    for (const core of ['POST /v1/users', 'PATCH /v1/users/{id}', 'POST /v1/api-keys'])
      expect(succeeded).toContain(core);
  });
});

describe('failed writes', () => {
  it('leave no audit row: a duplicate email, a bad body, a member, an unknown id', async () => {
    const payload = { email: 'taken@example.com', first_name: 'T', last_name: 'Aken' };
    expect((await write('POST', '/v1/users', payload)).res.statusCode).toBe(201);
    const duplicate = await write('POST', '/v1/users', { ...payload, email: 'TAKEN@example.com' });
    expectError(duplicate.res, 409, 'duplicate_resource');
    const invalid = await write('POST', '/v1/users', { ...payload, first_name: 42 });
    expectError(invalid.res, 400, 'invalid_parameters');
    const member = await t.createMember(org);
    const refused = await write('POST', '/v1/users', { ...payload, email: 'x@example.com' }, member.key);
    expectError(refused.res, 403, 'insufficient_access');
    const missing = await write('PATCH', '/v1/users/999999999', { title: 'Ghost' });
    expectError(missing.res, 404, 'invalid_resource_id');
    for (const call of [duplicate, invalid, refused, missing])
      expect(await rowsOf(call.requestId)).toEqual([]);
  });
});

describe('GET /v1/audit-events', () => {
  it('filters by action, object id and request id', async () => {
    const call = await write('POST', '/v1/users', {
      email: 'filter@example.com',
      first_name: 'F',
      last_name: 'I',
    });
    const userId = call.res.json().data.id;
    await write('PATCH', `/v1/users/${userId}`, { title: 'Filtered' });
    const get = async (query: string) =>
      (await t.request(org.key, { method: 'GET', url: `/v1/audit-events?${query}` })).json();
    const byRequest = await get(`request_id=${call.requestId}`);
    expect(byRequest.total_count).toBe(1);
    expect(byRequest.data[0]).toMatchObject({
      action: 'user.created',
      object_id: userId,
      request_id: call.requestId,
    });
    const byObject = await get(`object_id=${userId}`);
    expect(byObject.data.map((e: { action: string }) => e.action)).toEqual(['user.created', 'user.updated']);
    const byAction = await get('action=user.updated&size=100');
    expect(byAction.total_count).toBeGreaterThan(0);
    expect(byAction.data.every((e: { action: string }) => e.action === 'user.updated')).toBe(true);
    expect(byAction.data.map((e: { object_id: number }) => e.object_id)).toContain(userId);
  });
});

describe('sandbox reset', () => {
  it('copies the live directory into test mode keeping ids, and removes test-only users', async () => {
    const sandbox = await createApiKey(t.db, operatorPrincipal(org.orgId, org.adminId), {
      user: org.adminId,
      name: 'reset sandbox',
      mode: 'test',
    });
    const testKey = sandbox.plaintext;
    const boss = await write('POST', '/v1/users', {
      email: 'boss@example.com',
      first_name: 'B',
      last_name: 'Oss',
    });
    const bossId = boss.res.json().data.id;
    const report = await write('POST', '/v1/users', {
      email: 'report@example.com',
      first_name: 'R',
      last_name: 'Eport',
      manager_id: bossId,
    });
    const reportId = report.res.json().data.id;
    const testOnly = await write(
      'POST',
      '/v1/users',
      { email: 'scratch@example.com', first_name: 'S', last_name: 'C' },
      testKey,
    );
    const testOnlyId = testOnly.res.json().data.id;
    const liveBefore = await t.request(org.key, { method: 'GET', url: '/v1/users?size=100' });

    const reset = await write('POST', '/v1/sandbox/reset');
    expect(reset.res.statusCode).toBe(200);

    const copied = await t.request(testKey, { method: 'GET', url: `/v1/users/${reportId}` });
    expect(copied.statusCode).toBe(200);
    expect(copied.json().data).toMatchObject({
      id: reportId,
      email: 'report@example.com',
      manager_id: bossId,
    });
    const gone = await t.request(testKey, { method: 'GET', url: `/v1/users/${testOnlyId}` });
    expectError(gone, 404, 'invalid_resource_id');
    const testList = await t.request(testKey, { method: 'GET', url: '/v1/users?size=100' });
    const ids = (res: typeof testList) => res.json().data.map((u: { id: number }) => u.id);
    expect(ids(testList)).toEqual(ids(liveBefore));
    const liveAfter = await t.request(org.key, { method: 'GET', url: '/v1/users?size=100' });
    expect(liveAfter.body).toBe(liveBefore.body);
    expect(await rowsOf(reset.requestId)).toMatchObject([
      { action: 'sandbox.reset', mode: 'test', actor_user_id: org.adminId, api_key_id: adminKeyId },
    ]);
  });
});
