import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from './envelope-assert.js';
import { type Member, type Org, startTestApp, type TestApp } from './harness.js';

/**
 * Reporting lines are a privilege boundary: a manager writes their reports' goals and reads their private
 * ones. Org admins name any manager; an hr_admin names only people of their scope, and never themselves.
 */
let t: TestApp;
let org: Org;
let hr: Member;
let inScope: number;
let colleague: number;
let outside: number;

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH';
const call = (key: string, method: Method, url: string, payload?: object) =>
  t.request(key, { method, url, ...(payload && { payload }) });
async function must(key: string, method: Method, url: string, payload?: object) {
  const res = await call(key, method, url, payload);
  expect(res.statusCode, `${method} ${url}: ${res.body.slice(0, 300)}`).toBeLessThan(300);
  return res.json().data;
}
const person = async (name: string, department_id: number) =>
  (
    await must(org.key, 'POST', '/v1/users', {
      email: `${name}@example.com`,
      first_name: name,
      last_name: 'Person',
      department_id,
    })
  ).id as number;
const managerOf = async (id: number) => (await must(org.key, 'GET', `/v1/users/${id}`)).manager_id;

beforeAll(async () => {
  t = await startTestApp();
  org = await t.createOrg();
  const scoped = (await must(org.key, 'POST', '/v1/departments', { name: 'Scoped' })).id as number;
  const elsewhere = (await must(org.key, 'POST', '/v1/departments', { name: 'Elsewhere' })).id as number;
  hr = await t.createMember(org, { role: 'hr_admin', fields: { department_id: scoped } });
  await must(org.key, 'PUT', `/v1/users/${hr.id}/hr-scope`, { department_ids: [scoped], group_ids: [] });
  inScope = await person('report', scoped);
  colleague = await person('colleague', scoped);
  outside = await person('outsider', elsewhere);
}, 300_000);
afterAll(() => t.close());

describe('who may change a manager', () => {
  it('refuses an hr_admin who names themselves manager of a person in their scope, and changes nothing', async () => {
    for (const body of [{ manager_id: hr.id }, { dotted_line_manager_ids: [hr.id] }]) {
      const res = await call(hr.key, 'PATCH', `/v1/users/${inScope}`, body);
      expectError(res, 403, 'insufficient_access', JSON.stringify(body));
      expect(res.json().error_description).toContain('yourself');
    }
    expect(await managerOf(inScope)).toBeNull();
    const created = await call(hr.key, 'POST', '/v1/users', {
      email: 'new-report@example.com',
      first_name: 'New',
      last_name: 'Report',
      department_id: (await must(org.key, 'GET', `/v1/users/${inScope}`)).department_id,
      manager_id: hr.id,
    });
    expectError(created, 403, 'insufficient_access', 'creating a report of oneself');
    const found = await must(org.key, 'GET', '/v1/users?email=new-report@example.com');
    expect(found).toEqual([]);
  });

  it('refuses an hr_admin who names a manager outside their scope', async () => {
    const res = await call(hr.key, 'PATCH', `/v1/users/${inScope}`, { manager_id: outside });
    expectError(res, 403, 'insufficient_access', 'an out-of-scope manager');
    expect(res.json().error_description).toContain('outside your HR scope');
    expect(await managerOf(inScope)).toBeNull();
  });

  it('refuses the same through the bulk upload, by id and by email', async () => {
    const rows = [
      { email: 'report@example.com', first_name: 'report', last_name: 'Person', manager_id: hr.id },
      {
        email: 'colleague@example.com',
        first_name: 'colleague',
        last_name: 'Person',
        manager_email: 'outsider@example.com',
      },
    ];
    const res = await call(hr.key, 'POST', '/v1/users/bulk', { mode: 'partial', users: rows });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data).toMatchObject({ updated: 0, failed: 2 });
    expect(res.json().data.errors.map((e: { error: string }) => e.error)).toEqual([
      'insufficient_access',
      'insufficient_access',
    ]);
    expect(await managerOf(inScope)).toBeNull();
    expect(await managerOf(colleague)).toBeNull();
  });

  it('lets an hr_admin name a manager inside their scope, and leaves an existing one untouched by other edits', async () => {
    await must(hr.key, 'PATCH', `/v1/users/${inScope}`, { manager_id: colleague });
    expect(await managerOf(inScope)).toBe(colleague);
    await must(org.key, 'PATCH', `/v1/users/${colleague}`, { manager_id: outside });
    // The outside manager was named by an admin: the hr_admin may still edit the person, sending it unchanged.
    await must(hr.key, 'PATCH', `/v1/users/${colleague}`, { title: 'Lead', manager_id: outside });
    expect(await managerOf(colleague)).toBe(outside);
  });

  it('lets admins name anyone, themselves included', async () => {
    await must(org.key, 'PATCH', `/v1/users/${outside}`, { manager_id: org.adminId });
    expect(await managerOf(outside)).toBe(org.adminId);
  });
});
