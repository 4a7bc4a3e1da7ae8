import { describe, expect, it } from 'vitest';
import { useGoalWorld } from './goal-fixtures.js';

const { t, org, f } = useGoalWorld();

interface Event {
  action: string;
  object_type: string;
  object_id: number;
  actor_user_id: number;
  request_id: string;
  changes: Record<string, unknown>;
}
const history = async (key: string, goalId: number, query = '') =>
  f.call(key, 'GET', `/v1/goals/${goalId}/history${query}`);

describe('goal history', () => {
  it('tells every change to the goal and its milestones, oldest first, with who and from what to what', async () => {
    const goal = await f.createGoal(org.key, {
      name: 'Grow revenue',
      milestones: [{ name: 'ARR', start_value: 10, target_value: 20 }],
    });
    const milestoneId = goal.milestones[0].id;
    await f.call(org.key, 'PATCH', `/v1/goals/${goal.id}`, { name: 'Grow recurring revenue' });
    const checkin = await t.request(org.key, {
      method: 'POST',
      url: `/v1/milestones/${milestoneId}/checkins`,
      payload: { value: 15 },
      headers: { 'x-request-id': 'history-checkin-1' },
    });
    expect(checkin.statusCode).toBe(201);
    expect((await f.call(org.key, 'DELETE', `/v1/milestones/${milestoneId}`)).statusCode).toBe(200);
    const other = await f.createGoal(org.key, { name: 'Unrelated' });
    await f.call(org.key, 'PATCH', `/v1/goals/${other.id}`, { name: 'Still unrelated' });

    const res = await history(org.key, goal.id);
    expect(res.statusCode).toBe(200);
    const events = res.json().data as Event[];
    expect(events.map((e) => e.action)).toEqual([
      'goal.created',
      'milestone.created',
      'goal.updated',
      'milestone.checked_in',
      'goal.progress_changed',
      'milestone.deleted',
      'goal.progress_changed',
    ]);
    expect(events.every((e) => e.actor_user_id === org.adminId)).toBe(true);
    expect(events.some((e) => e.object_id === other.id)).toBe(false);
    const renamed = events.find((e) => e.action === 'goal.updated');
    expect(renamed?.changes).toEqual({ name: { from: 'Grow revenue', to: 'Grow recurring revenue' } });
    const checkedIn = events.find((e) => e.action === 'milestone.checked_in');
    expect(checkedIn).toMatchObject({ object_id: milestoneId, request_id: 'history-checkin-1' });
    // The check-in moved the goal to 50; deleting its only milestone took it back to 0.
    const moves = events.filter((e) => e.action === 'goal.progress_changed').map((e) => e.changes.progress);
    expect(moves).toEqual([
      { from: 0, to: 50 },
      { from: 50, to: 0 },
    ]);
  });

  it('pages with a cursor without losing or repeating an entry, and filters by time', async () => {
    const goal = await f.createGoal(org.key, { name: 'Many edits' });
    for (const n of [1, 2, 3, 4]) {
      await f.call(org.key, 'PATCH', `/v1/goals/${goal.id}`, { description: `edit ${n}` });
    }
    const all = (await history(org.key, goal.id)).json();
    expect(all.total_count).toBe(5);
    const first = (await history(org.key, goal.id, '?size=2')).json();
    const second = (await history(org.key, goal.id, `?size=2&cursor=${first.next_cursor}`)).json();
    const third = (await history(org.key, goal.id, `?size=2&cursor=${second.next_cursor}`)).json();
    const ids = [...first.data, ...second.data, ...third.data].map((e: { id: number }) => e.id);
    expect(ids).toEqual(all.data.map((e: { id: number }) => e.id));
    expect(third.next_cursor).toBeNull();
    const future = (await history(org.key, goal.id, '?since=2999-01-01T00:00:00Z')).json();
    expect(future.total_count).toBe(0);
  });

  it('is visible exactly to those who can see the goal', async () => {
    const owner = await t.createMember(org);
    const stranger = await t.createMember(org);
    const secret = await f.createGoal(owner.key, { name: 'Private plan', visibility: 'private' });
    expect((await history(owner.key, secret.id)).statusCode).toBe(200);
    expect((await history(org.key, secret.id)).statusCode).toBe(200);
    const hidden = await history(stranger.key, secret.id);
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json().error).toBe('invalid_resource_id');
    const otherOrg = await t.createOrg();
    expect((await history(otherOrg.key, secret.id)).statusCode).toBe(404);
  });
});
