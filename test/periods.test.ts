import { beforeAll, describe, expect, it } from 'vitest';
import { useGoalWorld } from './goal-fixtures.js';
import type { Member } from './harness.js';

const {
  t,
  org,
  f,
  members: { member },
} = useGoalWorld({ members: { member: {} } });

type Period = {
  id: number;
  name: string;
  starts_on: string;
  ends_on: string;
  parent_id: number | null;
  status: string;
  closed_at: string | null;
};

const period = (body: Record<string, unknown>, key = org.key): Promise<Period> => f.createPeriod(key, body);
const getPeriod = async (id: number) => (await f.call(org.key, 'GET', `/v1/periods/${id}`)).json().data;
const patch = (id: number, body: object, key = org.key) => f.call(key, 'PATCH', `/v1/periods/${id}`, body);

/** The refusal's code and description, after checking its status. */
const refusal = async (res: Awaited<ReturnType<typeof patch>>, status: number) => {
  expect(res.statusCode, res.body).toBe(status);
  const body = res.json();
  return { error: body.error, description: body.error_description as string };
};

describe('who may change and read periods', () => {
  it.each(['member', 'hr_admin'] as const)(
    'refuses a %s POST and PATCH, and nothing changes',
    async (role) => {
      const caller = role === 'member' ? member : await t.createMember(org, { role });
      const name = `Refused ${role}`;
      const created = await refusal(
        await f.call(caller.key, 'POST', '/v1/periods', {
          name,
          starts_on: '2030-01-01',
          ends_on: '2030-12-31',
        }),
        403,
      );
      expect(created.error).toBe('insufficient_access');
      const listed = await f.call(org.key, 'GET', `/v1/periods?q=${encodeURIComponent(name)}`);
      expect(listed.json().total_count).toBe(0);

      const existing = await period({
        name: `Existing ${role}`,
        starts_on: '2030-01-01',
        ends_on: '2030-12-31',
      });
      const before = await getPeriod(existing.id);
      for (const body of [{ name: 'Renamed' }, { ends_on: '2030-06-30' }, { status: 'closed' }]) {
        expect((await refusal(await patch(existing.id, body, caller.key), 403)).error).toBe(
          'insufficient_access',
        );
      }
      expect(await getPeriod(existing.id)).toEqual(before);
    },
  );

  it('lets a member read the list and a single period', async () => {
    const p = await period({ name: 'Readable', starts_on: '2031-01-01', ends_on: '2031-03-31' });
    const one = await f.call(member.key, 'GET', `/v1/periods/${p.id}`);
    expect(one.statusCode, one.body).toBe(200);
    expect(one.json().data).toMatchObject({
      name: 'Readable',
      starts_on: '2031-01-01',
      ends_on: '2031-03-31',
    });
    const list = await f.call(member.key, 'GET', '/v1/periods?q=readable');
    expect(list.statusCode).toBe(200);
    expect(list.json().data.map((x: Period) => x.id)).toEqual([p.id]);
  });
});

describe('nesting', () => {
  it('refuses nesting a period under itself or under one of its sub-periods', async () => {
    // Equal dates, so the containment rule passes and only the cycle rule can refuse.
    const dates = { starts_on: '2032-01-01', ends_on: '2032-12-31' };
    const year = await period({ name: 'Year 2032', ...dates });
    const fiscal = await period({ name: 'Fiscal 2032', ...dates, parent_id: year.id });
    const budget = await period({ name: 'Budget 2032', ...dates, parent_id: fiscal.id });
    for (const [id, parent] of [
      [year.id, year.id],
      [year.id, fiscal.id],
      [year.id, budget.id],
      [fiscal.id, budget.id],
    ] as const) {
      const refused = await refusal(await patch(id, { parent_id: parent }), 422);
      expect(refused.error).toBe('invalid_operation');
      expect(refused.description).toMatch(/itself or one of its sub-periods/);
    }
    expect((await getPeriod(year.id)).parent_id).toBeNull();
    expect((await getPeriod(fiscal.id)).parent_id).toBe(year.id);
    // Moving a leaf under the top is no cycle.
    expect((await patch(budget.id, { parent_id: year.id })).statusCode).toBe(200);
    expect((await getPeriod(budget.id)).parent_id).toBe(year.id);
  });

  it('keeps a nested period within its parent and a parent around its sub-periods', async () => {
    const year = await period({ name: 'Year 2033', starts_on: '2033-01-01', ends_on: '2033-12-31' });
    const outside = await f.call(org.key, 'POST', '/v1/periods', {
      name: 'Straddle 2033',
      starts_on: '2032-12-01',
      ends_on: '2033-02-28',
      parent_id: year.id,
    });
    expect((await refusal(outside, 422)).description).toMatch(/within its parent/);
    expect((await f.call(org.key, 'GET', '/v1/periods?q=straddle')).json().total_count).toBe(0);

    const q1 = await period({
      name: 'Q1 2033',
      starts_on: '2033-01-01',
      ends_on: '2033-03-31',
      parent_id: year.id,
    });
    expect((await refusal(await patch(q1.id, { ends_on: '2034-01-31' }), 422)).description).toMatch(
      /within its parent/,
    );
    expect((await refusal(await patch(year.id, { starts_on: '2033-02-01' }), 422)).description).toMatch(
      /keep covering its sub-periods/,
    );
    expect(await getPeriod(year.id)).toMatchObject({ starts_on: '2033-01-01', ends_on: '2033-12-31' });
    expect(await getPeriod(q1.id)).toMatchObject({ starts_on: '2033-01-01', ends_on: '2033-03-31' });

    // Shrinking that still covers Q1 is fine; after it Q1 may not grow past the new end.
    expect((await patch(year.id, { ends_on: '2033-06-30' })).statusCode).toBe(200);
    expect((await refusal(await patch(q1.id, { ends_on: '2033-07-31' }), 422)).description).toMatch(
      /within its parent/,
    );
    // Re-parenting checks the new parent's dates.
    const other = await period({ name: 'Year 2034', starts_on: '2034-01-01', ends_on: '2034-12-31' });
    expect((await refusal(await patch(q1.id, { parent_id: other.id }), 422)).error).toBe('invalid_operation');
    expect((await getPeriod(q1.id)).parent_id).toBe(year.id);
    const missing = await f.call(org.key, 'POST', '/v1/periods', {
      name: 'Orphan',
      starts_on: '2033-01-01',
      ends_on: '2033-01-31',
      parent_id: 999_999_999,
    });
    expect((await refusal(missing, 422)).error).toBe('invalid_operation');
  });
});

