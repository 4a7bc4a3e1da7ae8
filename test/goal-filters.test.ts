import { beforeAll, describe, expect, it } from 'vitest';
import { useGoalWorld } from './goal-fixtures.js';
import type { Member } from './harness.js';

const {
  t,
  org,
  f,
  members: { ann, ben },
  periods: { q1, q2 },
} = useGoalWorld({
  members: { ann: {}, ben: {} },
  periods: {
    q1: { name: 'Q1 2030', starts_on: '2030-01-01', ends_on: '2030-03-31' },
    q2: { name: 'Q2 2030', starts_on: '2030-04-01', ends_on: '2030-06-30' },
  },
});
/** Goals, teams, departments and periods by nickname. */
const ids: Record<string, number> = {};
let changedSince: string;

const pause = () => new Promise((resolve) => setTimeout(resolve, 25));

const send = async (key: string, method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) => {
  const res = await f.call(key, method, url, payload);
  expect(res.statusCode, `${method} ${url}: ${res.body.slice(0, 300)}`).toBeLessThan(300);
  return res.json().data;
};
const goal = async (nick: string, body: Record<string, unknown>) => {
  ids[nick] = (await send(org.key, 'POST', '/v1/goals', { name: nick, ...body })).id;
};

beforeAll(async () => {
  ids.q1 = q1.id;
  ids.q2 = q2.id;
  ids.falconsTeam = await f.createTeam(org, 'Falcons', [[ann.id, 'member']]);
  ids.hawksTeam = await f.createTeam(org, 'Hawks', [[ben.id, 'member']]);
  ids.salesDept = await f.createDepartment(org, 'Sales');
  ids.supportDept = await f.createDepartment(org, 'Support');

  await goal('annQ1', {
    name: 'Grow revenue',
    description: 'Across EMEA',
    owner_user_id: ann.id,
    period_id: ids.q1,
  });
  await goal('benQ2', {
    name: 'Cut churn',
    description: 'Keep Revenue customers',
    owner_user_id: ben.id,
    period_id: ids.q2,
    parent_id: ids.annQ1,
  });
  await goal('falcons', {
    name: 'Ship the app',
    owner_team_id: ids.falconsTeam,
    period_id: ids.q1,
    parent_id: ids.annQ1,
  });
  await goal('hawks', {
    name: 'Hire engineers',
    owner_team_id: ids.hawksTeam,
    period_id: ids.q2,
    status: 'closed',
  });
  await goal('sales', {
    name: 'Sign partners',
    description: 'Partner deals',
    owner_department_id: ids.salesDept,
    period_id: ids.q1,
  });
  await goal('support', {
    name: 'Answer faster',
    owner_department_id: ids.supportDept,
    period_id: ids.q2,
    status: 'archived',
  });
  await goal('company', {
    name: 'Be profitable',
    description: 'REVENUE above costs',
    goal_type: 'company',
    period_id: ids.q1,
    status: 'closed',
  });
  // A deleted goal matches owner_id, period_id and q, and must never come back.
  await goal('annDeleted', { name: 'Old revenue plan', owner_user_id: ann.id, period_id: ids.q1 });
  await send(org.key, 'DELETE', `/v1/goals/${ids.annDeleted}`);

  await pause();
  changedSince = new Date().toISOString();
  await pause();
  await send(org.key, 'PATCH', `/v1/goals/${ids.hawks}`, { description: 'Backend first' });
  await send(org.key, 'PATCH', `/v1/goals/${ids.support}`, { description: 'Within a day' });
}, 60_000);

/** The nicknames a list query returns, sorted, checked against its total_count. */
async function matching(query: string) {
  const res = await f.call(org.key, 'GET', `/v1/goals?size=100&${query}`);
  expect(res.statusCode, `${query}: ${res.body.slice(0, 300)}`).toBe(200);
  const body = res.json();
  const names = body.data.map((g: { id: number }) => Object.keys(ids).find((k) => ids[k] === g.id) ?? g.id);
  expect(body.total_count, query).toBe(names.length);
  return names.sort();
}

/** Replaces every UPPERCASE placeholder with the id or value it names. */
const fill = (query: string) =>
  query
    .replace('SINCE', encodeURIComponent(changedSince))
    .replace(/\b(ANN|BEN|ADMIN)\b/g, (m) => String({ ANN: ann.id, BEN: ben.id, ADMIN: org.adminId }[m]))
    .replace(/\{(\w+)\}/g, (_, nick: string) => String(ids[nick]));

const everyGoal = ['annQ1', 'benQ2', 'company', 'falcons', 'hawks', 'sales', 'support'];

