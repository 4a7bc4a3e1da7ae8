import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from './envelope-assert.js';
import { type Member, type Org, startTestApp, type TestApp } from './harness.js';

/** The role matrix of docs/decisions.md: hr_admin scopes, the data-admin grant, and what only super admins do. */
let t: TestApp;
let org: Org;
let other: Org;

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const call = (key: string, method: Method, url: string, payload?: object) =>
  t.request(key, { method, url, ...(payload && { payload }) });

/** A call that must succeed; returns its data. */
async function must(key: string, method: Method, url: string, payload?: object) {
  const res = await call(key, method, url, payload);
  expect(res.statusCode, `${method} ${url}: ${res.body.slice(0, 300)}`).toBeLessThan(300);
  return res.json().data;
}

const department = async (name: string, parent_id: number | null = null) =>
  (await must(org.key, 'POST', '/v1/departments', { name, parent_id })).id as number;
const person = async (name: string, department_id: number | null) =>
  (
    await must(org.key, 'POST', '/v1/users', {
      email: `${name}-${Date.now()}@example.com`,
      first_name: name,
      last_name: 'Person',
      department_id,
    })
  ).id as number;
const group = async (name: string, user_ids: number[]) =>
  (await must(org.key, 'POST', '/v1/groups', { name, user_ids })).id as number;

const auditCount = async (key: string, query = '') =>
  (await call(key, 'GET', `/v1/audit-events?size=1${query}`)).json().total_count as number;
const scopeOf = async (userId: number, key = org.key) => must(key, 'GET', `/v1/users/${userId}/hr-scope`);
const setScope = (userId: number, body: object, key = org.key) =>
  call(key, 'PUT', `/v1/users/${userId}/hr-scope`, body);
const retitle = (key: string, userId: number, title: string) =>
  call(key, 'PATCH', `/v1/users/${userId}`, { title });

/** A live key and a test key of the same person, made by the super admin through /v1/api-keys. */
async function testKeyOf(userId: number) {
  const made = await must(org.key, 'POST', '/v1/api-keys', {
    user: userId,
    name: `test key ${userId} ${Date.now()}`,
    mode: 'test',
  });
  return made.key as string;
}

let top: number;
let child: number;
let elsewhere: number;
let inTop: number;
let inChild: number;
let inGroup: number;
let outside: number;
let scopedGroup: number;
let outsideGroup: number;

beforeAll(async () => {
  t = await startTestApp();
  org = await t.createOrg();
  other = await t.createOrg();
  top = await department('Operations');
  child = await department('Logistics', top);
  elsewhere = await department('Sales');
  inTop = await person('top', top);
  inChild = await person('child', child);
  inGroup = await person('grouped', elsewhere);
  outside = await person('outside', elsewhere);
  scopedGroup = await group('Night shift', [inGroup]);
  outsideGroup = await group('Travellers', [outside]);
}, 120_000);
afterAll(() => t.close());

