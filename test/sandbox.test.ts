import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from './envelope-assert.js';
import { goalFixtures } from './goal-fixtures.js';
import { type Org, startTestApp, type TestApp } from './harness.js';

let t: TestApp;
let org: Org;
let testKey: string;

beforeAll(async () => {
  t = await startTestApp();
  org = await t.createOrg();
  const res = await t.request(org.key, {
    method: 'POST',
    url: '/v1/api-keys',
    payload: { user: org.adminId, name: 'sandbox key', mode: 'test' },
  });
  expect(res.statusCode).toBe(201);
  testKey = res.json().data.key;
}, 300_000);
afterAll(() => t.close());

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
const send = async (key: string, method: Method, url: string, payload?: object) => {
  const res = await t.request(key, { method, url, ...(payload && { payload }) });
  expect(res.statusCode, `${method} ${url}: ${res.body.slice(0, 300)}`).toBeLessThan(300);
  return res.json().data;
};
const get = (key: string, url: string) => t.request(key, { method: 'GET', url });

/** A live directory with a three-level tree, managers, a dotted line, a group and a team with roles. */
async function buildLiveDirectory() {
  const live = (method: Method, url: string, payload?: object) => send(org.key, method, url, payload);
  const top = await live('POST', '/v1/departments', { name: 'Engineering' });
  const mid = await live('POST', '/v1/departments', { name: 'Platform', parent_id: top.id });
  const leaf = await live('POST', '/v1/departments', { name: 'Storage', parent_id: mid.id });
  const person = (email: string, extra: object = {}) =>
    live('POST', '/v1/users', { email, first_name: 'P', last_name: email.split('@')[0], ...extra });
  const boss = await person('boss@example.com', { department_id: top.id, title: 'VP' });
  const lead = await person('lead@example.com', { department_id: mid.id, manager_id: boss.id });
  const dev = await person('dev@example.com', {
    department_id: leaf.id,
    manager_id: lead.id,
    dotted_line_manager_ids: [boss.id],
    employee_id: 'E-7',
    custom_fields: { level: 3 },
  });
  const leaver = await person('leaver@example.com', { department_id: leaf.id });
  await live('POST', `/v1/users/${leaver.id}/deactivate`);
  const group = await live('POST', '/v1/groups', { name: 'Mentors', user_ids: [boss.id, dev.id] });
  const team = await live('POST', '/v1/teams', { name: 'Storage squad', kind: 'working_group' });
  await live('PUT', `/v1/teams/${team.id}/members/${lead.id}`, { team_role: 'owner' });
  await live('PUT', `/v1/teams/${team.id}/members/${dev.id}`, { team_role: 'member' });
  await live('PUT', `/v1/teams/${team.id}/members/${leaver.id}`, { team_role: 'manager' });
  return { top, mid, leaf, boss, lead, dev, leaver, group, team };
}

/** Every directory list and member list, as a test-mode or live key reads it. */
async function directoryBodies(key: string, groupId: number, teamId: number) {
  const urls = [
    '/v1/departments?size=100',
    '/v1/users?size=100',
    '/v1/groups?size=100',
    '/v1/teams?size=100',
    `/v1/groups/${groupId}/members?size=100`,
    `/v1/teams/${teamId}/members?size=100`,
  ];
  const bodies: Record<string, unknown> = {};
  for (const url of urls) {
    const res = await get(key, url);
    expect(res.statusCode, `${url}: ${res.body.slice(0, 300)}`).toBe(200);
    bodies[url] = res.json();
  }
  return bodies;
}