describe('names', () => {
  it('are unique per organisation and mode, whatever the case', async () => {
    const fy = await period({ name: 'FY 2035', starts_on: '2035-01-01', ends_on: '2035-12-31' });
    const again = await f.call(org.key, 'POST', '/v1/periods', {
      name: 'fy 2035',
      starts_on: '2035-01-01',
      ends_on: '2035-06-30',
    });
    expect((await refusal(again, 409)).error).toBe('duplicate_resource');
    const other = await period({ name: 'H1 2035', starts_on: '2035-01-01', ends_on: '2035-06-30' });
    expect((await refusal(await patch(other.id, { name: 'Fy 2035' }), 409)).error).toBe('duplicate_resource');
    expect((await getPeriod(other.id)).name).toBe('H1 2035');
    // A period may change the case of its own name.
    expect((await patch(fy.id, { name: 'fy 2035' })).json().data.name).toBe('fy 2035');

    const elsewhere = await t.createOrg();
    await period({ name: 'FY 2035', starts_on: '2035-01-01', ends_on: '2035-12-31' }, elsewhere.key);
    const tester = await t.createMember(org, { role: 'admin', mode: 'test' });
    await period({ name: 'FY 2035', starts_on: '2035-01-01', ends_on: '2035-12-31' }, tester.key);
    const live = await f.call(org.key, 'GET', '/v1/periods?q=fy%202035');
    expect(live.json().data.map((x: Period) => x.id)).toEqual([fy.id]);
  });

  it('lets only one of several concurrent creates with one name through', async () => {
    const body = { starts_on: '2036-01-01', ends_on: '2036-12-31' };
    const results = await Promise.all(
      ['Sprint Z', 'sprint z', 'SPRINT Z'].map((name) =>
        f.call(org.key, 'POST', '/v1/periods', { name, ...body }),
      ),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409, 409]);
    for (const r of results.filter((x) => x.statusCode === 409))
      expect(r.json().error).toBe('duplicate_resource');
    expect((await f.call(org.key, 'GET', '/v1/periods?q=sprint%20z')).json().total_count).toBe(1);
  });
});