describe('hr_admin scope, set through PUT /v1/users/{id}/hr-scope', () => {
  let hr: Member;
  beforeAll(async () => {
    hr = await t.createMember(org, { role: 'hr_admin' });
  });

  it('starts empty: the hr_admin can write nobody', async () => {
    expect(await scopeOf(hr.id)).toEqual({
      user_id: hr.id,
      department_ids: [],
      group_ids: [],
      in_effect: true,
    });
    expectError(await retitle(hr.key, inTop, 'Lead'), 403, 'insufficient_access', 'no scope yet');
  });

  it('reaches a department, its sub-departments and a group, and nobody else', async () => {
    const audits = await auditCount(org.key, `&action=user.hr_scope_replaced&object_id=${hr.id}`);
    const res = await setScope(hr.id, { department_ids: [top], group_ids: [scopedGroup] });
    expect(res.statusCode, res.body).toBe(200);
    const scope = { user_id: hr.id, department_ids: [top], group_ids: [scopedGroup], in_effect: true };
    expect(res.json().data).toEqual(scope);
    expect(await scopeOf(hr.id)).toEqual(scope);
    expect(await auditCount(org.key, `&action=user.hr_scope_replaced&object_id=${hr.id}`)).toBe(audits + 1);

    for (const id of [inTop, inChild, inGroup]) {
      const patched = await retitle(hr.key, id, 'Coordinator');
      expect(patched.statusCode, `user ${id}: ${patched.body}`).toBe(200);
      expect(patched.json().data.title).toBe('Coordinator');
    }
    expectError(await retitle(hr.key, outside, 'Mole'), 403, 'insufficient_access', 'outside the scope');
    expect((await must(org.key, 'GET', `/v1/users/${outside}`)).title).toBeNull();
  });

  it('writes no audit row when the same scope is sent again, and [] empties it', async () => {
    const same = { department_ids: [top], group_ids: [scopedGroup] };
    await setScope(hr.id, same);
    const before = await auditCount(org.key);
    expect((await setScope(hr.id, same)).statusCode).toBe(200);
    expect(await auditCount(org.key)).toBe(before);

    expect((await setScope(hr.id, { department_ids: [], group_ids: [] })).statusCode).toBe(200);
    expectError(await retitle(hr.key, inChild, 'Again'), 403, 'insufficient_access', 'scope emptied');
    expectError(await retitle(hr.key, inGroup, 'Again'), 403, 'insufficient_access', 'scope emptied');
    await setScope(hr.id, same);
  });

  it('may be set on a member, and takes effect once the role is hr_admin', async () => {
    const future = await t.createMember(org);
    const set = await setScope(future.id, { department_ids: [elsewhere], group_ids: [] });
    expect(set.json().data).toMatchObject({ department_ids: [elsewhere], in_effect: false });
    expectError(await retitle(future.key, outside, 'Early'), 403, 'insufficient_access', 'still a member');
    await must(org.key, 'PATCH', `/v1/users/${future.id}`, { role: 'hr_admin' });
    expect(await scopeOf(future.id)).toMatchObject({ department_ids: [elsewhere], in_effect: true });
    expect((await retitle(future.key, outside, 'Promoted')).statusCode).toBe(200);
    expectError(await retitle(future.key, inTop, 'Nope'), 403, 'insufficient_access', 'other department');
  });

  it('keeps modes apart: a test-mode scope widens neither live department nor live group reach', async () => {
    expect((await must(org.key, 'POST', '/v1/sandbox/reset')).mode).toBe('test');
    const adminTestKey = await testKeyOf(org.adminId);
    const hrTestKey = await testKeyOf(hr.id);
    const wide = { department_ids: [top, elsewhere], group_ids: [scopedGroup, outsideGroup] };
    expect((await setScope(hr.id, wide, adminTestKey)).statusCode).toBe(200);
    expect(await scopeOf(hr.id, adminTestKey)).toMatchObject(wide);

    // Live: still only Operations and the night shift; the test rows name the same ids but do not count.
    expect(await scopeOf(hr.id)).toMatchObject({ department_ids: [top], group_ids: [scopedGroup] });
    expectError(await retitle(hr.key, outside, 'Leak'), 403, 'insufficient_access', 'live, test scope set');
    expect((await must(org.key, 'GET', `/v1/users/${outside}`)).title).not.toBe('Leak');
    // Test: the wider scope does apply there.
    expect((await retitle(hrTestKey, outside, 'Sandboxed')).statusCode).toBe(200);
  });
});

