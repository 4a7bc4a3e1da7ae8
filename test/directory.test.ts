import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Member, type Org, startTestApp, type TestApp } from './harness.js';

let t: TestApp;
let org: Org;
let member: Member;
let hrAdmin: Member;

beforeAll(async () => {
  t = await startTestApp();
  org = await t.createOrg();
  member = await t.createMember(org);
  hrAdmin = await t.createMember(org, { role: 'hr_admin' });
});
afterAll(() => t.close());

const send = (
  key: string,
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  url: string,
  payload?: object,
) => t.request(key, { method, url, ...(payload && { payload }) });

async function department(name: string, parent_id?: number) {
  const res = await send(org.key, 'POST', '/v1/departments', { name, ...(parent_id && { parent_id }) });
  expect(res.statusCode).toBe(201);
  return res.json().data as { id: number; name: string };
}

describe('departments: who may read them (seed 000)', () => {
  it("refuses a member's key and lists them for a super admin's key", async () => {
    const sales = await department('Sales');
    const refused = await send(member.key, 'GET', '/v1/departments');
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ success: false, error: 'insufficient_access' });
    const single = await send(member.key, 'GET', `/v1/departments/${sales.id}`);
    expect(single.statusCode).toBe(403);

    const listed = await send(org.key, 'GET', '/v1/departments');
    expect(listed.statusCode).toBe(200);
    expect(listed.json()).toMatchObject({ success: true });
    expect(listed.json().data.map((d: { name: string }) => d.name)).toContain('Sales');
  });

  it('lets an hr_admin read departments but not create, change or delete one', async () => {
    const ops = await department('Operations');
    expect((await send(hrAdmin.key, 'GET', '/v1/departments?q=operat')).json()).toMatchObject({
      total_count: 1,
      data: [{ id: ops.id, name: 'Operations' }],
    });
    expect((await send(hrAdmin.key, 'GET', `/v1/departments/${ops.id}`)).statusCode).toBe(200);
    for (const [method, url, payload] of [
      ['POST', '/v1/departments', { name: 'Shadow' }],
      ['PATCH', `/v1/departments/${ops.id}`, { name: 'Renamed' }],
      ['DELETE', `/v1/departments/${ops.id}`, undefined],
    ] as const) {
      const res = await send(hrAdmin.key, method, url, payload);
      expect(res.statusCode, `${method} ${url}`).toBe(403);
      expect(res.json().error).toBe('insufficient_access');
    }
    const after = await send(org.key, 'GET', `/v1/departments/${ops.id}`);
    expect(after.json().data.name).toBe('Operations');
    expect((await send(org.key, 'GET', '/v1/departments?q=shadow')).json().total_count).toBe(0);
  });
});

