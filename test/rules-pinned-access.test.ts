import { beforeAll, describe, expect, it } from 'vitest';
import { expectError } from './envelope-assert.js';
import { useGoalWorld } from './goal-fixtures.js';

/**
 * Access rules that mutation testing found unpinned (issue 19, items 1–4 and 7): each test fails when the
 * rule in policy.ts, goals/visibility.ts or http/auth.ts is broken. hr is an hr_admin covering `dept`.
 */
const {
  t,
  org,
  f,
  members: { admin, hr },
} = useGoalWorld({ members: { admin: { role: 'admin' }, hr: { role: 'hr_admin' } } });
let dept: number;
const FAR = { starts_on: '2020-01-01', ends_on: '2099-12-31' };

beforeAll(async () => {
  dept = await f.createDepartment(org, 'Operations');
  await f.scopeHrAdmin(org, hr.id, dept);
  await f.call(org.key, 'PATCH', `/v1/users/${hr.id}`, { department_id: dept });
});

const statusOf = async (id: number) => (await f.call(org.key, 'GET', `/v1/users/${id}`)).json().data.status;
const meStatus = async (key: string) => (await f.call(key, 'GET', '/v1/me')).statusCode;

describe('deactivating and reactivating an ordinary user', () => {
  it('is allowed to an admin, and the person is locked out and let back in', async () => {
    const person = await t.createMember(org);
    const off = await f.call(admin.key, 'POST', `/v1/users/${person.id}/deactivate`);
    expect(off.statusCode, off.body).toBe(200);
    expect(await statusOf(person.id)).toBe('deactivated');
    expect(await meStatus(person.key)).not.toBe(200);
    const on = await f.call(admin.key, 'POST', `/v1/users/${person.id}/reactivate`);
    expect(on.statusCode, on.body).toBe(200);
    expect(await statusOf(person.id)).toBe('active');
    expect(await meStatus(person.key)).toBe(200);
  });

  it('is allowed to an hr_admin for a person in their scope, and refused outside it', async () => {
    const inScope = await t.createMember(org, { fields: { department_id: dept } });
    const outside = await t.createMember(org);
    for (const [action, status] of [
      ['deactivate', 'deactivated'],
      ['reactivate', 'active'],
    ] as const) {
      const res = await f.call(hr.key, 'POST', `/v1/users/${inScope.id}/${action}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(await statusOf(inScope.id)).toBe(status);
    }
    const refused = await f.call(hr.key, 'POST', `/v1/users/${outside.id}/deactivate`);
    expectError(refused, 403, 'insufficient_access', 'hr_admin outside scope');
    expect(await statusOf(outside.id)).toBe('active');
  });
});

describe('company and department goals', () => {
  it('refuses an hr_admin creating them, and lets an admin', async () => {
    const before = await f.goalCount(org);
    for (const body of [{ goal_type: 'company' }, { owner_user_id: null, owner_department_id: dept }]) {
      const res = await f.call(hr.key, 'POST', '/v1/goals', { name: 'HR plan', ...FAR, ...body });
      expectError(res, 403, 'insufficient_access', `hr_admin creates ${JSON.stringify(body)}`);
      expect(res.json().error_description).toBe('Only admins set company and department goals.');
    }
    expect(await f.goalCount(org)).toBe(before);
    await f.createGoal(admin.key, { name: 'Company plan', goal_type: 'company' });
    expect(await f.goalCount(org)).toBe(before + 1);
  });

  it('refuses an hr_admin changing them, or turning their own goal into one', async () => {
    const company = await f.createGoal(admin.key, { name: 'Revenue', goal_type: 'company' });
    const department = await f.createGoal(admin.key, { name: 'Ops', owner_department_id: dept });
    for (const goal of [company, department]) {
      const res = await f.call(hr.key, 'PATCH', `/v1/goals/${goal.id}`, { description: 'Rewritten' });
      expectError(res, 403, 'insufficient_access', `hr_admin changes ${goal.goal_type}`);
      expect(res.json().error_description).toBe('You cannot change this goal.');
      expect((await f.getGoal(org.key, goal.id)).description).toBe(goal.description);
    }
    const own = await f.createGoal(hr.key, { name: 'My plan' });
    for (const body of [{ goal_type: 'company' }, { owner_department_id: dept }]) {
      const res = await f.call(hr.key, 'PATCH', `/v1/goals/${own.id}`, body);
      expectError(res, 403, 'insufficient_access', `hr_admin turns own goal into ${JSON.stringify(body)}`);
    }
    expect(await f.getGoal(org.key, own.id)).toMatchObject({ goal_type: 'personal', owner_user_id: hr.id });
  });

  it("says why a goal cannot be given to someone who is not the caller's", async () => {
    const stranger = await t.createMember(org);
    const res = await f.call(hr.key, 'POST', '/v1/goals', {
      name: 'Yours',
      ...FAR,
      owner_user_id: stranger.id,
    });
    expectError(res, 403, 'insufficient_access', 'hr_admin gives a goal to a stranger');
    expect(res.json().error_description).toBe(
      'You can set goals for yourself, your reports and teams you lead.',
    );
  });
});

describe('teams and the assessment scale', () => {
  it('refuses an hr_admin creating, renaming or deleting a team', async () => {
    const teamId = await f.createTeam(org, 'Platform', []);
    const create = await f.call(hr.key, 'POST', '/v1/teams', { name: 'Shadow', kind: 'functional' });
    expectError(create, 403, 'insufficient_access', 'hr_admin creates a team');
    const rename = await f.call(hr.key, 'PATCH', `/v1/teams/${teamId}`, { name: 'Renamed' });
    expectError(rename, 403, 'insufficient_access', 'hr_admin renames a team');
    const remove = await f.call(hr.key, 'DELETE', `/v1/teams/${teamId}`);
    expectError(remove, 403, 'insufficient_access', 'hr_admin deletes a team');
    const teams = (await f.call(org.key, 'GET', '/v1/teams?size=100')).json().data;
    expect(teams.map((x: { name: string }) => x.name)).toEqual(['Platform']);
    const byAdmin = await f.call(admin.key, 'PATCH', `/v1/teams/${teamId}`, { name: 'Core' });
    expect(byAdmin.statusCode, byAdmin.body).toBe(200);
  });

  it('refuses an hr_admin changing the assessment scale, and lets an admin', async () => {
    const scale = { min: 0, max: 10, step: 1, labels: [] };
    const before = (await f.call(org.key, 'GET', '/v1/settings/assessment-scale')).json().data;
    const res = await f.call(hr.key, 'PUT', '/v1/settings/assessment-scale', scale);
    expectError(res, 403, 'insufficient_access', 'hr_admin sets the scale');
    expect((await f.call(org.key, 'GET', '/v1/settings/assessment-scale')).json().data).toEqual(before);
    const byAdmin = await f.call(admin.key, 'PUT', '/v1/settings/assessment-scale', scale);
    expect(byAdmin.statusCode, byAdmin.body).toBe(200);
    expect((await f.call(org.key, 'GET', '/v1/settings/assessment-scale')).json().data).toMatchObject(scale);
  });
});

describe('an hr_admin demoted', () => {
  it("no longer sees their former scope's private goals; the scope is kept, unused, until the role returns", async () => {
    const former = await t.createMember(org, { role: 'hr_admin' });
    await f.scopeHrAdmin(org, former.id, dept);
    const person = await t.createMember(org, { fields: { department_id: dept } });
    const goal = await f.createGoal(person.key, { name: 'Quiet plan', visibility: 'private' });
    expect(await f.goalStatus(former.key, goal.id)).toBe(200);
    expect(await f.listedGoalIds(former.key)).toContain(goal.id);

    const demote = await f.call(org.key, 'PATCH', `/v1/users/${former.id}`, { role: 'member' });
    expect(demote.statusCode, demote.body).toBe(200);
    expect(await f.goalStatus(former.key, goal.id)).toBe(404);
    expect(await f.listedGoalIds(former.key)).not.toContain(goal.id);
    // docs/directory.md: a scope outlives the role, unused, so that a role given back brings it back.
    const scope = (await f.call(org.key, 'GET', `/v1/users/${former.id}/hr-scope`)).json().data;
    expect(scope).toMatchObject({ department_ids: [dept], in_effect: false });

    await f.call(org.key, 'PATCH', `/v1/users/${former.id}`, { role: 'hr_admin' });
    expect(await f.goalStatus(former.key, goal.id)).toBe(200);
  });
});

describe('credentials', () => {
  it('refuses a credential in the query string under every name, in any case, beside a valid header', async () => {
    for (const name of ['access_token', 'api_key', 'apikey', 'key', 'token', 'Token', 'API_KEY']) {
      const res = await t.request(admin.key, { method: 'GET', url: `/v1/me?${name}=x` });
      expectError(res, 400, 'access_token_in_query', name);
    }
    expect((await t.request(admin.key, { method: 'GET', url: '/v1/me?tokens=x' })).statusCode).not.toBe(400);
    // One credential among ordinary parameters is enough.
    const mixed = await t.request(admin.key, { method: 'GET', url: '/v1/users?size=1&token=x' });
    expectError(mixed, 400, 'access_token_in_query', 'token beside size');
  });

  it('tells a caller without a header, or with a malformed one, how to send the key', async () => {
    expectError(await t.app.inject({ method: 'GET', url: '/v1/me' }), 401, 'missing_access_token', 'none');
    const malformed = await t.app.inject({
      method: 'GET',
      url: '/v1/me',
      headers: { authorization: `Token ${admin.key}` },
    });
    expectError(malformed, 401, 'invalid_access_token', 'Token scheme');
    expect(malformed.json().error_description).toContain('Authorization: Bearer <key>');
  });

  it('judges a request with both a key and a session cookie by the key alone', async () => {
    const person = await t.createMember(org);
    const { cookie } = await t.signIn(org.key, person);
    const me = (headers: Record<string, string>) => t.app.inject({ method: 'GET', url: '/v1/me', headers });
    expect((await me({ cookie })).json().data.user.id).toBe(person.id);
    const both = await me({ cookie, authorization: `Bearer ${admin.key}` });
    expect(both.json().data.user.id).toBe(admin.id);
    expectError(
      await me({ cookie, authorization: 'Bearer nonsense' }),
      401,
      'invalid_access_token',
      'bad key',
    );
  });

  it("lets a session write only with the session's CSRF token", async () => {
    const person = await t.createMember(org);
    const { cookie, csrf } = await t.signIn(org.key, person);
    const write = (headers: Record<string, string>) =>
      t.app.inject({
        method: 'POST',
        url: '/v1/goals',
        headers: { cookie, ...headers },
        payload: { name: 'Mine', ...FAR },
      });
    const before = await f.goalCount(org);
    expectError(await write({}), 403, 'csrf_token_invalid', 'no token');
    expectError(await write({ 'x-csrf-token': `${csrf}x` }), 403, 'csrf_token_invalid', 'wrong token');
    expect(await f.goalCount(org)).toBe(before);
    const res = await write({ 'x-csrf-token': csrf });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().data.owner_user_id).toBe(person.id);
  });

  it('refuses a header that only contains "Bearer <key>" or adds to it', async () => {
    const send = (authorization: string) =>
      t.app.inject({ method: 'GET', url: '/v1/me', headers: { authorization } });
    expectError(await send(`xBearer ${admin.key}`), 401, 'invalid_access_token', 'xBearer');
    expectError(await send(`Bearer ${admin.key} junk`), 401, 'invalid_access_token', 'trailing junk');
    expect((await send(`bearer  ${admin.key}`)).statusCode).toBe(200);
  });
});