describe('the data-admin grant', () => {
  let dataAdmin: Member;
  let member: Member;
  beforeAll(async () => {
    dataAdmin = await t.createMember(org);
    member = await t.createMember(org);
    const granted = await must(org.key, 'PATCH', `/v1/users/${dataAdmin.id}`, { data_admin: true });
    expect(granted).toMatchObject({ role: 'member', data_admin: true });
  });

  it('gives org-wide data access like admin: departments are read, any user is written', async () => {
    expectError(await call(member.key, 'GET', '/v1/departments'), 403, 'insufficient_access', 'member');
    const list = await call(dataAdmin.key, 'GET', '/v1/departments?size=100');
    expect(list.statusCode).toBe(200);
    expect(list.json().data.map((d: { id: number }) => d.id)).toEqual(
      expect.arrayContaining([top, child, elsewhere]),
    );
    expect((await retitle(dataAdmin.key, outside, 'Audited')).statusCode).toBe(200);
    const created = await call(dataAdmin.key, 'POST', '/v1/users', {
      email: `by-data-admin-${Date.now()}@example.com`,
      first_name: 'New',
      last_name: 'Hire',
      department_id: child,
    });
    expect(created.statusCode, created.body).toBe(201);
  });

  it('does not let its holder grant roles or the grant itself', async () => {
    for (const change of [{ role: 'admin' }, { data_admin: true }]) {
      const res = await call(dataAdmin.key, 'PATCH', `/v1/users/${member.id}`, change);
      expectError(res, 403, 'insufficient_access', JSON.stringify(change));
    }
    expect(await must(org.key, 'GET', `/v1/users/${member.id}`)).toMatchObject({
      role: 'member',
      data_admin: false,
    });
  });
});

describe('what only super admins do', () => {
  const holders: [string, () => Promise<Member>][] = [
    ['an admin', () => t.createMember(org, { role: 'admin' })],
    [
      'a data admin',
      async () => {
        const m = await t.createMember(org);
        await must(org.key, 'PATCH', `/v1/users/${m.id}`, { data_admin: true });
        return m;
      },
    ],
  ];

  it.each(holders)('refuses %s with 403 and changes nothing', async (label, make) => {
    const holder = await make();
    const keyId = (await must(org.key, 'GET', `/v1/api-keys?user_id=${holder.id}`))[0].id as number;
    const scopeBody = { department_ids: [elsewhere], group_ids: [] };
    const refused: [Method, string, object?][] = [
      ['GET', '/v1/api-keys'],
      ['GET', `/v1/api-keys/${keyId}`],
      ['POST', '/v1/api-keys', { user: holder.id, name: `self-made ${label}` }],
      ['POST', `/v1/api-keys/${keyId}/revoke`],
      ['GET', '/v1/audit-events'],
      ['POST', '/v1/sandbox/reset'],
      ['GET', `/v1/users/${holder.id}/hr-scope`],
      ['PUT', `/v1/users/${holder.id}/hr-scope`, scopeBody],
      ['PUT', `/v1/users/${inTop}/hr-scope`, scopeBody],
    ];
    const audits = await auditCount(org.key);
    for (const [method, url, body] of refused) {
      expectError(
        await call(holder.key, method, url, body),
        403,
        'insufficient_access',
        `${label}: ${method} ${url}`,
      );
    }
    expect(await auditCount(org.key)).toBe(audits);
    expect(await scopeOf(holder.id)).toMatchObject({ department_ids: [], group_ids: [] });
    expect((await call(holder.key, 'GET', '/v1/me')).statusCode, 'the key still works').toBe(200);
  });
});

