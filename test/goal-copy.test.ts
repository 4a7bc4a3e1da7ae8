import { describe, expect, it } from 'vitest';
import { useGoalWorld } from './goal-fixtures.js';

const { t, org, f, goalCount } = useGoalWorld();

const period = async (name: string, starts_on: string, ends_on: string) =>
  (await f.call(org.key, 'POST', '/v1/periods', { name, starts_on, ends_on })).json().data;
const copy = (key: string, id: number, body: object = {}) =>
  f.call(key, 'POST', `/v1/goals/${id}/copy`, body);

describe('copying a goal', () => {
  it('copies into another period with the milestones reset and the definition kept', async () => {
    const q1 = await period('Q1 2026', '2026-01-01', '2026-03-31');
    const q2 = await period('Q2 2026', '2026-04-01', '2026-06-30');
    const member = await t.createMember(org);
    const source = await f.createGoal(org.key, {
      name: 'Win enterprise deals',
      description: 'Land the big ones',
      period_id: q1.id,
      starts_on: undefined,
      ends_on: undefined,
      visibility: 'private',
      categories: ['Sales'],
      tags: ['h1'],
      contributors: [{ user_id: member.id, can_edit: true }],
      milestones: [
        { name: 'Deals closed', start_value: 2, target_value: 10, weight: 2 },
        { name: 'Playbook written' },
      ],
    });
    const check = await f.call(org.key, 'POST', `/v1/milestones/${source.milestones[0].id}/checkins`, {
      value: 6,
      checked_in_at: '2026-02-01T00:00:00Z',
    });
    expect(check.statusCode).toBe(201);

    const res = await copy(org.key, source.id, { period_id: q2.id });
    expect(res.statusCode).toBe(201);
    const copied = res.json().data;
    expect(copied.id).not.toBe(source.id);
    expect(copied).toMatchObject({
      name: 'Win enterprise deals',
      description: 'Land the big ones',
      period_id: q2.id,
      starts_on: '2026-04-01',
      ends_on: '2026-06-30',
      visibility: 'private',
      categories: ['Sales'],
      tags: ['h1'],
      contributors: [{ user_id: member.id, can_edit: true }],
      owner_user_id: org.adminId,
      status: 'open',
      progress: 0,
      last_checkin_at: null,
      parent_id: null,
    });
    expect(copied.milestones).toMatchObject([
      { name: 'Deals closed', start_value: 2, target_value: 10, current_value: 2, progress: 0, weight: 2 },
      { name: 'Playbook written', unit: 'binary', current_value: 0, progress: 0 },
    ]);
    const history = (
      await f.call(org.key, 'GET', `/v1/milestones/${copied.milestones[0].id}/checkins`)
    ).json();
    expect(history.total_count).toBe(0);
    // The source is untouched.
    const after = await f.getGoal(org.key, source.id);
    // (2 × 50 + 1 × 0) / 3: the source keeps its check-in and progress.
    expect(after.progress).toBeCloseTo(33.333, 2);
    expect(after.milestones[0].current_value).toBe(6);
    const audit = await t.db
      .selectFrom('audit_events')
      .select('changes')
      .where('org_id', '=', org.orgId)
      .where('action', '=', 'goal.copied')
      .where('object_id', '=', copied.id)
      .executeTakeFirstOrThrow();
    expect(audit.changes).toEqual({ copied_from: source.id, milestones_copied: 2 });
  });

  it('takes a new name, owner, dates and parent, and can leave the milestones behind', async () => {
    const member = await t.createMember(org);
    const parent = await f.createGoal(org.key, { name: 'Company goal', goal_type: 'company' });
    const source = await f.createGoal(org.key, {
      name: 'Template',
      milestones: [{ name: 'm', target_value: 5 }],
    });
    const res = await copy(org.key, source.id, {
      name: 'For Sam',
      owner_user_id: member.id,
      starts_on: '2027-01-01',
      ends_on: '2027-06-30',
      parent_id: parent.id,
      include_milestones: false,
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().data).toMatchObject({
      name: 'For Sam',
      owner_user_id: member.id,
      goal_type: 'personal',
      period_id: null,
      starts_on: '2027-01-01',
      ends_on: '2027-06-30',
      parent_id: parent.id,
      milestones: [],
    });
  });

  it('refuses what creating the goal would refuse, and writes nothing', async () => {
    const member = await t.createMember(org);
    const peer = await t.createMember(org);
    const secret = await f.createGoal(peer.key, { name: 'Peer secret', visibility: 'private' });
    const open = await f.createGoal(peer.key, { name: 'Peer public' });
    const before = await goalCount();
    expect((await copy(member.key, secret.id)).statusCode).toBe(404);
    // A member cannot hand a goal to a peer: the copy keeps the peer as owner unless told otherwise.
    const handOver = await copy(member.key, open.id);
    expect(handOver.statusCode).toBe(403);
    const badDates = await copy(org.key, open.id, { starts_on: '2027-06-30', ends_on: '2027-01-01' });
    expect(badDates.statusCode).toBeGreaterThanOrEqual(400);
    expect(badDates.statusCode).toBeLessThan(500);
    expect((await copy(org.key, open.id, { unknown: 1 })).statusCode).toBe(400);
    expect(await goalCount()).toBe(before);
    // Naming themselves as owner makes it their own goal.
    const own = await copy(member.key, open.id, { owner_user_id: member.id });
    expect(own.statusCode).toBe(201);
    expect(own.json().data.owner_user_id).toBe(member.id);
  });
});
