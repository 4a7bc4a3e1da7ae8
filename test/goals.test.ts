import { describe, expect, it } from 'vitest';
import {
  expectedProgress,
  goalColor,
  milestoneProgress,
  rangeColor,
  timeColor,
} from '../src/domain/goals/progress.js';
import { useGoalWorld } from './goal-fixtures.js';

const { t, org, f } = useGoalWorld();

const metric = { unit: 'number', direction: 'increase', range_yellow: null, range_red: null } as const;

describe('progress math', () => {
  it('measures increasing, decreasing, binary and range metrics', () => {
    expect(milestoneProgress({ ...metric, start_value: 0, target_value: 200, current_value: 50 })).toBe(25);
    // Churn from 10% down to 4%: at 7.0 we are half-way.
    const churn = { ...metric, direction: 'decrease', start_value: 10, target_value: 4 } as const;
    expect(milestoneProgress({ ...churn, current_value: 7 })).toBe(50);
    expect(milestoneProgress({ ...churn, current_value: 12 })).toBe(0);
    expect(milestoneProgress({ ...churn, current_value: 1 })).toBe(100);
    const binary = { ...metric, unit: 'binary', start_value: 0, target_value: 1 } as const;
    expect(milestoneProgress({ ...binary, current_value: 0 })).toBe(0);
    expect(milestoneProgress({ ...binary, current_value: 1 })).toBe(100);
    const range = {
      ...metric,
      direction: 'range',
      start_value: 95,
      target_value: 99,
      range_yellow: 2,
      range_red: 5,
    } as const;
    expect(milestoneProgress({ ...range, current_value: 97 })).toBe(100);
    expect(rangeColor({ ...range, current_value: 97 })).toBe('on_track');
    expect(milestoneProgress({ ...range, current_value: 94 })).toBe(80);
    expect(rangeColor({ ...range, current_value: 94 })).toBe('at_risk');
    expect(rangeColor({ ...range, current_value: 90 })).toBe('needs_attention');
    expect(milestoneProgress({ ...range, current_value: 90 })).toBe(0);
  });

  it('colours progress against the time elapsed', () => {
    const now = new Date('2025-02-15T00:00:00Z');
    const expected = expectedProgress('2025-01-01', '2025-03-31', now);
    expect(Math.round(expected)).toBe(50);
    expect(timeColor(41, expected)).toBe('on_track');
    expect(timeColor(30, expected)).toBe('at_risk');
    expect(timeColor(20, expected)).toBe('needs_attention');
    expect(goalColor({ starts_on: '2030-01-01', ends_on: '2030-12-31', progress: 0 }, now)).toBe('on_track');
  });
});

