import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goalFixtures } from './goal-fixtures.js';
import { type Org, startTestApp, type TestApp } from './harness.js';

let t: TestApp;
let org: Org;

beforeAll(async () => {
  t = await startTestApp();
  org = await t.createOrg();
});
afterAll(() => t.close());

describe('users', () => {
  it('creates, reads by id and email, updates and lists a user', async () => {
    const created = await t.request(org.key, {
      method: 'POST',
      url: '/v1/users',
      payload: {
        email: 'Ada@Example.com',
        first_name: 'Ada',
        last_name: 'Lovelace',
        employee_id: 'E1',
        custom_fields: { level: 3 },
      },
    });
    expect(created.statusCode).toBe(201);
    const user = created.json().data;
    expect(user).toMatchObject({
      email: 'Ada@Example.com',
      status: 'active',
      role: 'member',
      custom_fields: { level: 3 },
    });

    const byEmail = await t.request(org.key, { method: 'GET', url: '/v1/users/ada@example.com' });
    expect(byEmail.json().data.id).toBe(user.id);

    const patched = await t.request(org.key, {
      method: 'PATCH',
      url: `/v1/users/${user.id}`,
      payload: { title: 'Engineer' },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json().data.title).toBe('Engineer');

    const list = await t.request(org.key, { method: 'GET', url: '/v1/users?q=lovelace' });
    expect(list.json()).toMatchObject({ success: true, total_count: 1, data: [{ id: user.id }] });
  });

  it('refuses a manager cycle and keeps the data unchanged', async () => {
    const mk = async (email: string, manager_id?: number) =>
      (
        await t.request(org.key, {
          method: 'POST',
          url: '/v1/users',
          payload: { email, first_name: 'A', last_name: 'B', ...(manager_id && { manager_id }) },
        })
      ).json().data;
    const boss = await mk('boss@example.com');
    const report = await mk('report@example.com', boss.id);
    const cycle = await t.request(org.key, {
      method: 'PATCH',
      url: `/v1/users/${boss.id}`,
      payload: { manager_id: report.id },
    });
    expect(cycle.statusCode).toBe(422);
    expect(cycle.json().error).toBe('invalid_operation');
    const again = await t.request(org.key, { method: 'GET', url: `/v1/users/${boss.id}` });
    expect(again.json().data.manager_id).toBeNull();
  });

  it('answers a size above 100 with a clear 400', async () => {
    const res = await t.request(org.key, { method: 'GET', url: '/v1/users?size=101' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ success: false, error: 'invalid_parameters' });
    expect(res.json().request_id).toBe(res.headers['x-request-id']);
  });
});

describe('users: uniqueness', () => {
  it('answers a taken email on update with 409 and changes nothing', async () => {
    const mk = async (email: string) =>
      (
        await t.request(org.key, {
          method: 'POST',
          url: '/v1/users',
          payload: { email, first_name: 'A', last_name: 'B' },
        })
      ).json().data;
    await mk('taken@example.com');
    const other = await mk('other@example.com');
    const res = await t.request(org.key, {
      method: 'PATCH',
      url: `/v1/users/${other.id}`,
      payload: { email: 'TAKEN@example.com', title: 'Lead' },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      error: 'duplicate_resource',
      error_description: 'A user with this email already exists.',
    });
    const after = await t.request(org.key, { method: 'GET', url: `/v1/users/${other.id}` });
    expect(after.json().data).toMatchObject({ email: 'other@example.com', title: null });
  });
});

describe('users: deactivation keeps their data', () => {
  it('keeps every field, memberships and goals, and reactivation restores the status', async () => {
    const send = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) => {
      const res = await t.request(org.key, { method, url, ...(payload && { payload }) });
      expect(res.statusCode, `${method} ${url}: ${res.body.slice(0, 300)}`).toBeLessThan(300);
      return res.json();
    };
    const dept = (await send('POST', '/v1/departments', { name: 'Leavers dept' })).data;
    const boss = (
      await send('POST', '/v1/users', { email: 'lboss@example.com', first_name: 'L', last_name: 'B' })
    ).data;
    const created = (
      await send('POST', '/v1/users', {
        email: 'leaving@example.com',
        employee_id: 'L-1',
        first_name: 'Lea',
        last_name: 'Ving',
        preferred_name: 'Lee',
        title: 'Analyst',
        department_id: dept.id,
        manager_id: boss.id,
        dotted_line_manager_ids: [boss.id],
        location: 'Lisbon',
        phone: '+351 1',
        hire_date: '2020-02-03',
        custom_fields: { level: 2, remote: true },
      })
    ).data;
    const group = (await send('POST', '/v1/groups', { name: 'Leavers group', user_ids: [created.id] })).data;
    const team = (await send('POST', '/v1/teams', { name: 'Leavers team', kind: 'functional' })).data;
    await send('PUT', `/v1/teams/${team.id}/members/${created.id}`, { team_role: 'manager' });
    const goal = await goalFixtures(t).createGoal(org.key, { name: 'Ship it', owner_user_id: created.id });

    const deactivated = (await send('POST', `/v1/users/${created.id}/deactivate`)).data;
    const read = (await send('GET', `/v1/users/${created.id}`)).data;
    expect(read).toEqual(deactivated);
    const { status, deactivated_at, updated_at, ...unchanged } = read;
    const { status: _s, deactivated_at: _d, updated_at: _u, ...before } = created;
    expect(unchanged).toEqual(before);
    expect(status).toBe('deactivated');
    expect(Date.parse(deactivated_at)).toBeGreaterThanOrEqual(Date.parse(created.created_at));

    const groups = await send('GET', `/v1/groups?member_id=${created.id}`);
    expect(groups).toMatchObject({ total_count: 1, data: [{ id: group.id }] });
    const members = (await send('GET', `/v1/teams/${team.id}/members`)).data;
    expect(members).toEqual([
      expect.objectContaining({ user_id: created.id, team_role: 'manager', status: 'deactivated' }),
    ]);
    const goals = await send('GET', `/v1/goals?owner_id=${created.id}`);
    expect(goals).toMatchObject({ total_count: 1, data: [{ id: goal.id, owner_user_id: created.id }] });
    const inDept = await send('GET', `/v1/users?department_id=${dept.id}&status=deactivated`);
    expect(inDept).toMatchObject({ total_count: 1, data: [{ id: created.id }] });

    const reactivated = (await send('POST', `/v1/users/${created.id}/reactivate`)).data;
    expect(reactivated).toMatchObject({ ...before, status: 'active', deactivated_at: null });
    expect((await send('GET', `/v1/users/${created.id}`)).data.status).toBe('active');
  });
});
