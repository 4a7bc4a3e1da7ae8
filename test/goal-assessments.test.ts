import { describe, expect, it } from 'vitest';
import { useGoalWorld } from './goal-fixtures.js';
import type { Member, Org } from './harness.js';

const { t, org, f } = useGoalWorld();

const ENDED = { starts_on: '2024-01-01', ends_on: '2024-03-31' };
const assess = (key: string, goalId: number, body: object) =>
  f.call(key, 'POST', `/v1/goals/${goalId}/assessments`, body);

/** A member with a manager and an editor friend, and an ended goal of theirs. */
async function team() {
  const manager = await t.createMember(org);
  const owner = await t.createMember(org, { fields: { manager_id: manager.id } });
  const editor = await t.createMember(org);
  const peer = await t.createMember(org);
  const goal = await f.createGoal(owner.key, {
    name: 'Q1 launch',
    ...ENDED,
    contributors: [{ user_id: editor.id, can_edit: true }],
  });
  return { manager, owner, editor, peer, goal };
}

describe('assessments', () => {
  it('are given by the owner, their manager, an editor and an admin, each in their capacity', async () => {
    const { manager, owner, editor, peer, goal } = await team();
    const given: [Member | Org, string, number][] = [
      [owner, 'self', 4],
      [manager, 'manager', 3],
      [editor, 'editor', 5],
      [org, 'admin', 2],
    ];
    for (const [who, role, score] of given) {
      const res = await assess(who.key, goal.id, { score, comment: `${role} view` });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().data).toMatchObject({ assessor_role: role, score, scale_min: 1, scale_max: 5 });
    }
    const refused = await assess(peer.key, goal.id, { score: 5 });
    expect(refused.statusCode).toBe(403);
    const list = (await f.call(peer.key, 'GET', `/v1/goals/${goal.id}/assessments`)).json();
    expect(list.data.map((a: { assessor_role: string }) => a.assessor_role)).toEqual([
      'self',
      'manager',
      'editor',
      'admin',
    ]);
    // One each: a second one is refused; the assessor changes the first instead.
    expect((await assess(owner.key, goal.id, { score: 5 })).statusCode).toBe(409);
    const mine = list.data[0].id;
    expect((await f.call(manager.key, 'PATCH', `/v1/assessments/${mine}`, { score: 1 })).statusCode).toBe(
      403,
    );
    const changed = await f.call(owner.key, 'PATCH', `/v1/assessments/${mine}`, { score: 5, comment: null });
    expect(changed.json().data).toMatchObject({ score: 5, comment: null });
  });

  it('open at the end of the goal, or earlier when asked explicitly', async () => {
    const owner = await t.createMember(org);
    const running = await f.createGoal(owner.key, { name: 'Still running' });
    const early = await assess(owner.key, running.id, { score: 3 });
    expect(early.statusCode).toBe(422);
    expect(early.json().error_description).toMatch(/before_end/);
    const asked = await assess(owner.key, running.id, { score: 3, before_end: true });
    expect(asked.statusCode).toBe(201);
    expect(asked.json().data.before_end).toBe(true);
    const closed = await f.createGoal(owner.key, { name: 'Closed early' });
    await f.call(owner.key, 'PATCH', `/v1/goals/${closed.id}`, { status: 'closed' });
    const onClosed = await assess(owner.key, closed.id, { score: 3 });
    expect(onClosed.statusCode).toBe(201);
    expect(onClosed.json().data.before_end).toBe(false);
  });

  it('take scores on the organisation scale only, which admins set per mode', async () => {
    const { owner, goal } = await team();
    for (const score of [0, 6, 2.5]) {
      const res = await assess(owner.key, goal.id, { score });
      expect(res.statusCode).toBe(422);
      expect(res.json().error_description).toMatch(/from 1 to 5 in steps of 1/);
    }
    expect((await f.call(owner.key, 'GET', `/v1/goals/${goal.id}/assessments`)).json().total_count).toBe(0);
    const scale = { min: 0, max: 1, step: 0.25, labels: [{ score: 1, label: 'Exceeded' }] };
    expect((await f.call(owner.key, 'PUT', '/v1/settings/assessment-scale', scale)).statusCode).toBe(403);
    const bad = await f.call(org.key, 'PUT', '/v1/settings/assessment-scale', { ...scale, step: 0.3 });
    expect(bad.statusCode).toBe(400);
    expect((await f.call(org.key, 'PUT', '/v1/settings/assessment-scale', scale)).statusCode).toBe(200);
    expect((await f.call(owner.key, 'GET', '/v1/settings/assessment-scale')).json().data).toEqual(scale);
    const res = await assess(owner.key, goal.id, { score: 0.75 });
    expect(res.statusCode).toBe(201);
    expect(res.json().data).toMatchObject({ score: 0.75, scale_min: 0, scale_max: 1 });
    // Just below the bottom of the scale is off it, as the table's check says (the fuzzer found a 500 here).
    const below = await f.call(owner.key, 'PATCH', `/v1/assessments/${res.json().data.id}`, {
      score: -1e-197,
    });
    expect(below.statusCode, below.body).toBe(422);
    expect(below.json().error).toBe('invalid_operation');
    // The test sandbox keeps its own scale.
    const tester = await t.createMember(org, { role: 'admin', mode: 'test' });
    const sandbox = (await f.call(tester.key, 'GET', '/v1/settings/assessment-scale')).json().data;
    expect(sandbox).toEqual({ min: 1, max: 5, step: 1, labels: [] });
  });

  it('are hidden with the goal', async () => {
    const owner = await t.createMember(org);
    const stranger = await t.createMember(org);
    const secret = await f.createGoal(owner.key, { name: 'Private', visibility: 'private', ...ENDED });
    expect((await f.call(stranger.key, 'GET', `/v1/goals/${secret.id}/assessments`)).statusCode).toBe(404);
    expect((await assess(stranger.key, secret.id, { score: 3 })).statusCode).toBe(404);
  });
});
