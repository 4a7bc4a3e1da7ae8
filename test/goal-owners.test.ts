import { beforeAll, describe, expect, it } from 'vitest';
import { useGoalWorld } from './goal-fixtures.js';
import type { Member } from './harness.js';

const {
  t,
  org,
  f,
  members: { loner, teamLead, teamMate },
} = useGoalWorld({ members: { loner: {}, teamLead: {}, teamMate: {} } });
let salesId: number;
let supportId: number;
let seller: Member;
let supporter: Member;
let teamId: number;

const dates = { starts_on: '2025-01-01', ends_on: '2099-12-31' };
const statusFor = (who: Member, id: number) => f.goalStatus(who.key, id);
const listedFor = (who: Member, query = '') => f.listedGoalIds(who.key, query);

beforeAll(async () => {
  salesId = await f.createDepartment(org, 'Sales');
  supportId = await f.createDepartment(org, 'Support');
  seller = await t.createMember(org, { fields: { department_id: salesId } });
  supporter = await t.createMember(org, { fields: { department_id: supportId } });
  teamId = await f.createTeam(org, 'Payments', [
    [teamLead.id, 'owner'],
    [teamMate.id, 'member'],
  ]);
});

describe('goal type from the owner', () => {
  it('makes a department-owned goal a department goal and a team-owned goal a team goal', async () => {
    const dept = await f.createGoal(org.key, { name: 'Sales target', owner_department_id: salesId });
    expect(dept).toMatchObject({
      goal_type: 'department',
      owner_department_id: salesId,
      owner_user_id: null,
    });
    const team = await f.createGoal(org.key, { name: 'Payments uptime', owner_team_id: teamId });
    expect(team).toMatchObject({ goal_type: 'team', owner_team_id: teamId, owner_user_id: null });
    const byLead = await f.createGoal(teamLead.key, { name: 'Faster refunds', owner_team_id: teamId });
    expect(byLead.goal_type).toBe('team');
    const mine = await f.createGoal(loner.key, { name: 'Learn Go' });
    expect(mine).toMatchObject({ goal_type: 'personal', owner_user_id: loner.id });
    expect((await f.getGoal(org.key, dept.id)).goal_type).toBe('department');
  });

  it('refuses a goal_type that does not fit its owner and creates nothing', async () => {
    const misfits = [
      { goal_type: 'personal', owner_team_id: teamId },
      { goal_type: 'team', owner_department_id: salesId },
      { goal_type: 'department', owner_team_id: teamId },
      { goal_type: 'department' },
      { goal_type: 'team', owner_user_id: org.adminId },
    ];
    for (const misfit of misfits) {
      const res = await f.call(org.key, 'POST', '/v1/goals', { name: 'Misfit', ...dates, ...misfit });
      expect(res.statusCode, JSON.stringify(misfit)).toBe(422);
      expect(res.json().error).toBe('invalid_operation');
      expect(res.json().error_description).toMatch(/goal needs a \w+ owner/);
    }
    expect((await f.call(org.key, 'GET', '/v1/goals?q=misfit')).json().total_count).toBe(0);
    const company = await f.createGoal(org.key, {
      name: 'Company-wide',
      goal_type: 'company',
      owner_team_id: teamId,
    });
    expect(company).toMatchObject({ goal_type: 'company', owner_team_id: teamId });
  });

  it('refuses a type change that no longer fits the owner and keeps the goal as it was', async () => {
    const goal = await f.createGoal(org.key, { name: 'Team roadmap', owner_team_id: teamId });
    const res = await f.call(org.key, 'PATCH', `/v1/goals/${goal.id}`, { goal_type: 'personal' });
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toBe('invalid_operation');
    expect(await f.getGoal(org.key, goal.id)).toMatchObject({ goal_type: 'team', owner_team_id: teamId });
    // Re-owning to a person lets the type follow the new owner.
    const moved = await f.call(org.key, 'PATCH', `/v1/goals/${goal.id}`, { owner_user_id: teamLead.id });
    expect(moved.json().data).toMatchObject({ goal_type: 'personal', owner_team_id: null });
  });
});

