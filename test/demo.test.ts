import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { halfOf } from '../src/demo/goals.js';
import { planDemo } from '../src/demo/plan.js';
import { type DemoOrganization, prepareDemo, rotateDemoKey } from '../src/demo/service.js';
import { startTestApp, type TestApp } from './harness.js';

let t: TestApp;
let demo: DemoOrganization;
let firstKey: string;

beforeAll(async () => {
  t = await startTestApp();
  const start = await prepareDemo(t.db);
  if (start.kind !== 'ready') throw new Error('the empty database should get the demo organisation');
  expect(start.created).toBe(true);
  demo = start.org;
  firstKey = start.key.key;
});
afterAll(() => t.close());

const get = (key: string, url: string) => t.request(key, { method: 'GET', url });

describe('the demo organisation', () => {
  it('is the same company on every run', () => {
    expect(planDemo()).toEqual(planDemo());
    expect(planDemo(7).people[0]?.email).not.toBe(planDemo().people[0]?.email);
  });

  it('has about 200 people under one CEO, each with a manager, title, location and hire date', async () => {
    const page = await get(firstKey, '/v1/users?size=100');
    expect(page.statusCode).toBe(200);
    const total = page.json().total_count;
    expect(total).toBeGreaterThanOrEqual(180);
    expect(total).toBeLessThanOrEqual(220);
    const users = [
      ...page.json().data,
      ...(await get(firstKey, '/v1/users?size=100&page=2')).json().data,
      ...(await get(firstKey, '/v1/users?size=100&page=3')).json().data,
    ];
    expect(users).toHaveLength(total);
    const withoutManager = users.filter((u) => u.manager_id === null);
    expect(withoutManager.map((u) => u.title)).toEqual(['Chief Executive Officer']);
    for (const u of users) {
      expect(u.title && u.location && u.hire_date && u.department_id && u.employee_id).toBeTruthy();
    }
    expect(new Set(users.map((u) => u.email)).size).toBe(total);
    expect(users.some((u) => u.role === 'hr_admin')).toBe(true);
    expect(users.some((u) => u.dotted_line_manager_ids.length > 0)).toBe(true);
  });

  it('has a department tree with eight top-level departments, and groups and teams with members', async () => {
    const departments = await t.db
      .selectFrom('departments')
      .select(['id', 'parent_id'])
      .where('org_id', '=', demo.orgId)
      .where('mode', '=', 'live')
      .execute();
    expect(departments.filter((d) => d.parent_id === null)).toHaveLength(8);
    expect(departments.length).toBeGreaterThan(8);
    const count = async (table: 'group_members' | 'team_members') =>
      (await t.db.selectFrom(table).select('user_id').where('org_id', '=', demo.orgId).execute()).length;
    expect(await count('group_members')).toBeGreaterThan(20);
    expect(await count('team_members')).toBeGreaterThan(20);
  });

  it('plans its goals in the calendar half of the day it is created', () => {
    expect(halfOf('2026-12-03')).toEqual({ name: 'H2 2026', starts_on: '2026-07-01', ends_on: '2026-12-31' });
    expect(halfOf('2027-06-30')).toEqual({ name: 'H1 2027', starts_on: '2027-01-01', ends_on: '2027-06-30' });
    expect(halfOf('2027-07-01').name).toBe('H2 2027');
  });

  it("has the current half's goals: company objectives, each department's under them, managers' under those", async () => {
    const periods = await get(firstKey, `/v1/periods?on=${new Date().toISOString().slice(0, 10)}`);
    expect(periods.json().data).toHaveLength(1);
    const period = periods.json().data[0];
    expect(period.name).toBe(halfOf(new Date().toISOString().slice(0, 10)).name);
    const page = await get(firstKey, `/v1/goals?period_id=${period.id}&size=100`);
    expect(page.statusCode).toBe(200);
    const goals = page.json().data as Record<string, unknown>[];
    expect(page.json().total_count).toBe(goals.length);
    const company = goals.filter((g) => g.goal_type === 'company');
    const departments = goals.filter((g) => g.goal_type === 'department');
    const personal = goals.filter((g) => g.goal_type === 'personal');
    expect(company).toHaveLength(3);
    expect(departments.length).toBeGreaterThanOrEqual(8);
    expect(personal.length).toBeGreaterThan(10);
    const ids = new Set(goals.map((g) => g.id));
    for (const g of [...departments, ...personal]) expect(ids.has(g.parent_id)).toBe(true);
    for (const g of departments) expect(g.parent_id, String(g.name)).not.toBeNull();
    expect(personal.some((g) => g.visibility === 'private')).toBe(true);
    // Part-way along: every objective has key results, and progress is neither all zero nor all done.
    for (const g of goals) expect((g.milestones as unknown[]).length).toBeGreaterThan(0);
    const progress = goals.map((g) => g.progress as number);
    expect(progress.some((p) => p > 0 && p < 100)).toBe(true);
  });

  it('copies the directory into the test sandbox, so a test key sees the same people', async () => {
    const key = await t.createMember(
      { orgId: demo.orgId, slug: demo.slug, adminId: demo.adminId, key: firstKey },
      { role: 'super_admin', mode: 'test' },
    );
    const live = (await get(firstKey, '/v1/users?size=1')).json().total_count;
    const sandbox = (await get(key.key, '/v1/users?size=1')).json().total_count;
    expect(sandbox).toBe(live);
  });

  it('replaces the printed key at every start: the previous one stops working', async () => {
    // As at a restart: another process replaces the key, and this one hears of it.
    const again = await t.heard(() => prepareDemo(t.db));
    if (again.kind !== 'ready') throw new Error('the demo organisation should be found');
    expect(again.created).toBe(false);
    expect((await get(firstKey, '/v1/me')).json().error).toBe('access_token_revoked');
    expect((await get(again.key.key, '/v1/me')).statusCode).toBe(200);
    const third = await t.heard(() => rotateDemoKey(t.db, demo));
    expect((await get(again.key.key, '/v1/me')).statusCode).toBe(401);
    expect(third.name).toMatch(/^demo-\d{4}-/);
  });
});
