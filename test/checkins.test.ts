import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { useGoalWorld } from './goal-fixtures.js';

const { t, org, f, checkIn } = useGoalWorld();

const auditCount = async (action: string, objectId: number) =>
  Number(
    (
      await t.db
        .selectFrom('audit_events')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('org_id', '=', org.orgId)
        .where('action', '=', action)
        .where('object_id', '=', objectId)
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('check-ins', () => {
  it('records a check-in, moves the metric and the goal, and keeps the history newest first', async () => {
    const goal = await f.createGoal(org.key, {
      name: 'Cut response time',
      milestones: [{ name: 'Median minutes', start_value: 60, target_value: 20 }],
    });
    const milestone = goal.milestones[0];
    const first = await checkIn(org.key, milestone.id, { value: 50, comment: 'first week', confidence: 0.6 });
    expect(first.statusCode).toBe(201);
    expect(first.json().data.checkin).toMatchObject({
      value: 50,
      user_id: org.adminId,
      milestone_id: milestone.id,
    });
    expect(first.json().data.goal.progress).toBe(25);
    const second = await checkIn(org.key, milestone.id, { value: 40 });
    expect(second.json().data.goal.milestones[0]).toMatchObject({
      current_value: 40,
      progress: 50,
      confidence: 0.6,
    });
    // A back-dated check-in joins the history in its place and does not override the newer value.
    const backdated = await checkIn(org.key, milestone.id, {
      value: 55,
      checked_in_at: '2021-06-01T00:00:00Z',
    });
    expect(backdated.statusCode).toBe(201);
    expect(backdated.json().data.goal.progress).toBe(50);
    const history = (await f.call(org.key, 'GET', `/v1/milestones/${milestone.id}/checkins?size=2`)).json();
    expect(history.total_count).toBe(3);
    expect(history.data.map((c: { value: number }) => c.value)).toEqual([40, 50]);
    const older = await f.call(
      org.key,
      'GET',
      `/v1/milestones/${milestone.id}/checkins?size=2&cursor=${history.next_cursor}`,
    );
    expect(older.json().data.map((c: { value: number }) => c.value)).toEqual([55]);
  });

  it('keeps check-ins immutable in the database', async () => {
    const goal = await f.createGoal(org.key, {
      name: 'Immutable',
      milestones: [{ name: 'm', target_value: 5 }],
    });
    await checkIn(org.key, goal.milestones[0].id, { value: 1 });
    // Raw SQL on purpose: the database itself refuses the change, whatever code sends it.
    await expect(
      sql`update checkins set value = 99 where org_id = ${org.orgId} and milestone_id = ${goal.milestones[0].id}`.execute(
        t.db,
      ),
    ).rejects.toThrow(/immutable/);
  });

  it('refuses impossible values and changes nothing', async () => {
    const goal = await f.createGoal(org.key, {
      name: 'Ship',
      milestones: [{ name: 'Done', unit: 'binary' }],
    });
    const m = goal.milestones[0];
    expect((await checkIn(org.key, m.id, { value: 2 })).statusCode).toBe(422);
    expect((await checkIn(org.key, m.id, { value: 'high' })).statusCode).toBe(400);
    expect((await checkIn(org.key, m.id, {})).statusCode).toBe(400);
    const future = new Date(Date.now() + 86_400_000).toISOString();
    expect((await checkIn(org.key, m.id, { value: 1, checked_in_at: future })).statusCode).toBe(422);
    const list = (await f.call(org.key, 'GET', `/v1/milestones/${m.id}/checkins`)).json();
    expect(list.total_count).toBe(0);
    expect((await f.getGoal(org.key, goal.id)).progress).toBe(0);
  });

  it('checks in on a goal without milestones, and refuses one that has them', async () => {
    const plain = await f.createGoal(org.key, { name: 'Plain' });
    const res = await f.call(org.key, 'POST', `/v1/goals/${plain.id}/checkins`, { value: 35 });
    expect(res.statusCode).toBe(201);
    expect(res.json().data.goal.progress).toBe(35);
    expect((await f.call(org.key, 'POST', `/v1/goals/${plain.id}/checkins`, { value: 135 })).statusCode).toBe(
      422,
    );
    const measured = await f.createGoal(org.key, {
      name: 'Measured',
      milestones: [{ name: 'm', target_value: 3 }],
    });
    const refused = await f.call(org.key, 'POST', `/v1/goals/${measured.id}/checkins`, { value: 50 });
    expect(refused.statusCode).toBe(422);
  });
});

describe('roll-up', () => {
  it('carries a check-in five levels up, touching only the ancestors that roll up', async () => {
    const top = await f.createGoal(org.key, {
      name: 'L0 (own milestones)',
      milestones: [{ name: 'x', target_value: 1 }],
    });
    let parentId = top.id;
    const chain: number[] = [];
    for (const level of [1, 2, 3, 4]) {
      const g = await f.createGoal(org.key, {
        name: `L${level}`,
        parent_id: parentId,
        progress_source: 'children',
      });
      chain.push(g.id);
      parentId = g.id;
    }
    const leaf = await f.createGoal(org.key, {
      name: 'L5 leaf',
      parent_id: parentId,
      milestones: [{ name: 'Signups', target_value: 200 }],
    });
    const sibling = await f.createGoal(org.key, { name: 'L2 sibling', parent_id: chain[0] });
    const untouched = [await f.getGoal(org.key, sibling.id), await f.getGoal(org.key, top.id)];
    const res = await checkIn(org.key, leaf.milestones[0].id, { value: 100 });
    expect(res.statusCode).toBe(201);
    const progress = await Promise.all(chain.map(async (id) => (await f.getGoal(org.key, id)).progress));
    // L1 averages its two children (the chain at 50 and the sibling at 0); L2–L4 have one child each.
    expect(progress).toEqual([25, 50, 50, 50]);
    for (const before of untouched) {
      const after = await f.getGoal(org.key, before.id);
      expect(after.updated_at).toBe(before.updated_at);
      expect(after.progress).toBe(before.progress);
    }
    expect(await auditCount('goal.progress_changed', chain[0] as number)).toBe(1);
  });

  it('stays exact when 50 check-ins on sibling goals arrive at once', async () => {
    const top = await f.createGoal(org.key, { name: 'Top', progress_source: 'children' });
    const parent = await f.createGoal(org.key, {
      name: 'Parent',
      parent_id: top.id,
      progress_source: 'children',
    });
    const siblings = [];
    for (let i = 0; i < 50; i++) {
      siblings.push(
        await f.createGoal(org.key, {
          name: `Sibling ${i}`,
          parent_id: parent.id,
          milestones: [{ name: 'm', target_value: 100 }],
        }),
      );
    }
    // Each sibling lands at i + 1 (1..50): the exact mean is 25.5, which a lost update would miss.
    const answers = await Promise.all(
      siblings.map((g, i) => checkIn(org.key, g.milestones[0].id, { value: i + 1 })),
    );
    expect(
      answers.map((r) => r.statusCode),
      answers.find((r) => r.statusCode !== 201)?.body,
    ).toEqual(siblings.map(() => 201));
    expect((await f.getGoal(org.key, parent.id)).progress).toBe(25.5);
    expect((await f.getGoal(org.key, top.id)).progress).toBe(25.5);
    expect(await auditCount('goal.progress_changed', parent.id)).toBe(50);
  }, 120_000);
});

describe('closed periods', () => {
  it('refuses back-dating into a closed period unless told, and audits the override', async () => {
    const period = (
      await f.call(org.key, 'POST', '/v1/periods', {
        name: 'Q3 2024',
        starts_on: '2024-07-01',
        ends_on: '2024-09-30',
      })
    ).json().data;
    const goal = await f.createGoal(org.key, {
      name: 'Q3 target',
      period_id: period.id,
      starts_on: undefined,
      ends_on: undefined,
      milestones: [{ name: 'Deals', target_value: 10 }],
    });
    const m = goal.milestones[0];
    const closed = await f.call(org.key, 'PATCH', `/v1/periods/${period.id}`, { status: 'closed' });
    expect(closed.json().data.status).toBe('closed');
    const body = { value: 4, checked_in_at: '2024-09-15T12:00:00Z' };
    const refused = await checkIn(org.key, m.id, body);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error).toBe('invalid_operation');
    expect(refused.json().error_description).toMatch(/Q3 2024.*closed/);
    expect((await f.getGoal(org.key, goal.id)).progress).toBe(0);
    const allowed = await checkIn(org.key, m.id, { ...body, allow_closed_period: true });
    expect(allowed.statusCode).toBe(201);
    expect(allowed.json().data.checkin.closed_period_override).toBe(true);
    expect(allowed.json().data.goal.progress).toBe(40);
    const audit = await t.db
      .selectFrom('audit_events')
      .select('changes')
      .where('org_id', '=', org.orgId)
      .where('action', '=', 'milestone.checked_in')
      .where('object_id', '=', m.id)
      .executeTakeFirstOrThrow();
    expect(audit.changes).toMatchObject({ allow_closed_period: true });
  });

  it('refuses a check-in dated outside an open goal, and one into a closed sub-period', async () => {
    const year = (
      await f.call(org.key, 'POST', '/v1/periods', {
        name: 'FY2023',
        starts_on: '2023-01-01',
        ends_on: '2023-12-31',
      })
    ).json().data;
    const q1 = await f.call(org.key, 'POST', '/v1/periods', {
      name: 'Q1 2023',
      starts_on: '2023-01-01',
      ends_on: '2023-03-31',
      parent_id: year.id,
      status: 'closed',
    });
    expect(q1.statusCode).toBe(201);
    const goal = await f.createGoal(org.key, {
      name: 'Annual',
      period_id: year.id,
      starts_on: undefined,
      ends_on: undefined,
      milestones: [{ name: 'm', target_value: 10 }],
    });
    const m = goal.milestones[0];
    const inQ1 = await checkIn(org.key, m.id, { value: 1, checked_in_at: '2023-02-01T00:00:00Z' });
    expect(inQ1.json().error_description).toMatch(/closed period "Q1 2023"/);
    expect(
      (await checkIn(org.key, m.id, { value: 2, checked_in_at: '2023-06-01T00:00:00Z' })).statusCode,
    ).toBe(201);
    // Today is after the goal's end: an ordinary check-in now is refused, like WorkBoard's force_update.
    expect((await checkIn(org.key, m.id, { value: 3 })).statusCode).toBe(422);
    // Closing the year closes the quarters inside it to check-ins as well.
    const q2 = (
      await f.call(org.key, 'POST', '/v1/periods', {
        name: 'Q2 2023',
        starts_on: '2023-04-01',
        ends_on: '2023-06-30',
        parent_id: year.id,
      })
    ).json().data;
    const quarterly = await f.createGoal(org.key, {
      name: 'Quarterly',
      period_id: q2.id,
      starts_on: undefined,
      ends_on: undefined,
      milestones: [{ name: 'm', target_value: 10 }],
    });
    await f.call(org.key, 'PATCH', `/v1/periods/${year.id}`, { status: 'closed' });
    const inClosedYear = await checkIn(org.key, quarterly.milestones[0].id, {
      value: 1,
      checked_in_at: '2023-05-01T00:00:00Z',
    });
    expect(inClosedYear.statusCode).toBe(422);
    expect(inClosedYear.json().error_description).toMatch(/closed period "FY2023"/);
  });
});