describe('private goals of teams and departments', () => {
  it('shows a private department goal to the members of that department only', async () => {
    const goal = await f.createGoal(org.key, {
      name: 'Sales private plan',
      owner_department_id: salesId,
      visibility: 'private',
    });
    expect(await statusFor(seller, goal.id)).toBe(200);
    expect(await listedFor(seller, `&department_id=${salesId}`)).toContain(goal.id);
    for (const other of [supporter, loner, teamMate]) {
      expect(await statusFor(other, goal.id)).toBe(404);
      expect(await listedFor(other)).not.toContain(goal.id);
    }
    const count = async (who: Member) =>
      (await f.call(who.key, 'GET', `/v1/goals?department_id=${salesId}`)).json().total_count;
    expect(await count(supporter)).toBe((await count(seller)) - 1);
  });

  it('shows a private team goal to the members of that team only', async () => {
    const goal = await f.createGoal(teamLead.key, {
      name: 'Payments private plan',
      owner_team_id: teamId,
      visibility: 'private',
    });
    for (const member of [teamLead, teamMate]) {
      expect(await statusFor(member, goal.id)).toBe(200);
      expect(await listedFor(member, `&team_id=${teamId}`)).toContain(goal.id);
    }
    for (const other of [seller, loner]) {
      expect(await statusFor(other, goal.id)).toBe(404);
      expect(await listedFor(other)).not.toContain(goal.id);
    }
    // Leaving the team takes the goal out of sight.
    await f.leaveTeam(org, teamId, teamMate.id);
    expect(await statusFor(teamMate, goal.id)).toBe(404);
    await f.joinTeam(org, teamId, teamMate.id, 'member');
  });
});

describe('a deactivated owner', () => {
  it('keeps their goals in the tree and in lists', async () => {
    const manager = await t.createMember(org);
    const owner = await t.createMember(org, { fields: { manager_id: manager.id } });
    const root = await f.createGoal(org.key, {
      name: 'North star',
      goal_type: 'company',
      progress_source: 'children',
    });
    const open = await f.createGoal(owner.key, {
      name: 'Open work',
      parent_id: root.id,
      milestones: [{ name: 'm', target_value: 4 }],
    });
    const hidden = await f.createGoal(owner.key, {
      name: 'Quiet work',
      parent_id: root.id,
      visibility: 'private',
    });
    await f.call(owner.key, 'POST', `/v1/milestones/${open.milestones[0].id}/checkins`, { value: 2 });
    const before = (await f.call(loner.key, 'GET', `/v1/goals?owner_id=${owner.id}`)).json();
    expect(before.total_count).toBe(1);

    const off = await f.call(org.key, 'POST', `/v1/users/${owner.id}/deactivate`);
    expect(off.statusCode).toBe(200);
    expect(off.json().data.status).toBe('deactivated');

    const tree = (await f.call(loner.key, 'GET', `/v1/goals/${root.id}/tree`)).json().data;
    expect(tree.progress).toBe(25);
    expect(tree.children.map((c: { id: number; progress: number }) => [c.id, c.progress])).toEqual([
      [open.id, 50],
    ]);
    const managerTree = (await f.call(manager.key, 'GET', `/v1/goals/${root.id}/tree`)).json().data;
    expect(managerTree.children.map((c: { id: number }) => c.id)).toEqual([open.id, hidden.id]);

    const listed = (await f.call(loner.key, 'GET', `/v1/goals?owner_id=${owner.id}`)).json();
    expect(listed.total_count).toBe(1);
    expect(listed.data.map((g: { id: number }) => g.id)).toEqual([open.id]);
    const underRoot = await listedFor(manager, `&parent_id=${root.id}`);
    expect(underRoot).toEqual([open.id, hidden.id]);
    expect(await statusFor(manager, hidden.id)).toBe(200);
  });
});
