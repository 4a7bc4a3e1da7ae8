import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quartersOf } from '../src/demo/cast.js';
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
  // Migrating and seeding the whole demo: on a busy machine, longer than the default hook timeout.
}, 120_000);
afterAll(() => t.close());

const get = (key: string, url: string) => t.request(key, { method: 'GET', url });
const today = () => new Date().toISOString().slice(0, 10);
const oneOnOneId = async () =>
  (await get(firstKey, '/v1/conversation-templates?kind=anytime')).json().data[0].id;

interface Deployment {
  id: number;
  name: string;
  starts_on: string;
  due_on: string;
  conversation_count: number;
}
interface Recognition {
  team_id: number | null;
  receiver_ids: number[];
  visibility: string;
  created_at: string;
  company_value: unknown;
  related_goal: unknown;
  reactions: unknown[];
  comment_count: number;
}

interface Cycle {
  id: number;
  state: string;
  record_count: number;
  closed_at: string | null;
}
interface TalentRecord {
  session_id: number | null;
  proposed_performance: string | null;
  calibrated_performance: string | null;
  final_performance: string | null;
  box: string | null;
}

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

  it('has a quarterly check-in and a 1:1 template, with last quarter and this quarter deployed', async () => {
    const page = await get(firstKey, '/v1/conversation-templates');
    expect(page.statusCode).toBe(200);
    const templates = page.json().data as { name: string; kind: string; deployments: Deployment[] }[];
    expect(templates.map((t) => [t.name, t.kind])).toEqual([
      ['Quarterly check-in', 'scheduled'],
      ['1:1', 'anytime'],
    ]);
    const [checkIn] = templates;
    const { current, previous } = quartersOf(today());
    expect(checkIn?.deployments.map((d) => [d.name, d.starts_on, d.due_on])).toEqual([
      [`${current.name} check-in`, current.starts_on, current.ends_on],
      [`${previous.name} check-in`, previous.starts_on, previous.ends_on],
    ]);
    for (const d of checkIn?.deployments ?? []) expect(d.conversation_count).toBeGreaterThan(0);
    const confidential = (await get(firstKey, '/v1/conversation-templates?kind=scheduled')).json().data[0];
    expect(confidential.manager_questions.some((q: { confidential: boolean }) => q.confidential)).toBe(true);
    expect(confidential.report_questions.some((q: { confidential: boolean }) => q.confidential)).toBe(true);
  });

  it("lists each deployment's conversations: last quarter's completed, this quarter's in every status", async () => {
    // Newest first, as the template shows them.
    const [running, last] = (await get(firstKey, '/v1/conversation-templates?kind=scheduled')).json().data[0]
      .deployments as Deployment[];
    const statuses = async (d: Deployment | undefined) => {
      const page = await get(firstKey, `/v1/conversations?deployment_id=${d?.id}&size=100&page=1`);
      const rows = [...page.json().data];
      for (let n = 2; rows.length < page.json().total_count; n++)
        rows.push(
          ...(await get(firstKey, `/v1/conversations?deployment_id=${d?.id}&size=100&page=${n}`)).json().data,
        );
      return rows.map((c: { status: string }) => c.status);
    };
    expect(new Set(await statuses(last))).toEqual(new Set(['completed']));
    const now = await statuses(running);
    expect(now).toHaveLength(running?.conversation_count ?? -1);
    for (const status of ['not_started', 'in_progress', 'submitted', 'shared', 'completed'])
      expect(now.filter((s) => s === status).length, status).toBeGreaterThan(0);
    const pending = (await get(firstKey, '/v1/conversation-edit-requests?status=pending')).json();
    expect(pending.total_count).toBeGreaterThan(0);
    const withNotes = (await get(firstKey, `/v1/conversations/${pending.data[0].conversation_id}`)).json()
      .data;
    expect(withNotes.status).toBe('shared');
    const ones = (await get(firstKey, `/v1/conversations?template_id=${await oneOnOneId()}`)).json();
    expect(ones.total_count).toBeGreaterThan(0);
    const discussed = await Promise.all(
      ones.data.map(
        async (c: { id: number }) => (await get(firstKey, `/v1/conversations/${c.id}`)).json().data,
      ),
    );
    expect(discussed.some((c) => c.shared_notes)).toBe(true);
  });

  it('links goals to some check-ins, so a conversation shows the goals it discussed', async () => {
    const started = await Promise.all(
      ['in_progress', 'submitted', 'shared', 'completed'].map(
        async (status) => (await get(firstKey, `/v1/conversations?status=${status}&size=100`)).json().data,
      ),
    );
    const details = await Promise.all(
      started
        .flat()
        .map(async (c: { id: number }) => (await get(firstKey, `/v1/conversations/${c.id}`)).json().data),
    );
    const discussed = details.filter((c) => c.goal_ids.length > 0);
    expect(discussed.length).toBeGreaterThan(0);
    const goal = await get(firstKey, `/v1/goals/${discussed[0].goal_ids[0]}`);
    expect(goal.json().data.goal_type).toBe('department');
  });

  it("shows the admin last quarter's 360 pooled, and withholds this quarter's with its reason", async () => {
    const cycles = (await get(firstKey, '/v1/feedback-cycles')).json().data as { id: number; name: string }[];
    const { current, previous } = quartersOf(today());
    expect(cycles.map((c) => c.name)).toEqual([`${previous.name} 360 review`, `${current.name} 360 review`]);
    const results = async (cycle: { id: number } | undefined) => {
      const mine = await get(
        firstKey,
        `/v1/feedback-requests?cycle_id=${cycle?.id}&recipient_id=${demo.adminId}`,
      );
      expect(mine.json().data).toHaveLength(1);
      return (await get(firstKey, `/v1/feedback-requests/${mine.json().data[0].id}/results`)).json().data;
    };
    const shown = await results(cycles[0]);
    expect(shown).toMatchObject({
      anonymous_to_you: true,
      withheld: false,
      withheld_reason: null,
      submitted: 4,
    });
    for (const q of shown.questions) expect(q.answered).toBe(4);
    const withheld = await results(cycles[1]);
    expect(withheld).toMatchObject({ anonymous_to_you: true, withheld: true, submitted: 2, threshold: 3 });
    expect(withheld.withheld_reason).toMatch(/shown once 3 providers have answered; 2 have so far/);
    for (const q of withheld.questions) expect(q.answered).toBe(0);
  });

  it('has self- and manager-requested feedback, a declined ask, and unprompted feedback', async () => {
    const requests = (
      await get(firstKey, `/v1/feedback-requests?recipient_id=${demo.adminId}&size=100`)
    ).json();
    const kinds = requests.data.map((r: { kind: string }) => r.kind);
    expect(new Set(kinds)).toEqual(new Set(['scheduled', 'self_requested', 'manager_requested']));
    const asked = requests.data.find((r: { kind: string }) => r.kind === 'self_requested');
    expect(asked.counts).toMatchObject({ asked: 3, submitted: 2, declined: 1 });
    expect(
      asked.providers.find((p: { status: string }) => p.status === 'declined').decline_reason,
    ).toBeTruthy();
    const templates = (await get(firstKey, '/v1/feedback-templates')).json().data;
    expect(templates.map((t: { anonymity: string }) => t.anonymity)).toEqual([
      'named',
      'anonymous_to_recipient',
    ]);
    const given = (await get(firstKey, `/v1/feedback?recipient_id=${demo.adminId}&size=100`)).json().data;
    expect(given.some((f: { request_id: number | null }) => f.request_id === null)).toBe(true);
  });

  it('has company values and months of recognition with hashtags, teams, reactions and comments', async () => {
    const values = (await get(firstKey, '/v1/company-values')).json();
    expect(values.total_count).toBe(5);
    const page = await get(firstKey, '/v1/recognition?size=100');
    expect(page.statusCode).toBe(200);
    const all = page.json().data as Recognition[];
    expect(all.length).toBeGreaterThanOrEqual(25);
    const days = new Set(all.map((r) => r.created_at.slice(0, 10)));
    expect(days.size).toBeGreaterThan(10);
    expect(all.every((r) => r.created_at.slice(0, 10) < today())).toBe(true);
    expect(all.some((r) => r.team_id !== null && r.receiver_ids.length > 2)).toBe(true);
    expect(all.some((r) => r.visibility === 'private')).toBe(true);
    expect(all.some((r) => r.company_value !== null)).toBe(true);
    expect(all.some((r) => r.related_goal !== null)).toBe(true);
    expect(all.some((r) => r.reactions.length > 0)).toBe(true);
    expect(all.some((r) => r.comment_count > 0)).toBe(true);
    const hashtags = (await get(firstKey, '/v1/recognition/hashtags')).json().data as { count: number }[];
    expect(hashtags.length).toBeGreaterThan(3);
    expect(hashtags[0]?.count).toBeGreaterThan(1);
  });

  it('has a closed calibration cycle and an open one with sessions and records in every state', async () => {
    const cycles = (await get(firstKey, '/v1/calibration/cycles')).json().data as Cycle[];
    const closed = cycles.find((c) => c.state === 'closed') as Cycle;
    const open = cycles.find((c) => c.state === 'open') as Cycle;
    expect(closed.closed_at).not.toBeNull();
    expect(open.record_count).toBe(demo.people);
    const records = async (c: Cycle) =>
      (await get(firstKey, `/v1/calibration/cycles/${c.id}/talent-records?size=100`)).json();
    // The closed cycle: everyone rated, some calibrated, each with a final rating and a box.
    const final = await records(closed);
    expect(final.total_count).toBe(closed.record_count);
    expect(final.data.every((r: TalentRecord) => r.final_performance !== null && r.box !== null)).toBe(true);
    expect(final.data.some((r: TalentRecord) => r.calibrated_performance !== null)).toBe(true);
    // The open cycle, across the organisation: unrated, proposed only, calibrated.
    let page = await records(open);
    const all: TalentRecord[] = [...page.data];
    while (page.next_cursor) {
      page = (
        await get(
          firstKey,
          `/v1/calibration/cycles/${open.id}/talent-records?size=100&cursor=${page.next_cursor}`,
        )
      ).json();
      all.push(...page.data);
    }
    expect(all).toHaveLength(demo.people);
    const unrated = all.filter((r) => r.proposed_performance === null && r.calibrated_performance === null);
    const proposed = all.filter((r) => r.proposed_performance !== null && r.calibrated_performance === null);
    const calibrated = all.filter((r) => r.calibrated_performance !== null);
    for (const state of [unrated, proposed, calibrated]) expect(state.length).toBeGreaterThan(3);
    expect(all.some((r) => r.session_id === null)).toBe(true);
    const sessions = (await get(firstKey, `/v1/calibration/cycles/${open.id}/sessions`)).json().data;
    expect(sessions.length).toBeGreaterThanOrEqual(2);
    for (const s of sessions) {
      expect(s.facilitator_ids.length).toBeGreaterThan(0);
      expect(s.participant_ids.length).toBeGreaterThan(10);
    }
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

  it('prints a password the demo admin signs in to the console with; a new start replaces it', async () => {
    const signIn = (credentials: { email: string; password: string }) =>
      t.app.inject({ method: 'POST', url: '/auth/sign-in', payload: credentials });
    // The earlier test started the demo again: each start's password is the one in force.
    const start = await prepareDemo(t.db);
    if (start.kind !== 'ready') throw new Error('the demo organisation should be found');
    const first = await signIn(start.signIn);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().data.user_id).toBe(demo.adminId);
    const again = await prepareDemo(t.db);
    if (again.kind !== 'ready') throw new Error('the demo organisation should be found');
    expect(again.signIn.password).not.toBe(start.signIn.password);
    expect((await signIn(start.signIn)).statusCode).toBe(401);
    expect((await signIn(again.signIn)).statusCode).toBe(200);
  });
});