describe('POST /v1/sandbox/reset', () => {
  it('gives test keys the live directory with the same ids, drops test-only changes, leaves live alone', async () => {
    const d = await buildLiveDirectory();
    const f = goalFixtures(t);
    const liveGoal = await f.createGoal(org.key, { name: 'Live goal' });

    // Before the reset, test mode does not have the live directory.
    expect((await get(testKey, `/v1/users/${d.dev.id}`)).statusCode).toBe(404);
    // Test-only changes: new objects and a change to the admin's own test copy.
    const test = (method: Method, url: string, payload?: object) => send(testKey, method, url, payload);
    const scratchDept = await test('POST', '/v1/departments', { name: 'Scratch' });
    const scratchUser = await test('POST', '/v1/users', {
      email: 'scratch@example.com',
      first_name: 'S',
      last_name: 'C',
    });
    const scratchGroup = await test('POST', '/v1/groups', { name: 'Scratch group', user_ids: [org.adminId] });
    const scratchTeam = await test('POST', '/v1/teams', { name: 'Scratch team', kind: 'functional' });
    await test('PATCH', `/v1/users/${org.adminId}`, { title: 'Sandbox title' });
    const testGoal = await f.createGoal(testKey, { name: 'Test goal' });

    const liveBefore = await directoryBodies(org.key, d.group.id, d.team.id);
    const liveGoalBefore = (await get(org.key, `/v1/goals/${liveGoal.id}`)).body;

    const reset = await t.request(org.key, { method: 'POST', url: '/v1/sandbox/reset' });
    expect(reset.statusCode).toBe(200);
    expect(reset.json()).toMatchObject({ success: true, data: { mode: 'test' } });

    // Same tree, people, groups, teams, members and roles, byte for byte (ids and timestamps too).
    const testAfter = await directoryBodies(testKey, d.group.id, d.team.id);
    expect(testAfter).toEqual(liveBefore);
    const copiedDev = (await get(testKey, `/v1/users/${d.dev.id}`)).json().data;
    expect(copiedDev).toMatchObject({
      id: d.dev.id,
      department_id: d.leaf.id,
      manager_id: d.lead.id,
      dotted_line_manager_ids: [d.boss.id],
      employee_id: 'E-7',
      custom_fields: { level: 3 },
    });
    const copiedLeaf = (await get(testKey, `/v1/departments/${d.leaf.id}`)).json().data;
    expect(copiedLeaf.path.map((p: { id: number }) => p.id)).toEqual([d.top.id, d.mid.id]);
    const roles = (testAfter[`/v1/teams/${d.team.id}/members?size=100`] as { data: object[] }).data;
    expect(roles).toEqual([
      expect.objectContaining({ user_id: d.lead.id, team_role: 'owner' }),
      expect.objectContaining({ user_id: d.dev.id, team_role: 'member' }),
      expect.objectContaining({ user_id: d.leaver.id, team_role: 'manager', status: 'deactivated' }),
    ]);
    expect((await get(testKey, '/v1/me')).json().data.user.title).toBeNull();

    // Everything made in test mode before the reset is gone.
    for (const url of [
      `/v1/departments/${scratchDept.id}`,
      `/v1/users/${scratchUser.id}`,
      `/v1/groups/${scratchGroup.id}`,
      `/v1/teams/${scratchTeam.id}`,
      `/v1/goals/${testGoal.id}`,
    ]) {
      expectError(await get(testKey, url), 404, 'invalid_resource_id', url);
    }
    // Goals are not part of the directory: the live goal is not copied, and it is untouched in live.
    expect((await get(testKey, `/v1/goals/${liveGoal.id}`)).statusCode).toBe(404);
    expect((await get(org.key, `/v1/goals/${liveGoal.id}`)).body).toBe(liveGoalBefore);
    expect(await directoryBodies(org.key, d.group.id, d.team.id)).toEqual(liveBefore);
  });

  it('keeps test-mode writes after the reset apart from live, and a second reset undoes them', async () => {
    const dept = await send(org.key, 'POST', '/v1/departments', { name: 'Support' });
    await send(org.key, 'POST', '/v1/sandbox/reset');
    await send(testKey, 'PATCH', `/v1/departments/${dept.id}`, { name: 'Support (sandbox)' });
    expect((await get(org.key, `/v1/departments/${dept.id}`)).json().data.name).toBe('Support');
    await send(org.key, 'POST', '/v1/sandbox/reset');
    expect((await get(testKey, `/v1/departments/${dept.id}`)).json().data.name).toBe('Support');
  });

  it('is for super admins only, and a refused reset keeps the sandbox as it was', async () => {
    const admin = await t.createMember(org, { role: 'admin' });
    const scratch = await send(testKey, 'POST', '/v1/departments', { name: 'Kept scratch' });
    const refused = await t.request(admin.key, { method: 'POST', url: '/v1/sandbox/reset' });
    expectError(refused, 403, 'insufficient_access');
    expect((await get(testKey, `/v1/departments/${scratch.id}`)).statusCode).toBe(200);
  });
});
