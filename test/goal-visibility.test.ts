import { beforeAll, describe, expect, it } from 'vitest';
import { useGoalWorld } from './goal-fixtures.js';
import type { Member } from './harness.js';

/** manager ← report (a reporting line); outsider, contributor, teamMate: plain members. */
const {
  t,
  org,
  f,
  members: { manager, report, outsider, contributor, teamMate, admin },
} = useGoalWorld({
  members: {
    manager: {},
    report: ({ manager }) => ({ fields: { manager_id: manager.id } }),
    outsider: {},
    contributor: {},
    teamMate: {},
    admin: { role: 'admin' },
  },
});
let privateGoal: { id: number };
let publicGoal: { id: number };

const visibleTo = (who: Member, id: number) => f.goalStatus(who.key, id);
const listedFor = (who: Member, query = '') => f.listedGoalIds(who.key, query);

beforeAll(async () => {
  privateGoal = await f.createGoal(report.key, {
    name: 'Private plan',
    visibility: 'private',
    contributors: [{ user_id: contributor.id }],
  });
  publicGoal = await f.createGoal(report.key, { name: 'Public plan' });
});

describe('goal visibility', () => {
  it('shows public goals to every member and private ones only to those listed', async () => {
    expect(await visibleTo(outsider, publicGoal.id)).toBe(200);
    expect(await visibleTo(outsider, privateGoal.id)).toBe(404);
    expect(await listedFor(outsider)).toContain(publicGoal.id);
    expect(await listedFor(outsider)).not.toContain(privateGoal.id);
    for (const who of [report, manager, contributor, admin]) {
      expect(await visibleTo(who, privateGoal.id)).toBe(200);
      expect(await listedFor(who)).toContain(privateGoal.id);
    }
  });

  it('counts only visible goals in total_count', async () => {
    const forOutsider = (await f.call(outsider.key, 'GET', `/v1/goals?owner_id=${report.id}`)).json();
    const forManager = (await f.call(manager.key, 'GET', `/v1/goals?owner_id=${report.id}`)).json();
    expect(forOutsider.total_count).toBe(forManager.total_count - 1);
  });

  it('shows a private goal to managers further up the chain', async () => {
    const skip = await t.createMember(org);
    await f.call(org.key, 'PATCH', `/v1/users/${manager.id}`, { manager_id: skip.id });
    expect(await visibleTo(skip, privateGoal.id)).toBe(200);
  });

  it('does not show a private goal to a dotted-line manager, nor let them change it', async () => {
    const dotted = await t.createMember(org);
    const named = await f.call(org.key, 'PATCH', `/v1/users/${report.id}`, {
      dotted_line_manager_ids: [dotted.id],
    });
    expect(named.statusCode, named.body).toBe(200);
    expect(await visibleTo(dotted, privateGoal.id)).toBe(404);
    expect(await listedFor(dotted)).not.toContain(privateGoal.id);
    const patch = await f.call(dotted.key, 'PATCH', `/v1/goals/${privateGoal.id}`, {
      description: 'Mine now',
    });
    expect(patch.statusCode).toBe(404);
    await f.call(org.key, 'PATCH', `/v1/users/${report.id}`, { dotted_line_manager_ids: [] });
  });

  it('limits a teams goal to the members of its teams', async () => {
    const teamId = await f.createTeam(org, 'Platform', [[teamMate.id, 'member']]);
    const goal = await f.createGoal(report.key, {
      name: 'Team only',
      visibility: 'teams',
      team_ids: [teamId],
    });
    expect(goal.team_ids).toEqual([teamId]);
    expect(await visibleTo(teamMate, goal.id)).toBe(200);
    expect(await visibleTo(outsider, goal.id)).toBe(404);
    expect(await visibleTo(manager, goal.id)).toBe(200);
    const noTeams = await f.call(report.key, 'POST', '/v1/goals', {
      name: 'No teams',
      visibility: 'teams',
      starts_on: '2025-01-01',
      ends_on: '2025-12-31',
    });
    expect(noTeams.statusCode).toBe(422);
  });

  it('shows an hr_admin the private goals of people in their scope, and no others', async () => {
    const department = await f.createDepartment(org, 'Finance');
    const sub = await f.createDepartment(org, 'Payroll', department);
    const hr = await t.createMember(org, { role: 'hr_admin' });
    await f.scopeHrAdmin(org, hr.id, department);
    const inScope = await t.createMember(org, { fields: { department_id: sub } });
    const scoped = await f.createGoal(inScope.key, { name: 'Payroll private', visibility: 'private' });
    expect(await visibleTo(hr, scoped.id)).toBe(200);
    expect(await visibleTo(hr, privateGoal.id)).toBe(404);
    expect(await visibleTo(hr, publicGoal.id)).toBe(200);
    expect(await listedFor(hr)).toEqual(expect.arrayContaining([scoped.id, publicGoal.id]));
    expect(await listedFor(hr)).not.toContain(privateGoal.id);
  });

  it('answers 404 for another organisation’s goal and for a live goal asked with a test key', async () => {
    const other = await t.createOrg();
    expect((await f.call(other.key, 'GET', `/v1/goals/${publicGoal.id}`)).statusCode).toBe(404);
    expect((await f.call(other.key, 'GET', `/v1/goals/${publicGoal.id}/tree`)).statusCode).toBe(404);
    const tester = await t.createMember(org, { mode: 'test' });
    expect((await f.call(tester.key, 'GET', `/v1/goals/${publicGoal.id}`)).statusCode).toBe(404);
    expect((await f.call(tester.key, 'GET', '/v1/goals')).json().total_count).toBe(0);
    const write = await f.call(tester.key, 'POST', `/v1/goals/${publicGoal.id}/checkins`, { value: 10 });
    expect(write.statusCode).toBe(404);
  });

  it('drops test-mode goals on a sandbox reset and leaves live goals alone', async () => {
    const tester = await t.createMember(org, { mode: 'test' });
    expect((await f.call(org.key, 'POST', '/v1/sandbox/reset')).statusCode).toBe(200);
    const goal = await f.createGoal(tester.key, {
      name: 'Sandbox goal',
      milestones: [{ name: 'm', target_value: 4 }],
    });
    await f.call(tester.key, 'POST', `/v1/milestones/${goal.milestones[0].id}/checkins`, { value: 2 });
    expect((await f.call(tester.key, 'GET', '/v1/goals')).json().total_count).toBe(1);
    const liveBefore = (await f.call(org.key, 'GET', '/v1/goals')).json().total_count;
    expect((await f.call(org.key, 'POST', '/v1/sandbox/reset')).statusCode).toBe(200);
    expect((await f.call(tester.key, 'GET', '/v1/goals')).json().total_count).toBe(0);
    expect((await f.call(org.key, 'GET', '/v1/goals')).json().total_count).toBe(liveBefore);
  });

  it('leaves a goal aligned under a private one out of the tree for those who cannot see that one', async () => {
    const child = await f.createGoal(report.key, { name: 'Under private', parent_id: privateGoal.id });
    const top = await f.createGoal(report.key, { name: 'Top' });
    await f.call(report.key, 'PATCH', `/v1/goals/${privateGoal.id}`, { parent_id: top.id });
    const forOutsider = (await f.call(outsider.key, 'GET', `/v1/goals/${top.id}/tree`)).json().data;
    expect(forOutsider.children).toEqual([]);
    const forManager = (await f.call(manager.key, 'GET', `/v1/goals/${top.id}/tree`)).json().data;
    expect(forManager.children[0].children[0].id).toBe(child.id);
    // Aligning under a goal you cannot see is refused as if it did not exist.
    const mine = await f.createGoal(outsider.key, { name: 'Mine' });
    const hidden = await f.call(outsider.key, 'PATCH', `/v1/goals/${mine.id}`, { parent_id: privateGoal.id });
    expect(hidden.statusCode).toBe(422);
  });
});

