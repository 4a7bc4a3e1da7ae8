import { beforeAll, describe, expect, it } from 'vitest';
import { useGoalWorld } from './goal-fixtures.js';

const { t, org, f, members } = useGoalWorld({ members: { owner: {}, peer: {} } });

let bookings: number;
let logos: number;
let adminOnly: number;

beforeAll(async () => {
  const goal = await f.createGoal(org.key, {
    name: 'Sales',
    owner_user_id: org.adminId,
    milestones: [
      { name: 'Bookings', start_value: 0, target_value: 1000, owner_user_id: members.owner.id },
      { name: 'Logos', start_value: 0, target_value: 10, owner_user_id: members.owner.id },
      { name: 'Cash', start_value: 0, target_value: 10 },
    ],
  });
  [bookings, logos, adminOnly] = goal.milestones.map((m: { id: number }) => m.id);
});

const bulk = (key: string, body: object | string, query = '') =>
  t.app.inject({
    method: 'POST',
    url: `/v1/checkins/bulk${query}`,
    headers: {
      authorization: `Bearer ${key}`,
      'content-type': typeof body === 'string' ? 'text/csv' : 'application/json',
    },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
const current = async (id: number) =>
  (await f.call(org.key, 'GET', `/v1/milestones/${id}`)).json().data.current_value as number;
const historyOf = async (id: number) =>
  (await f.call(org.key, 'GET', `/v1/milestones/${id}/checkins`)).json().data as { value: number }[];

describe('POST /v1/checkins/bulk', () => {
  it('applies every row as a check-in of the caller, in order, with the roll-up', async () => {
    const res = await bulk(members.owner.key, {
      checkins: [
        { milestone_id: bookings, value: 100, comment: 'week 1' },
        { milestone_id: logos, value: 2, confidence: 0.8 },
        { milestone_id: bookings, value: 250 },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().data).toMatchObject({ applied: 3, failed: 0, errors: [] });
    expect(await current(bookings)).toBe(250);
    expect(await current(logos)).toBe(2);
    expect((await historyOf(bookings)).map((c) => c.value)).toEqual([250, 100]);
    const goal = (await f.call(org.key, 'GET', `/v1/milestones/${bookings}`)).json().data;
    expect(goal.progress).toBeGreaterThan(0);
  });

  it('applies nothing when one row is refused, and names that row', async () => {
    const before = [await current(bookings), await current(logos)];
    const res = await bulk(members.owner.key, {
      checkins: [
        { milestone_id: bookings, value: 900 },
        { milestone_id: adminOnly, value: 5 },
        { milestone_id: logos, value: 'nine' },
        { milestone_id: 999999999, value: 1 },
      ],
    });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().error).toBe('bulk_rejected');
    const rows = res.json().details.map((e: { row: number; error: string }) => [e.row, e.error]);
    expect(rows).toEqual([
      [2, 'insufficient_access'],
      [3, 'invalid_parameters'],
      [4, 'invalid_resource_id'],
    ]);
    expect([await current(bookings), await current(logos)]).toEqual(before);
    expect((await historyOf(bookings)).map((c) => c.value)).not.toContain(900);
  });

  it('applies the good rows in partial mode and lists the bad ones', async () => {
    const res = await bulk(members.owner.key, {
      mode: 'partial',
      checkins: [
        { milestone_id: adminOnly, value: 5 },
        { milestone_id: logos, value: 4 },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().data).toMatchObject({ applied: 1, failed: 1, errors: [{ row: 1 }] });
    expect(await current(logos)).toBe(4);
    expect(await current(adminOnly)).toBe(0);
  });

  it('reads CSV, with the bad line named by its line number', async () => {
    const good = await bulk(members.owner.key, `milestone_id,value,comment\n${bookings},300,from csv\n`);
    expect(good.statusCode, good.body).toBe(201);
    expect(await current(bookings)).toBe(300);
    const bad = await bulk(members.owner.key, `milestone_id,value\n${bookings},310\n${logos},lots\n`);
    expect(bad.statusCode, bad.body).toBe(422);
    expect(bad.json().details[0]).toMatchObject({ row: 3, field: 'value' });
    expect(await current(bookings)).toBe(300);
  });

  it("refuses another organisation's milestones as unknown and applies nothing", async () => {
    const other = await t.createOrg();
    const res = await bulk(other.key, { checkins: [{ milestone_id: bookings, value: 1 }] });
    expect(res.statusCode).toBe(422);
    expect(res.json().details[0]).toMatchObject({ row: 1, error: 'invalid_resource_id' });
    expect(await current(bookings)).toBe(300);
  });
});

describe('concurrent bulk check-ins', () => {
  it('queue when their chains overlap: both succeed and the roll-up is exact', async () => {
    const top = await f.createGoal(org.key, { name: 'Bulk top', progress_source: 'children' });
    const parent = await f.createGoal(org.key, {
      name: 'Bulk parent',
      parent_id: top.id,
      progress_source: 'children',
    });
    const milestones: number[] = [];
    for (let i = 0; i < 20; i++) {
      const leaf = await f.createGoal(org.key, {
        name: `Bulk leaf ${i}`,
        parent_id: parent.id,
        milestones: [{ name: 'm', start_value: 0, target_value: 100 }],
      });
      milestones.push(leaf.milestones[0].id);
    }
    // The two uploads walk the same leaves in opposite orders: taken row by row, each would hold a chain the
    // other waits for.
    const first = milestones.map((milestone_id, i) => ({ milestone_id, value: i + 1 }));
    const second = [...milestones].reverse().map((milestone_id, i) => ({ milestone_id, value: 50 + i }));
    const answers = await Promise.all([
      bulk(org.key, { checkins: first }),
      bulk(org.key, { checkins: second }),
    ]);
    expect(
      answers.map((r) => r.statusCode),
      answers.map((r) => r.body).join('\n'),
    ).toEqual([201, 201]);
    const finals = await Promise.all(milestones.map(current));
    // One upload came after the other whole: every milestone holds the later one's value.
    const byFirst = first.map((r) => r.value);
    const bySecond = milestones.map((id) => second.find((r) => r.milestone_id === id)?.value);
    expect([byFirst, bySecond]).toContainEqual(finals);
    const mean = Math.round((finals.reduce((a, b) => a + b, 0) / finals.length) * 1000) / 1000;
    expect((await f.getGoal(org.key, parent.id)).progress).toBe(mean);
    expect((await f.getGoal(org.key, top.id)).progress).toBe(mean);
    for (const id of milestones) expect(await historyOf(id)).toHaveLength(2);
  }, 120_000);
});