describe('goals', () => {
  it('creates a goal with weighted milestones and computes its progress', async () => {
    const goal = await f.createGoal(org.key, {
      name: 'Grow revenue',
      description: 'Across every region',
      categories: ['Growth', 'growth ', 'Finance'],
      tags: ['q1'],
      milestones: [
        { name: 'New deals', start_value: 0, target_value: 100, current_value: 50 },
        { name: 'Churn', start_value: 10, target_value: 4, current_value: 7, weight: 3, unit: 'percent' },
        { name: 'Launch', unit: 'binary', current_value: 1, weight: 0 },
      ],
    });
    expect(goal).toMatchObject({
      owner_user_id: org.adminId,
      goal_type: 'personal',
      progress: 50,
      categories: ['Finance', 'Growth'],
      tags: ['q1'],
    });
    expect(
      goal.milestones.map((m: { direction: string; progress: number }) => [m.direction, m.progress]),
    ).toEqual([
      ['increase', 50],
      ['decrease', 50],
      ['increase', 100],
    ]);
    const checkbox = await f.call(org.key, 'POST', `/v1/goals/${goal.id}/milestones`, {
      name: 'Sign off',
      weight: 0,
    });
    expect(checkbox.json().data).toMatchObject({
      unit: 'binary',
      start_value: 0,
      target_value: 1,
      progress: 0,
    });
    const second = await f.call(org.key, 'POST', `/v1/goals/${goal.id}/milestones`, {
      name: 'Pipeline',
      target_value: 10,
    });
    expect(second.statusCode).toBe(201);
    // (50·1 + 50·3 + 100·0 + 0·1) / 5 = 40
    expect((await f.getGoal(org.key, goal.id)).progress).toBe(40);
    const removed = await f.call(org.key, 'DELETE', `/v1/milestones/${second.json().data.id}`);
    expect(removed.statusCode).toBe(200);
    expect((await f.getGoal(org.key, goal.id)).progress).toBe(50);
  });

  it('fills the dates from a period and keeps a goal within it', async () => {
    const year = await f.call(org.key, 'POST', '/v1/periods', {
      name: 'FY2031',
      starts_on: '2031-01-01',
      ends_on: '2031-12-31',
    });
    expect(year.statusCode).toBe(201);
    const q1 = await f.call(org.key, 'POST', '/v1/periods', {
      name: 'Q1 2031',
      starts_on: '2031-01-01',
      ends_on: '2031-03-31',
      parent_id: year.json().data.id,
    });
    expect(q1.statusCode).toBe(201);
    const outside = await f.call(org.key, 'POST', '/v1/periods', {
      name: 'Bad',
      starts_on: '2030-12-01',
      ends_on: '2031-01-31',
      parent_id: year.json().data.id,
    });
    expect(outside.statusCode).toBe(422);
    const goal = await f.call(org.key, 'POST', '/v1/goals', {
      name: 'Q1 goal',
      period_id: q1.json().data.id,
    });
    expect(goal.json().data).toMatchObject({ starts_on: '2031-01-01', ends_on: '2031-03-31' });
    const late = await f.call(org.key, 'PATCH', `/v1/goals/${goal.json().data.id}`, {
      ends_on: '2031-04-30',
    });
    expect(late.statusCode).toBe(422);
    const noDates = await f.call(org.key, 'POST', '/v1/goals', { name: 'Undated' });
    expect(noDates.statusCode).toBe(400);
    expect(noDates.json().error).toBe('missing_required_parameters');
  });

  it('refuses an alignment cycle and leaves the goals as they were', async () => {
    const a = await f.createGoal(org.key, { name: 'A' });
    const b = await f.createGoal(org.key, { name: 'B', parent_id: a.id });
    const c = await f.createGoal(org.key, { name: 'C', parent_id: b.id });
    const cycle = await f.call(org.key, 'PATCH', `/v1/goals/${a.id}`, { parent_id: c.id, name: 'A renamed' });
    expect(cycle.statusCode).toBe(422);
    expect(cycle.json().error).toBe('invalid_operation');
    const self = await f.call(org.key, 'PATCH', `/v1/goals/${a.id}`, { parent_id: a.id });
    expect(self.statusCode).toBe(422);
    expect(await f.getGoal(org.key, a.id)).toMatchObject({ name: 'A', parent_id: null });
  });

  it('rolls a parent up from its children and re-rolls when a child moves away', async () => {
    const parent = await f.createGoal(org.key, { name: 'Parent', progress_source: 'children' });
    const one = await f.createGoal(org.key, {
      name: 'One',
      parent_id: parent.id,
      milestones: [{ name: 'm', target_value: 10, current_value: 8 }],
    });
    await f.createGoal(org.key, { name: 'Two', parent_id: parent.id });
    expect((await f.getGoal(org.key, parent.id)).progress).toBe(40);
    await f.call(org.key, 'PATCH', `/v1/goals/${one.id}`, { parent_id: null });
    expect((await f.getGoal(org.key, parent.id)).progress).toBe(0);
  });

  it('writes nothing when any part of a create is invalid', async () => {
    const before = (await f.call(org.key, 'GET', '/v1/goals?q=atomic')).json().total_count;
    const bad = await f.call(org.key, 'POST', '/v1/goals', {
      name: 'Atomic',
      starts_on: '2025-01-01',
      ends_on: '2025-12-31',
      milestones: [
        { name: 'fine', target_value: 10 },
        { name: 'wrong way', start_value: 10, target_value: 5, direction: 'increase' },
      ],
    });
    expect(bad.statusCode).toBe(422);
    const unknown = await f.call(org.key, 'POST', '/v1/goals', {
      name: 'Atomic',
      starts_on: '2025-01-01',
      ends_on: '2025-12-31',
      colour: 'red',
    });
    expect(unknown.statusCode).toBe(400);
    const longText = await f.call(org.key, 'POST', '/v1/goals', {
      name: 'Atomic',
      description: 'x'.repeat(2049),
      starts_on: '2025-01-01',
      ends_on: '2025-12-31',
    });
    expect(longText.statusCode).toBe(400);
    const twoOwners = await f.call(org.key, 'POST', '/v1/goals', {
      name: 'Atomic',
      starts_on: '2025-01-01',
      ends_on: '2025-12-31',
      owner_user_id: org.adminId,
      owner_department_id: await f.createDepartment(org, 'Atomic dept'),
    });
    expect(twoOwners.statusCode).toBe(422);
    expect((await f.call(org.key, 'GET', '/v1/goals?q=atomic')).json().total_count).toBe(before);
  });

  it('keeps a deactivated owner’s goal in the tree, readable', async () => {
    const owner = await t.createMember(org);
    const root = await f.createGoal(org.key, { name: 'Company', goal_type: 'company' });
    const child = await f.createGoal(owner.key, { name: 'Mine', parent_id: root.id });
    await f.createGoal(owner.key, { name: 'Deeper', parent_id: child.id });
    const off = await f.call(org.key, 'POST', `/v1/users/${owner.id}/deactivate`);
    expect(off.statusCode).toBe(200);
    const tree = (await f.call(org.key, 'GET', `/v1/goals/${root.id}/tree`)).json().data;
    expect(tree.children[0]).toMatchObject({ id: child.id, owner_user_id: owner.id });
    expect(tree.children[0].children[0].name).toBe('Deeper');
    const shallow = (await f.call(org.key, 'GET', `/v1/goals/${root.id}/tree?depth=1`)).json().data;
    expect(shallow.children[0]).toMatchObject({ has_more: true, children: [] });
    expect((await f.call(org.key, 'GET', `/v1/goals/${child.id}`)).statusCode).toBe(200);
  });

  it('deletes a goal with its milestones and lifts its children to the top', async () => {
    const parent = await f.createGoal(org.key, {
      name: 'Doomed',
      milestones: [{ name: 'm', target_value: 1 }],
    });
    const child = await f.createGoal(org.key, { name: 'Orphan', parent_id: parent.id });
    expect((await f.call(org.key, 'DELETE', `/v1/goals/${parent.id}`)).statusCode).toBe(200);
    expect((await f.call(org.key, 'GET', `/v1/goals/${parent.id}`)).statusCode).toBe(404);
    expect((await f.call(org.key, 'GET', `/v1/milestones/${parent.milestones[0].id}`)).statusCode).toBe(404);
    expect((await f.getGoal(org.key, child.id)).parent_id).toBeNull();
  });

  it('lists with filters and pages by cursor', async () => {
    const owner = await t.createMember(org);
    for (const name of ['P1', 'P2', 'P3']) await f.createGoal(owner.key, { name });
    const first = (await f.call(org.key, 'GET', `/v1/goals?owner_id=${owner.id}&size=2`)).json();
    expect(first.total_count).toBe(3);
    expect(first.data.map((g: { name: string }) => g.name)).toEqual(['P1', 'P2']);
    const next = (
      await f.call(org.key, 'GET', `/v1/goals?owner_id=${owner.id}&size=2&cursor=${first.next_cursor}`)
    ).json();
    expect(next.data.map((g: { name: string }) => g.name)).toEqual(['P3']);
    expect(next.next_cursor).toBeNull();
  });
});