describe('goal writes', () => {
  it('lets the owner, their managers, editors and admins change a goal, and nobody else', async () => {
    const goal = await f.createGoal(report.key, {
      name: 'Editable',
      contributors: [
        { user_id: contributor.id, can_edit: true },
        { user_id: teamMate.id, can_edit: false },
      ],
      milestones: [{ name: 'm', target_value: 10, owner_user_id: outsider.id }],
    });
    const rename = (who: Member, name: string) => f.call(who.key, 'PATCH', `/v1/goals/${goal.id}`, { name });
    expect((await rename(teamMate, 'no')).statusCode).toBe(403);
    expect((await rename(outsider, 'no')).statusCode).toBe(403);
    for (const who of [report, manager, contributor, admin])
      expect((await rename(who, `by ${who.id}`)).statusCode).toBe(200);
    // The milestone's owner checks in on it, though they cannot edit the goal.
    const m = goal.milestones[0];
    expect(
      (await f.call(outsider.key, 'POST', `/v1/milestones/${m.id}/checkins`, { value: 5 })).statusCode,
    ).toBe(201);
    expect(
      (await f.call(teamMate.key, 'POST', `/v1/milestones/${m.id}/checkins`, { value: 6 })).statusCode,
    ).toBe(403);
    expect((await f.getGoal(report.key, goal.id)).progress).toBe(50);
  });

  it('lets team leads write team goals and refuses goals for people you do not manage', async () => {
    const lead = await t.createMember(org);
    const teamId = await f.createTeam(org, 'Growth', [
      [lead.id, 'manager'],
      [teamMate.id, 'member'],
    ]);
    const goal = await f.createGoal(lead.key, { name: 'Team goal', owner_team_id: teamId });
    expect(goal.goal_type).toBe('team');
    expect((await f.call(teamMate.key, 'PATCH', `/v1/goals/${goal.id}`, { name: 'x' })).statusCode).toBe(403);
    const forOther = await f.call(outsider.key, 'POST', '/v1/goals', {
      name: 'For someone else',
      owner_user_id: report.id,
      starts_on: '2025-01-01',
      ends_on: '2025-12-31',
    });
    expect(forOther.statusCode).toBe(403);
    const forReport = await f.call(manager.key, 'POST', '/v1/goals', {
      name: 'For my report',
      owner_user_id: report.id,
      starts_on: '2025-01-01',
      ends_on: '2025-12-31',
    });
    expect(forReport.statusCode).toBe(201);
    const company = await f.call(manager.key, 'POST', '/v1/goals', {
      name: 'Company',
      goal_type: 'company',
      starts_on: '2025-01-01',
      ends_on: '2025-12-31',
    });
    expect(company.statusCode).toBe(403);
  });
});