describe('departments: the tree', () => {
  it('shows the path, moves a branch, and refuses a move that would make a cycle', async () => {
    const top = await department('Engineering');
    const mid = await department('Platform', top.id);
    const leaf = await department('Storage', mid.id);

    const got = (await send(org.key, 'GET', `/v1/departments/${leaf.id}`)).json().data;
    expect(got).toMatchObject({
      parent_id: mid.id,
      path: [
        { id: top.id, name: 'Engineering' },
        { id: mid.id, name: 'Platform' },
      ],
      member_count: 0,
    });

    for (const parent of [leaf.id, mid.id, top.id]) {
      const cycle = await send(org.key, 'PATCH', `/v1/departments/${top.id}`, { parent_id: parent });
      expect(cycle.statusCode).toBe(422);
      expect(cycle.json().error).toBe('invalid_operation');
    }
    expect((await send(org.key, 'GET', `/v1/departments/${top.id}`)).json().data.parent_id).toBeNull();

    const moved = await send(org.key, 'PATCH', `/v1/departments/${mid.id}`, {
      parent_id: null,
      name: 'Infra',
    });
    expect(moved.statusCode).toBe(200);
    expect(moved.json().data).toMatchObject({ name: 'Infra', parent_id: null, path: [] });
    const leafAfter = (await send(org.key, 'GET', `/v1/departments/${leaf.id}`)).json().data;
    expect(leafAfter.path).toEqual([{ id: mid.id, name: 'Infra' }]);

    const children = await send(org.key, 'GET', `/v1/departments?parent_id=${mid.id}`);
    expect(children.json()).toMatchObject({ total_count: 1, data: [{ id: leaf.id }] });
    const tops = (await send(org.key, 'GET', '/v1/departments?top_level=true&size=100')).json().data;
    expect(tops.map((d: { id: number }) => d.id)).toEqual(expect.arrayContaining([top.id, mid.id]));
    expect(tops.map((d: { id: number }) => d.id)).not.toContain(leaf.id);
  });

  it('keeps names unique under one parent, ignoring case, and allows them under another', async () => {
    const a = await department('Region A');
    const b = await department('Region B');
    await department('Support', a.id);
    const clash = await send(org.key, 'POST', '/v1/departments', { name: 'SUPPORT', parent_id: a.id });
    expect(clash.statusCode).toBe(409);
    expect(clash.json().error).toBe('duplicate_resource');
    const elsewhere = await send(org.key, 'POST', '/v1/departments', { name: 'Support', parent_id: b.id });
    expect(elsewhere.statusCode).toBe(201);
    const topClash = await send(org.key, 'POST', '/v1/departments', { name: 'region a' });
    expect(topClash.statusCode).toBe(409);
  });

  it('refuses to delete a department with people or sub-departments, and deletes an empty one', async () => {
    const parent = await department('Finance');
    const child = await department('Payroll', parent.id);
    const person = await send(org.key, 'POST', '/v1/users', {
      email: 'payroll.clerk@example.com',
      first_name: 'Pay',
      last_name: 'Roll',
      department_id: child.id,
    });
    expect(person.statusCode).toBe(201);
    expect((await send(org.key, 'GET', `/v1/departments/${child.id}`)).json().data.member_count).toBe(1);

    for (const id of [parent.id, child.id]) {
      const refused = await send(org.key, 'DELETE', `/v1/departments/${id}`);
      expect(refused.statusCode).toBe(422);
      expect(refused.json().error).toBe('invalid_operation');
      expect((await send(org.key, 'GET', `/v1/departments/${id}`)).statusCode).toBe(200);
    }

    const userId = person.json().data.id;
    await send(org.key, 'PATCH', `/v1/users/${userId}`, { department_id: parent.id });
    expect((await send(org.key, 'DELETE', `/v1/departments/${child.id}`)).statusCode).toBe(200);
    expect((await send(org.key, 'GET', `/v1/departments/${child.id}`)).statusCode).toBe(404);
    const audit = await send(org.key, 'GET', `/v1/audit-events?object_type=department&object_id=${child.id}`);
    expect(
      audit
        .json()
        .data.map((e: { action: string }) => e.action)
        .sort(),
    ).toEqual(['department.created', 'department.deleted']);
  });
});

describe('departments: tenancy', () => {
  it("answers another organisation's department with 404, and refuses it as a parent", async () => {
    const other = await t.createOrg();
    const theirs = (await send(other.key, 'POST', '/v1/departments', { name: 'Theirs' })).json().data;
    for (const [method, payload] of [
      ['GET', undefined],
      ['PATCH', { name: 'Mine now' }],
      ['DELETE', undefined],
    ] as const) {
      const res = await send(org.key, method, `/v1/departments/${theirs.id}`, payload);
      expect(res.statusCode, method).toBe(404);
      expect(res.json().error).toBe('invalid_resource_id');
    }
    const adopt = await send(org.key, 'POST', '/v1/departments', { name: 'Adopted', parent_id: theirs.id });
    expect(adopt.statusCode).toBe(422);
    expect((await send(other.key, 'GET', `/v1/departments/${theirs.id}`)).json().data.name).toBe('Theirs');
  });

  it('does not show live departments to a test-mode key', async () => {
    const live = await department('Live Only');
    const tester = await t.createMember(org, { role: 'super_admin', mode: 'test' });
    const list = await send(tester.key, 'GET', '/v1/departments?size=100');
    expect(list.statusCode).toBe(200);
    expect(list.json().data.map((d: { id: number }) => d.id)).not.toContain(live.id);
    expect((await send(tester.key, 'GET', `/v1/departments/${live.id}`)).statusCode).toBe(404);
    const own = await send(tester.key, 'POST', '/v1/departments', { name: 'Live Only' });
    expect(own.statusCode).toBe(201);
    expect((await send(org.key, 'GET', '/v1/departments?q=live%20only')).json().total_count).toBe(1);
  });
});

async function person(email: string) {
  const res = await send(org.key, 'POST', '/v1/users', {
    email,
    first_name: 'P',
    last_name: email.split('@')[0],
  });
  expect(res.statusCode).toBe(201);
  return res.json().data.id as number;
}

const memberIds = async (key: string, url: string) =>
  (await send(key, 'GET', `${url}?size=100`)).json().data.map((m: { user_id: number }) => m.user_id);