describe('GET /v1/goals filters', () => {
  it.each([
    ['', everyGoal],
    ['owner_id=ANN', ['annQ1']],
    ['owner_id=BEN', ['benQ2']],
    ['owner_id=ADMIN', ['company']],
    ['team_id={falconsTeam}', ['falcons']],
    ['team_id={hawksTeam}', ['hawks']],
    ['department_id={salesDept}', ['sales']],
    ['department_id={supportDept}', ['support']],
    ['period_id={q1}', ['annQ1', 'company', 'falcons', 'sales']],
    ['period_id={q2}', ['benQ2', 'hawks', 'support']],
    ['status=open', ['annQ1', 'benQ2', 'falcons', 'sales']],
    ['status=closed', ['company', 'hawks']],
    ['status=archived', ['support']],
    ['parent_id={annQ1}', ['benQ2', 'falcons']],
    ['parent_id={benQ2}', []],
    ['goal_type=personal', ['annQ1', 'benQ2']],
    ['goal_type=team', ['falcons', 'hawks']],
    ['goal_type=department', ['sales', 'support']],
    ['goal_type=company', ['company']],
    ['updated_since=SINCE', ['hawks', 'support']],
    ['updated_since=2999-01-01T00:00:00Z', []],
    // q searches the name and the description, case-insensitively.
    ['q=REVENUE', ['annQ1', 'benQ2', 'company']],
    ['q=grow', ['annQ1']],
    ['q=customers', ['benQ2']],
    ['q=ship%20THE', ['falcons']],
    ['q=%25', []],
    ['q=nothing%20like%20this', []],
  ])('?%s', async (query, expected) => {
    expect(await matching(fill(query))).toEqual(expected);
  });

  it.each([
    ['period_id={q1}&goal_type=team', ['falcons']],
    ['q=revenue&status=open', ['annQ1', 'benQ2']],
    ['q=revenue&status=open&period_id={q2}', ['benQ2']],
    ['owner_id=ANN&period_id={q2}', []],
    ['parent_id={annQ1}&team_id={falconsTeam}', ['falcons']],
    ['updated_since=SINCE&status=archived', ['support']],
    ['department_id={salesDept}&status=closed', []],
  ])('combines filters with AND: ?%s', async (query, expected) => {
    expect(await matching(fill(query))).toEqual(expected);
  });

  it('counts every matching goal in total_count, not only the page', async () => {
    const res = await f.call(org.key, 'GET', `/v1/goals?size=1&period_id=${ids.q1}`);
    const body = res.json();
    expect(body.data).toHaveLength(1);
    expect(body.total_count).toBe(4);
    expect(body.next_cursor).not.toBeNull();
  });
});

describe('writes by a member who is not a writer', () => {
  let peerGoal: Record<string, unknown>;
  let outsider: Member;
  let owner: Member;

  beforeAll(async () => {
    const other = await t.createOrg();
    owner = await t.createMember(other);
    outsider = await t.createMember(other);
    const created = await f.createGoal(owner.key, {
      name: 'Peer goal',
      visibility: 'public',
      milestones: [{ name: 'Deals', start_value: 0, target_value: 10, current_value: 5 }],
    });
    peerGoal = await f.getGoal(owner.key, created.id);
    expect(peerGoal).toMatchObject({ progress: 50, milestones: [{ name: 'Deals' }] });
    // The outsider can see the public goal, so a refusal is about writing, not about finding it.
    expect((await f.call(outsider.key, 'GET', `/v1/goals/${created.id}`)).statusCode).toBe(200);
  });

  it('cannot delete a peer’s public goal, and the goal stays', async () => {
    const res = await f.call(outsider.key, 'DELETE', `/v1/goals/${peerGoal.id}`);
    expect(res.statusCode, res.body).toBe(403);
    expect(res.json().error).toBe('insufficient_access');
    expect(await f.getGoal(owner.key, peerGoal.id as number)).toEqual(peerGoal);
  });

  it('cannot add a milestone to a peer’s public goal, and the goal is unchanged', async () => {
    const res = await f.call(outsider.key, 'POST', `/v1/goals/${peerGoal.id}/milestones`, {
      name: 'Sneaky',
      start_value: 0,
      target_value: 1000,
    });
    expect(res.statusCode, res.body).toBe(403);
    expect(res.json().error).toBe('insufficient_access');
    expect(await f.getGoal(owner.key, peerGoal.id as number)).toEqual(peerGoal);
    const listed = await f.call(owner.key, 'GET', `/v1/goals/${peerGoal.id}/milestones`);
    expect(listed.json().data.map((m: { name: string }) => m.name)).toEqual(['Deals']);
  });
});
