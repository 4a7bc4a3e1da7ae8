import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Org, startTestApp, type TestApp } from './harness.js';

let t: TestApp;
let org: Org;
/** The people of the organisation, by nickname; `admin` is the super admin that createOrg makes. */
const ids: Record<string, number> = {};
let sales: number;
let support: number;
let changedSince: string;

const send = async (method: 'POST' | 'PATCH', url: string, payload?: object) => {
  const res = await t.request(org.key, { method, url, ...(payload && { payload }) });
  expect(res.statusCode, `${method} ${url}: ${res.body.slice(0, 300)}`).toBeLessThan(300);
  return res.json().data;
};
const person = async (name: string, extra: object = {}) => {
  const user = await send('POST', '/v1/users', {
    email: `${name}@example.com`,
    first_name: name[0]?.toUpperCase() + name.slice(1),
    last_name: 'Filter',
    ...extra,
  });
  ids[name] = user.id;
  return user;
};

beforeAll(async () => {
  t = await startTestApp();
  org = await t.createOrg();
  ids.admin = org.adminId;
  sales = (await send('POST', '/v1/departments', { name: 'Sales' })).id;
  support = (await send('POST', '/v1/departments', { name: 'Support' })).id;
  const mona = await person('mona', { role: 'admin', department_id: sales });
  const ann = await person('ann', { department_id: sales, manager_id: mona.id, employee_id: 'E-1' });
  await person('ben', { department_id: support, manager_id: mona.id, role: 'hr_admin', employee_id: 'E-2' });
  await person('cat', { department_id: sales, employee_id: 'E-10' });
  await person('dan', { department_id: support, manager_id: ann.id, last_name: 'Under_score' });
  await send('POST', `/v1/users/${ids.ben}/deactivate`);
  await send('POST', `/v1/users/${ids.cat}/deactivate`);
  // Everything above is older than changedSince; only dan and ann change after it.
  await new Promise((resolve) => setTimeout(resolve, 20));
  changedSince = new Date().toISOString();
  await new Promise((resolve) => setTimeout(resolve, 20));
  await send('PATCH', `/v1/users/${ids.dan}`, { title: 'Agent' });
  await send('POST', `/v1/users/${ids.ann}/deactivate`);
  await send('POST', `/v1/users/${ids.ann}/reactivate`);
}, 300_000);
afterAll(() => t.close());

/** The nicknames a list query returns, checked against its total_count. */
async function matching(query: string) {
  const res = await t.request(org.key, { method: 'GET', url: `/v1/users?size=100&${query}` });
  expect(res.statusCode, `${query}: ${res.body.slice(0, 300)}`).toBe(200);
  const body = res.json();
  const names = body.data.map((u: { id: number }) => Object.keys(ids).find((k) => ids[k] === u.id) ?? u.id);
  expect(body.total_count, query).toBe(names.length);
  return names.sort();
}

describe('GET /v1/users filters', () => {
  it.each([
    ['', ['admin', 'ann', 'ben', 'cat', 'dan', 'mona']],
    ['status=active', ['admin', 'ann', 'dan', 'mona']],
    ['status=deactivated', ['ben', 'cat']],
    ['role=member', ['ann', 'cat', 'dan']],
    ['role=hr_admin', ['ben']],
    ['role=super_admin', ['admin']],
    ['manager_id=MONA', ['ann', 'ben']],
    ['manager_id=ANN', ['dan']],
    ['email=DAN%40Example.COM', ['dan']],
    ['employee_id=E-1', ['ann']],
    ['q=under_score', ['dan']],
    ['q=%25', []],
    ['q=cat%40example', ['cat']],
    ['q=filter', ['ann', 'ben', 'cat', 'mona']],
  ])('?%s', async (query, expected) => {
    const filled = query.replace('MONA', String(ids.mona)).replace('ANN', String(ids.ann));
    expect(await matching(filled)).toEqual(expected);
  });

  it('filters by department_id', async () => {
    expect(await matching(`department_id=${sales}`)).toEqual(['ann', 'cat', 'mona']);
    expect(await matching(`department_id=${support}`)).toEqual(['ben', 'dan']);
  });

  it('filters by updated_since: only people changed at or after that time', async () => {
    expect(await matching(`updated_since=${encodeURIComponent(changedSince)}`)).toEqual(['ann', 'dan']);
    expect(await matching(`updated_since=${encodeURIComponent('2999-01-01T00:00:00Z')}`)).toEqual([]);
  });

  it('ANDs filters together', async () => {
    expect(await matching(`department_id=${sales}&status=deactivated`)).toEqual(['cat']);
    expect(await matching(`department_id=${sales}&role=member&status=active`)).toEqual(['ann']);
    expect(await matching(`manager_id=${ids.mona}&status=active`)).toEqual(['ann']);
    expect(await matching(`manager_id=${ids.mona}&department_id=${support}&role=hr_admin`)).toEqual(['ben']);
    expect(await matching(`employee_id=E-1&department_id=${support}`)).toEqual([]);
    const since = encodeURIComponent(changedSince);
    expect(await matching(`updated_since=${since}&department_id=${support}`)).toEqual(['dan']);
    expect(await matching(`q=filter&status=active&role=member`)).toEqual(['ann']);
  });

  it('counts every match across pages, not just the page', async () => {
    const res = await t.request(org.key, { method: 'GET', url: '/v1/users?role=member&size=1&page=2' });
    expect(res.json()).toMatchObject({ total_count: 3, data: [{ id: expect.any(Number) }] });
    expect(res.json().next).toContain('role=member');
  });

  it('answers an unknown filter or a bad value with 400', async () => {
    for (const query of ['shoe_size=9', 'status=gone', 'role=owner', 'updated_since=yesterday']) {
      const res = await t.request(org.key, { method: 'GET', url: `/v1/users?${query}` });
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error, query).toBe('invalid_parameters');
    }
  });
});