describe('groups', () => {
  it('replaces the member list, and the change shows in GET for everyone', async () => {
    const [ann, bob, cat] = [
      await person('ann@example.com'),
      await person('bob@example.com'),
      await person('cat@example.com'),
    ];
    const created = await send(org.key, 'POST', '/v1/groups', { name: 'Mentors', user_ids: [ann, bob] });
    expect(created.statusCode).toBe(201);
    const group = created.json().data;
    expect(group.member_count).toBe(2);

    const replaced = await send(org.key, 'PUT', `/v1/groups/${group.id}/members`, { user_ids: [bob, cat] });
    expect(replaced.statusCode).toBe(200);
    expect(replaced.json().data.member_count).toBe(2);
    expect(await memberIds(member.key, `/v1/groups/${group.id}/members`)).toEqual([bob, cat]);
    const mine = await send(member.key, 'GET', `/v1/groups?member_id=${cat}`);
    expect(mine.json()).toMatchObject({ total_count: 1, data: [{ id: group.id, name: 'Mentors' }] });

    const audit = await send(org.key, 'GET', `/v1/audit-events?object_type=group&object_id=${group.id}`);
    expect(
      audit.json().data.find((e: { action: string }) => e.action === 'group.members_replaced').changes,
    ).toEqual({
      added: [cat],
      removed: [ann],
    });

    const emptied = await send(org.key, 'PUT', `/v1/groups/${group.id}/members`, { user_ids: [] });
    expect(emptied.json().data.member_count).toBe(0);
  });

  it('refuses members who are not users of the organisation, and changes nothing', async () => {
    const dan = await person('dan@example.com');
    const other = await t.createOrg();
    const stranger = await t.createMember(other);
    const group = (await send(org.key, 'POST', '/v1/groups', { name: 'Guild', user_ids: [dan] })).json().data;
    for (const ids of [
      [dan, stranger.id],
      [dan, 999_999_999],
    ]) {
      const res = await send(org.key, 'PUT', `/v1/groups/${group.id}/members`, { user_ids: ids });
      expect(res.statusCode).toBe(422);
      expect(res.json().error).toBe('invalid_operation');
    }
    expect(await memberIds(org.key, `/v1/groups/${group.id}/members`)).toEqual([dan]);
    const theirGroup = (await send(other.key, 'POST', '/v1/groups', { name: 'Guild' })).json().data;
    expect(theirGroup).toBeDefined();
    expect((await send(org.key, 'GET', `/v1/groups/${theirGroup.id}`)).statusCode).toBe(404);
    expect((await send(org.key, 'GET', `/v1/groups/${theirGroup.id}/members`)).statusCode).toBe(404);
  });

  it('keeps group names unique ignoring case, and lets only admins write', async () => {
    await send(org.key, 'POST', '/v1/groups', { name: 'Readers' });
    const clash = await send(org.key, 'POST', '/v1/groups', { name: 'READERS' });
    expect(clash.statusCode).toBe(409);
    expect(clash.json().error).toBe('duplicate_resource');
    const byMember = await send(member.key, 'POST', '/v1/groups', { name: 'Members club' });
    expect(byMember.statusCode).toBe(403);
    const byHr = await send(hrAdmin.key, 'POST', '/v1/groups', { name: 'HR club' });
    expect(byHr.statusCode).toBe(403);
    expect((await send(member.key, 'GET', '/v1/groups?q=club')).json().total_count).toBe(0);
  });

  it('deletes a group but keeps its people', async () => {
    const eve = await person('eve@example.com');
    const group = (await send(org.key, 'POST', '/v1/groups', { name: 'Temp', user_ids: [eve] })).json().data;
    expect((await send(org.key, 'DELETE', `/v1/groups/${group.id}`)).statusCode).toBe(200);
    expect((await send(org.key, 'GET', `/v1/groups/${group.id}`)).statusCode).toBe(404);
    expect((await send(org.key, 'GET', `/v1/users/${eve}`)).json().data.status).toBe('active');
  });
});