describe('PUT /v1/users/{id}/hr-scope: bad input', () => {
  let hr: Member;
  let start: object;
  beforeAll(async () => {
    hr = await t.createMember(org, { role: 'hr_admin' });
    await setScope(hr.id, { department_ids: [child], group_ids: [] });
    start = await scopeOf(hr.id);
  });

  const foreignDepartment = async () =>
    (await must(other.key, 'POST', '/v1/departments', { name: `Foreign ${Date.now()}` })).id as number;

  it('answers a body its schema forbids with 400 in the envelope', async () => {
    const bodies: [object, string][] = [
      [{ department_ids: [top], group_ids: [], extra: true }, 'invalid_parameters'],
      [{ department_ids: String(top), group_ids: [] }, 'invalid_parameters'],
      [{ department_ids: [top], group_ids: ['night shift'] }, 'invalid_parameters'],
      [{ department_ids: [top, top], group_ids: [] }, 'invalid_parameters'],
      [{ department_ids: [0], group_ids: [] }, 'invalid_parameters'],
      [{ department_ids: [top] }, 'missing_required_parameters'],
    ];
    const audits = await auditCount(org.key);
    for (const [body, code] of bodies)
      expectError(await setScope(hr.id, body), 400, code, JSON.stringify(body));
    expect(await scopeOf(hr.id)).toEqual(start);
    expect(await auditCount(org.key)).toBe(audits);
  });

  it("answers ids of no department or group, or of another organisation's, with 422 and writes nothing", async () => {
    const foreign = await foreignDepartment();
    const bodies = [
      { department_ids: [top, 987_654_321], group_ids: [] },
      { department_ids: [top], group_ids: [987_654_321] },
      { department_ids: [foreign], group_ids: [] },
      // A group's id is not a department's.
      { department_ids: [scopedGroup], group_ids: [] },
    ];
    const audits = await auditCount(org.key);
    for (const body of bodies) {
      expectError(await setScope(hr.id, body), 422, 'invalid_operation', JSON.stringify(body));
    }
    expect(await scopeOf(hr.id)).toEqual(start);
    expect(await auditCount(org.key)).toBe(audits);
    expectError(await retitle(hr.key, inTop, 'Partial'), 403, 'insufficient_access', 'nothing was applied');
  });

  it("answers an unknown user, or another organisation's, with 404", async () => {
    const body = { department_ids: [], group_ids: [] };
    expectError(await setScope(987_654_321, body), 404, 'invalid_resource_id', 'no such user');
    expectError(await setScope(other.adminId, body), 404, 'invalid_resource_id', "org B's admin");
    const get = await call(org.key, 'GET', `/v1/users/${other.adminId}/hr-scope`);
    expectError(get, 404, 'invalid_resource_id', "GET org B's admin");
  });
});

describe('roles are changed by super admins only, downwards too', () => {
  it('refuses an admin demoting a super admin or an admin, and an hr_admin demoting an admin in scope', async () => {
    const admin = await t.createMember(org, { role: 'admin' });
    const otherAdmin = await t.createMember(org, { role: 'admin', fields: { department_id: top } });
    const superAdmin = await t.createMember(org, { role: 'super_admin' });
    const hr = await t.createMember(org, { role: 'hr_admin' });
    await must(org.key, 'PUT', `/v1/users/${hr.id}/hr-scope`, { department_ids: [top], group_ids: [] });
    const refused: [string, Member, Member][] = [
      ['admin demotes super admin', admin, superAdmin],
      ['admin demotes admin', admin, otherAdmin],
      ['hr_admin demotes admin', hr, otherAdmin],
    ];
    for (const [label, by, target] of refused) {
      const audits = await auditCount(org.key, `&object_id=${target.id}`);
      const res = await call(by.key, 'PATCH', `/v1/users/${target.id}`, { role: 'member', title: 'Demoted' });
      expectError(res, 403, 'insufficient_access', label);
      expect(await must(org.key, 'GET', `/v1/users/${target.id}`), label).toMatchObject({ title: null });
      expect(await auditCount(org.key, `&object_id=${target.id}`), label).toBe(audits);
    }
    expect((await must(org.key, 'GET', `/v1/users/${superAdmin.id}`)).role).toBe('super_admin');
    expect((await must(org.key, 'GET', `/v1/users/${otherAdmin.id}`)).role).toBe('admin');
    // The super admin still can; the call still goes through with the key it had.
    expect(await must(org.key, 'PATCH', `/v1/users/${otherAdmin.id}`, { role: 'member' })).toMatchObject({
      role: 'member',
    });
  });

  it('lets a non-super admin send a role and grant as they already are', async () => {
    const admin = await t.createMember(org, { role: 'admin' });
    const peer = await t.createMember(org, { role: 'admin' });
    const same = { role: 'admin', data_admin: false, title: 'Still an admin' };
    expect(await must(admin.key, 'PATCH', `/v1/users/${peer.id}`, same)).toMatchObject(same);
    const created = await must(admin.key, 'POST', '/v1/users', {
      email: `plain-${Date.now()}@example.com`,
      first_name: 'Plain',
      last_name: 'Member',
      role: 'member',
      data_admin: false,
    });
    expect(created).toMatchObject({ role: 'member', data_admin: false });
    const res = await call(admin.key, 'PATCH', `/v1/users/${peer.id}`, { data_admin: true });
    expectError(res, 403, 'insufficient_access', 'admin grants data admin');
  });
});