describe('date changes', () => {
  it('move the goals that had the old dates and leave goals with their own dates alone', async () => {
    const dates = { starts_on: '2037-01-01', ends_on: '2037-03-31' };
    const p = await period({ name: 'Q1 2037', ...dates });
    const twin = await period({ name: 'Twin Q1 2037', ...dates });
    const createGoal = async (body: object) => {
      const res = await f.call(org.key, 'POST', '/v1/goals', { name: 'Dated goal', ...body });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().data.id as number;
    };
    const follows = await createGoal({ period_id: p.id });
    const sameDates = await createGoal({ period_id: p.id, ...dates });
    // Each shares one end with the period: both dates must match for a goal to follow.
    const ownStart = await createGoal({ period_id: p.id, starts_on: '2037-02-01', ends_on: '2037-03-31' });
    const ownEnd = await createGoal({ period_id: p.id, starts_on: '2037-01-01', ends_on: '2037-02-28' });
    const inTwin = await createGoal({ period_id: twin.id });
    const noPeriod = await createGoal(dates);

    const res = await patch(p.id, { ends_on: '2037-04-30' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data).toMatchObject({ starts_on: '2037-01-01', ends_on: '2037-04-30' });
    const datesOf = async (id: number) => {
      const g = await f.getGoal(org.key, id);
      return [g.starts_on, g.ends_on];
    };
    expect(await datesOf(follows)).toEqual(['2037-01-01', '2037-04-30']);
    expect(await datesOf(sameDates)).toEqual(['2037-01-01', '2037-04-30']);
    expect(await datesOf(ownStart)).toEqual(['2037-02-01', '2037-03-31']);
    expect(await datesOf(ownEnd)).toEqual(['2037-01-01', '2037-02-28']);
    expect(await datesOf(inTwin)).toEqual(['2037-01-01', '2037-03-31']);
    expect(await datesOf(noPeriod)).toEqual(['2037-01-01', '2037-03-31']);

    const audit = await f.call(
      org.key,
      'GET',
      `/v1/audit-events?object_type=period&object_id=${p.id}&action=period.updated`,
    );
    expect(audit.json().data.map((e: { changes: object }) => e.changes)).toEqual([
      expect.objectContaining({ goals_moved: 2 }),
    ]);
  });
});

describe('closing', () => {
  it('sets closed_at when PATCH closes a period, and clears it on reopening', async () => {
    const p = await period({ name: 'Closing 2038', starts_on: '2038-01-01', ends_on: '2038-03-31' });
    expect(p).toMatchObject({ status: 'open', closed_at: null });
    const before = Date.now();
    const closed = await patch(p.id, { status: 'closed' });
    expect(closed.statusCode, closed.body).toBe(200);
    const got = await getPeriod(p.id);
    expect(got.status).toBe('closed');
    const closedAt = Date.parse(got.closed_at);
    expect(closedAt).toBeGreaterThanOrEqual(before - 1000);
    expect(closedAt).toBeLessThanOrEqual(Date.now() + 1000);
    // Closing again keeps the first closing time.
    await patch(p.id, { status: 'closed' });
    expect((await getPeriod(p.id)).closed_at).toBe(got.closed_at);

    expect((await patch(p.id, { status: 'open' })).json().data).toMatchObject({
      status: 'open',
      closed_at: null,
    });
    const born = await period({
      name: 'Born closed',
      starts_on: '2038-01-01',
      ends_on: '2038-03-31',
      status: 'closed',
    });
    expect(born.closed_at).not.toBeNull();
  });
});

describe('GET /v1/periods filters', () => {
  const ids: Record<string, number> = {};
  let reader: Member;

  beforeAll(async () => {
    const own = await t.createOrg();
    reader = await t.createMember(own);
    const make = async (nick: string, body: Record<string, unknown>) => {
      ids[nick] = (await period({ name: nick, ...body }, own.key)).id;
    };
    await make('Year 2040', { starts_on: '2040-01-01', ends_on: '2040-12-31' });
    await make('Q1 2040', { starts_on: '2040-01-01', ends_on: '2040-03-31', parent_id: ids['Year 2040'] });
    await make('Q2 2040', {
      starts_on: '2040-04-01',
      ends_on: '2040-06-30',
      parent_id: ids['Year 2040'],
      status: 'closed',
    });
    await make('Year 2041', { starts_on: '2041-01-01', ends_on: '2041-12-31', status: 'closed' });
    await make('Hackathon', { starts_on: '2040-02-10', ends_on: '2040-02-12' });
  });

  async function matching(query: string) {
    const res = await f.call(reader.key, 'GET', `/v1/periods?size=100&${query}`);
    expect(res.statusCode, `${query}: ${res.body.slice(0, 300)}`).toBe(200);
    const body = res.json();
    const names = body.data.map((p: Period) => p.name);
    expect(body.total_count, query).toBe(names.length);
    return names.sort();
  }

  it.each([
    ['', ['Hackathon', 'Q1 2040', 'Q2 2040', 'Year 2040', 'Year 2041']],
    ['status=open', ['Hackathon', 'Q1 2040', 'Year 2040']],
    ['status=closed', ['Q2 2040', 'Year 2041']],
    ['parent_id=YEAR', ['Q1 2040', 'Q2 2040']],
    ['parent_id=Q1', []],
    ['on=2040-02-11', ['Hackathon', 'Q1 2040', 'Year 2040']],
    ['on=2040-03-31', ['Q1 2040', 'Year 2040']],
    ['on=2040-04-01', ['Q2 2040', 'Year 2040']],
    ['on=2039-12-31', []],
    ['q=2040', ['Q1 2040', 'Q2 2040', 'Year 2040']],
    ['q=HACK', ['Hackathon']],
    ['q=year', ['Year 2040', 'Year 2041']],
    ['q=%25', []],
    ['parent_id=YEAR&status=open', ['Q1 2040']],
    ['on=2040-02-11&q=q1', ['Q1 2040']],
    ['status=closed&q=year', ['Year 2041']],
  ])('?%s', async (query, expected) => {
    const filled = query.replace('YEAR', String(ids['Year 2040'])).replace('Q1', String(ids['Q1 2040']));
    expect(await matching(filled)).toEqual(expected);
  });

  it('pages and counts across pages', async () => {
    const res = await f.call(reader.key, 'GET', '/v1/periods?size=2');
    const body = res.json();
    expect(body.data).toHaveLength(2);
    expect(body.total_count).toBe(5);
    expect(body.next_cursor).not.toBeNull();
  });
});