describe('teams', () => {
  it('adds members with roles, changes a role, removes a member, all visible in GET', async () => {
    const [fay, gus] = [await person('fay@example.com'), await person('gus@example.com')];
    const created = await send(org.key, 'POST', '/v1/teams', { name: 'Checkout', kind: 'working_group' });
    expect(created.statusCode).toBe(201);
    const team = created.json().data;
    expect(team).toMatchObject({ kind: 'working_group', member_count: 0 });

    const added = await send(org.key, 'PUT', `/v1/teams/${team.id}/members/${fay}`, { team_role: 'owner' });
    expect(added.statusCode).toBe(201);
    expect(added.json().data).toMatchObject({ user_id: fay, team_role: 'owner', email: 'fay@example.com' });
    await send(org.key, 'PUT', `/v1/teams/${team.id}/members/${gus}`, { team_role: 'member' });
    const changed = await send(org.key, 'PUT', `/v1/teams/${team.id}/members/${gus}`, {
      team_role: 'manager',
    });
    expect(changed.statusCode).toBe(200);

    const list = (await send(member.key, 'GET', `/v1/teams/${team.id}/members`)).json().data;
    expect(list.map((m: { user_id: number; team_role: string }) => [m.user_id, m.team_role])).toEqual([
      [fay, 'owner'],
      [gus, 'manager'],
    ]);
    expect((await send(member.key, 'GET', `/v1/teams/${team.id}`)).json().data.member_count).toBe(2);

    expect((await send(org.key, 'DELETE', `/v1/teams/${team.id}/members/${gus}`)).statusCode).toBe(200);
    expect(await memberIds(org.key, `/v1/teams/${team.id}/members`)).toEqual([fay]);
    expect((await send(org.key, 'DELETE', `/v1/teams/${team.id}/members/${gus}`)).statusCode).toBe(404);
  });

  it("lets a team's owner manage its members, but not a manager, a member or an outsider", async () => {
    const owner = await t.createMember(org);
    const lead = await t.createMember(org);
    const newcomer = await person('newcomer@example.com');
    const team = (await send(org.key, 'POST', '/v1/teams', { name: 'Payments', kind: 'functional' })).json()
      .data;
    await send(org.key, 'PUT', `/v1/teams/${team.id}/members/${owner.id}`, { team_role: 'owner' });
    await send(org.key, 'PUT', `/v1/teams/${team.id}/members/${lead.id}`, { team_role: 'manager' });

    for (const key of [lead.key, member.key, hrAdmin.key]) {
      const res = await send(key, 'PUT', `/v1/teams/${team.id}/members/${newcomer}`, { team_role: 'member' });
      expect(res.statusCode).toBe(403);
      expect(res.json().error).toBe('insufficient_access');
    }
    const byOwner = await send(owner.key, 'PUT', `/v1/teams/${team.id}/members/${newcomer}`, {
      team_role: 'member',
    });
    expect(byOwner.statusCode).toBe(201);
    expect((await send(owner.key, 'DELETE', `/v1/teams/${team.id}/members/${lead.id}`)).statusCode).toBe(200);
    expect(await memberIds(owner.key, `/v1/teams/${team.id}/members`)).toEqual([owner.id, newcomer]);

    const rename = await send(owner.key, 'PATCH', `/v1/teams/${team.id}`, { name: 'Mine' });
    expect(rename.statusCode).toBe(403);
    expect((await send(owner.key, 'DELETE', `/v1/teams/${team.id}`)).statusCode).toBe(403);
  });

  it('refuses an unknown user, a duplicate name and another organisation’s team', async () => {
    const team = (await send(org.key, 'POST', '/v1/teams', { name: 'Search', kind: 'functional' })).json()
      .data;
    const ghost = await send(org.key, 'PUT', `/v1/teams/${team.id}/members/999999999`, {
      team_role: 'member',
    });
    expect(ghost.statusCode).toBe(422);
    expect(
      (await send(org.key, 'POST', '/v1/teams', { name: 'search', kind: 'working_group' })).statusCode,
    ).toBe(409);
    const other = await t.createOrg();
    const theirs = (await send(other.key, 'POST', '/v1/teams', { name: 'Theirs', kind: 'functional' })).json()
      .data;
    expect((await send(org.key, 'GET', `/v1/teams/${theirs.id}`)).statusCode).toBe(404);
    const intrude = await send(org.key, 'PUT', `/v1/teams/${theirs.id}/members/${member.id}`, {
      team_role: 'owner',
    });
    expect(intrude.statusCode).toBe(404);
    expect((await send(other.key, 'GET', `/v1/teams/${theirs.id}`)).json().data.member_count).toBe(0);
  });

  it('filters teams by kind and member, and deletes a team', async () => {
    const hal = await person('hal@example.com');
    const team = (
      await send(org.key, 'POST', '/v1/teams', { name: 'Guild of QA', kind: 'working_group' })
    ).json().data;
    await send(org.key, 'PUT', `/v1/teams/${team.id}/members/${hal}`, { team_role: 'member' });
    const filtered = await send(member.key, 'GET', `/v1/teams?kind=working_group&member_id=${hal}`);
    expect(filtered.json()).toMatchObject({ total_count: 1, data: [{ id: team.id }] });
    expect((await send(org.key, 'DELETE', `/v1/teams/${team.id}`)).statusCode).toBe(200);
    expect((await send(member.key, 'GET', `/v1/teams?member_id=${hal}`)).json().total_count).toBe(0);
  });
});