describe('the organisation keeps its super admins', () => {
  it('refuses an admin deactivating or reactivating a super admin; another super admin may', async () => {
    const admin = await t.createMember(org, { role: 'admin' });
    const superAdmin = await t.createMember(org, { role: 'super_admin' });
    const refused = await call(admin.key, 'POST', `/v1/users/${superAdmin.id}/deactivate`);
    expectError(refused, 403, 'insufficient_access', 'admin deactivates super admin');
    expect((await call(superAdmin.key, 'GET', '/v1/me')).statusCode).toBe(200);
    expect((await must(org.key, 'POST', `/v1/users/${superAdmin.id}/deactivate`)).status).toBe('deactivated');
    const back = await call(admin.key, 'POST', `/v1/users/${superAdmin.id}/reactivate`);
    expectError(back, 403, 'insufficient_access', 'admin reactivates super admin');
    expect((await must(org.key, 'POST', `/v1/users/${superAdmin.id}/reactivate`)).status).toBe('active');
  });

  it('refuses an hr_admin deactivating an admin or a data admin in scope, one by one and in the upload', async () => {
    const hr = await t.createMember(org, { role: 'hr_admin' });
    await must(org.key, 'PUT', `/v1/users/${hr.id}/hr-scope`, { department_ids: [top], group_ids: [] });
    const admin = await t.createMember(org, { role: 'admin', fields: { department_id: top } });
    const dataAdmin = await t.createMember(org, { fields: { department_id: top } });
    await must(org.key, 'PATCH', `/v1/users/${dataAdmin.id}`, { data_admin: true });
    for (const [label, target] of [
      ['admin', admin],
      ['data admin', dataAdmin],
    ] as const) {
      const audits = await auditCount(org.key, `&object_id=${target.id}`);
      const res = await call(hr.key, 'POST', `/v1/users/${target.id}/deactivate`);
      expectError(res, 403, 'insufficient_access', `hr_admin deactivates ${label}`);
      const email = (await must(org.key, 'GET', `/v1/users/${target.id}`)).email;
      const upload = await call(hr.key, 'POST', '/v1/users/bulk', {
        users: [{ email, first_name: 'Locked', last_name: 'Out', status: 'deactivated' }],
      });
      expect(upload.statusCode, `upload deactivating ${label}`).toBeGreaterThanOrEqual(400);
      expect((await must(org.key, 'GET', `/v1/users/${target.id}`)).status, label).toBe('active');
      expect(await auditCount(org.key, `&object_id=${target.id}`), label).toBe(audits);
      expect((await call(target.key, 'GET', '/v1/me')).statusCode, label).toBe(200);
    }
    // A member in scope still may be; an admin may deactivate a data admin.
    const member = await t.createMember(org, { fields: { department_id: top } });
    expect((await must(hr.key, 'POST', `/v1/users/${member.id}/deactivate`)).status).toBe('deactivated');
    expect((await must(admin.key, 'POST', `/v1/users/${dataAdmin.id}/deactivate`)).status).toBe(
      'deactivated',
    );
  });

  it('refuses to demote the last active super admin, with 422 and nothing changed', async () => {
    const own = await t.createOrg();
    const last = await call(own.key, 'PATCH', `/v1/users/${own.adminId}`, { role: 'admin', title: 'Gone' });
    expectError(last, 422, 'invalid_operation', 'the only super admin demotes themselves');
    expect(await must(own.key, 'GET', `/v1/users/${own.adminId}`)).toMatchObject({
      role: 'super_admin',
      title: null,
    });
    // With a second super admin the first may step down; then the second is the last one.
    const second = await t.createMember(own, { role: 'super_admin' });
    expect(await must(own.key, 'PATCH', `/v1/users/${own.adminId}`, { role: 'admin' })).toMatchObject({
      role: 'admin',
    });
    const again = await call(second.key, 'PATCH', `/v1/users/${second.id}`, { role: 'member' });
    expectError(again, 422, 'invalid_operation', 'the second is now the last');
    expect((await must(second.key, 'GET', `/v1/users/${second.id}`)).role).toBe('super_admin');
  });
});
