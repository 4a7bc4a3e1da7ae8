import { describe, expect, it } from 'vitest';
import { expectError } from './envelope-assert.js';
import { useGoalWorld } from './goal-fixtures.js';

/**
 * Metric and colour rules that mutation testing found unpinned (issue 19, items 5 and 6). Dates lie wholly
 * in the past where a colour is asserted, so the time-expected progress is exactly 100 whenever this runs.
 */
const {
  f,
  members: { owner },
} = useGoalWorld({ members: { owner: {} } });

const PAST = { starts_on: '2020-01-01', ends_on: '2020-12-31' };
const FAR = { starts_on: '2020-01-01', ends_on: '2099-12-31' };

const addMilestone = (goalId: number, body: object) =>
  f.call(owner.key, 'POST', `/v1/goals/${goalId}/milestones`, { name: 'Measure', ...body });

/** A milestone made on a fresh goal with the given dates; returns the created milestone. */
async function milestoneOn(dates: object, body: object) {
  const goal = await f.createGoal(owner.key, { name: 'Measured goal', ...dates });
  const res = await addMilestone(goal.id, body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json().data;
}

describe('metric combinations that are refused', () => {
  it('refuses a decreasing metric whose target is at or above its start', async () => {
    const goal = await f.createGoal(owner.key, { name: 'Cut churn' });
    for (const target_value of [10, 12]) {
      const res = await addMilestone(goal.id, { direction: 'decrease', start_value: 10, target_value });
      expectError(res, 422, 'invalid_operation', `decrease 10 → ${target_value}`);
    }
    const ok = await addMilestone(goal.id, { direction: 'decrease', start_value: 10, target_value: 4 });
    expect(ok.statusCode, ok.body).toBe(201);
    expect((await f.getGoal(owner.key, goal.id)).milestones).toHaveLength(1);
  });

  it('refuses a binary milestone that does not go from 0 to 1', async () => {
    const goal = await f.createGoal(owner.key, { name: 'Ship it' });
    for (const [start_value, target_value] of [
      [0, 2],
      [1, 1],
      [-1, 1],
      [0, 0],
    ] as const) {
      const res = await addMilestone(goal.id, { unit: 'binary', start_value, target_value });
      expectError(res, 422, 'invalid_operation', `binary ${start_value} → ${target_value}`);
    }
    const ok = await addMilestone(goal.id, { unit: 'binary', start_value: 0, target_value: 1 });
    expect(ok.statusCode, ok.body).toBe(201);
    expect((await f.getGoal(owner.key, goal.id)).milestones).toHaveLength(1);
  });
});

describe('range milestones', () => {
  // Green band 10–20, at risk within 5 of it, progress falls to 0 at 10 from it.
  const band = { direction: 'range', start_value: 10, target_value: 20, range_yellow: 5, range_red: 10 };

  it('counts a value above the band as outside it, by its distance from the band', async () => {
    const above = await milestoneOn(FAR, { ...band, current_value: 25 });
    expect(above).toMatchObject({ progress: 50, progress_color: 'at_risk' });
    const far = await milestoneOn(FAR, { ...band, current_value: 31 });
    expect(far).toMatchObject({ progress: 0, progress_color: 'needs_attention' });
    const below = await milestoneOn(FAR, { ...band, current_value: 7 });
    expect(below).toMatchObject({ progress: 70, progress_color: 'at_risk' });
    const inside = await milestoneOn(FAR, { ...band, current_value: 20 });
    expect(inside).toMatchObject({ progress: 100, progress_color: 'on_track' });
  });

  it('takes its colour from its thresholds, not from the time elapsed', async () => {
    // Exactly on the yellow tolerance: at risk, where time alone would say on track (FAR) or not (PAST).
    for (const dates of [FAR, PAST]) {
      expect(await milestoneOn(dates, { ...band, current_value: 15 - 10 })).toMatchObject({
        progress: 50,
        progress_color: 'at_risk',
      });
      expect(await milestoneOn(dates, { ...band, current_value: 4.5 })).toMatchObject({
        progress_color: 'needs_attention',
      });
      expect(await milestoneOn(dates, { ...band, current_value: 12 })).toMatchObject({
        progress: 100,
        progress_color: 'on_track',
      });
    }
  });
});

describe('colour thresholds (docs/goals.md)', () => {
  const percent = (current_value: number) => ({ start_value: 0, target_value: 100, current_value });

  it('is on track at exactly 10 points behind, at risk at exactly 25, needs attention beyond', async () => {
    const cases = [
      [90, 'on_track'],
      [89.999, 'at_risk'],
      [75, 'at_risk'],
      [74.999, 'needs_attention'],
    ] as const;
    for (const [value, colour] of cases) {
      const milestone = await milestoneOn(PAST, percent(value));
      expect(milestone, `milestone at ${value}`).toMatchObject({ progress: value, progress_color: colour });
      const goal = await f.getGoal(owner.key, milestone.goal_id);
      expect(goal, `goal at ${value}`).toMatchObject({ progress: value, progress_color: colour });
    }
  });

  it("colours a milestone by its own end date, not its goal's", async () => {
    // The goal runs to 2099, so by its dates 50 is on track; the milestone's own year is over.
    const own = await milestoneOn(FAR, { ...percent(50), ...PAST });
    expect(own).toMatchObject({ progress: 50, progress_color: 'needs_attention' });
    const goal = await f.getGoal(owner.key, own.goal_id);
    expect(goal.progress_color).toBe('on_track');
    const borrowed = await milestoneOn(FAR, percent(50));
    expect(borrowed.progress_color).toBe('on_track');
  });
});
