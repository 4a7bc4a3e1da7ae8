import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Member, type Org, startTestApp, type TestApp } from './harness.js';

interface Event {
  id: number;
  occurred_at: string;
  mode: string;
  actor_user_id: number | null;
  api_key_id: number | null;
  request_id: string | null;
  action: string;
  object_type: string;
  object_id: number | null;
}

let t: TestApp;
let org: Org;
let second: Member;
let adminKeyId: number;
let secondKeyId: number;
let testKey: string;
let ann: number;
let bob: number;
let dept: number;
/** A moment between the first batch of writes and the second. */
let midway: string;
/** Every live event of the organisation, unfiltered. */
let all: Event[];

const pause = () => new Promise((resolve) => setTimeout(resolve, 25));
const write = async (key: string, method: 'POST' | 'PATCH', url: string, payload?: object, rid?: string) => {
  const headers = rid ? { 'x-request-id': rid } : {};
  const res = await t.request(key, { method, url, headers, ...(payload && { payload }) });
  expect(res.statusCode, `${method} ${url}: ${res.body.slice(0, 300)}`).toBeLessThan(300);
  return res.json().data;
};
const keyIdOf = async (key: string) =>
  (await t.request(key, { method: 'GET', url: '/v1/me' })).json().data.api_key_id as number;

beforeAll(async () => {
  t = await startTestApp();
  // A fresh organisation of its own, so that "exactly the matching events" can be checked.
  org = await t.createOrg();
  second = await t.createMember(org, { role: 'super_admin' });
  adminKeyId = await keyIdOf(org.key);
  secondKeyId = await keyIdOf(second.key);
  testKey = (
    await write(org.key, 'POST', '/v1/api-keys', { user: org.adminId, name: 'sandbox', mode: 'test' })
  ).key;
  ann = (
    await write(org.key, 'POST', '/v1/users', { email: 'ann@example.com', first_name: 'A', last_name: 'N' })
  ).id;
  await write(org.key, 'PATCH', `/v1/users/${ann}`, { title: 'Lead' }, 'rid-ann-title');
  dept = (await write(org.key, 'POST', '/v1/departments', { name: 'Audit dept' })).id;
  await pause();
  midway = new Date().toISOString();
  await pause();
  bob = (
    await write(second.key, 'POST', '/v1/users', {
      email: 'bob@example.com',
      first_name: 'B',
      last_name: 'O',
    })
  ).id;
  await write(second.key, 'POST', `/v1/users/${bob}/deactivate`);
  await write(second.key, 'PATCH', `/v1/departments/${dept}`, { name: 'Renamed dept' });
  await write(testKey, 'POST', '/v1/users', {
    email: 'sandbox@example.com',
    first_name: 'S',
    last_name: 'B',
  });
  const res = await t.request(org.key, { method: 'GET', url: '/v1/audit-events?size=100' });
  all = res.json().data;
  expect(res.json().total_count).toBe(all.length);
}, 300_000);
afterAll(() => t.close());

const list = async (query: string, key = org.key) => {
  const res = await t.request(key, { method: 'GET', url: `/v1/audit-events?size=100&${query}` });
  expect(res.statusCode, `${query}: ${res.body.slice(0, 300)}`).toBe(200);
  const body = res.json();
  expect(body.total_count, query).toBe(body.data.length);
  return body.data as Event[];
};
/** The filter answers exactly the events the predicate picks from the unfiltered list, and not all of them. */
async function expectFilter(query: string, pick: (e: Event) => boolean) {
  const expected = all.filter(pick);
  expect(expected.length, `${query} picks something`).toBeGreaterThan(0);
  expect(expected.length, `${query} leaves something out`).toBeLessThan(all.length);
  expect((await list(query)).map((e) => e.id)).toEqual(expected.map((e) => e.id));
  return expected;
}
const summary = (events: Event[]) => events.map((e) => [e.action, e.object_id]);

describe('GET /v1/audit-events filters', () => {
  it('lists only live events to a live key, and only test events to a test key', async () => {
    expect(all.every((e) => e.mode === 'live')).toBe(true);
    expect(summary(all)).not.toContainEqual(['user.created', null]);
    const sandbox = await list('', testKey);
    expect(sandbox.every((e) => e.mode === 'test')).toBe(true);
    expect(sandbox.map((e) => e.action)).toContain('user.created');
    expect(sandbox.map((e) => e.id)).not.toEqual(expect.arrayContaining(all.map((e) => e.id)));
  });

  it('filters by actor_user_id', async () => {
    const events = await expectFilter(`actor_user_id=${second.id}`, (e) => e.actor_user_id === second.id);
    // The acceptance of the notice is recorded as the person's own act, through no key.
    expect(summary(events)).toEqual([
      ['privacy_notice.accepted', second.id],
      ['user.created', bob],
      ['user.deactivated', bob],
      ['department.updated', dept],
    ]);
  });

  it('filters by api_key_id, leaving out operator (CLI) rows that carry no key', async () => {
    await expectFilter(`api_key_id=${secondKeyId}`, (e) => e.api_key_id === secondKeyId);
    const byAdminKey = await expectFilter(`api_key_id=${adminKeyId}`, (e) => e.api_key_id === adminKeyId);
    expect(summary(byAdminKey)).toEqual([
      ['api_key.created', expect.any(Number)],
      ['user.created', ann],
      ['user.updated', ann],
      ['department.created', dept],
    ]);
  });

  it('filters by action, object_type, object_id and request_id', async () => {
    await expectFilter('action=user.created', (e) => e.action === 'user.created');
    await expectFilter('object_type=department', (e) => e.object_type === 'department');
    const onBob = await expectFilter(`object_id=${bob}`, (e) => e.object_id === bob);
    expect(onBob.map((e) => e.action)).toEqual(['user.created', 'user.deactivated']);
    const byRequest = await expectFilter('request_id=rid-ann-title', (e) => e.request_id === 'rid-ann-title');
    expect(summary(byRequest)).toEqual([['user.updated', ann]]);
  });

  it('filters by since (inclusive) and until (exclusive)', async () => {
    const after = await expectFilter(`since=${midway}`, (e) => e.occurred_at >= midway);
    expect(summary(after)).toEqual([
      ['user.created', bob],
      ['user.deactivated', bob],
      ['department.updated', dept],
    ]);
    await expectFilter(`until=${midway}`, (e) => e.occurred_at < midway);
    const edge = after[1] as Event;
    const from = await list(`since=${edge.occurred_at}`);
    expect(from.map((e) => e.id)).toContain(edge.id);
    const before = await list(`until=${edge.occurred_at}`);
    expect(before.map((e) => e.id)).not.toContain(edge.id);
    expect(await list(`since=${midway}&until=${midway}`)).toEqual([]);
  });

  it('ANDs filters together', async () => {
    await expectFilter(
      `actor_user_id=${org.adminId}&object_type=user`,
      (e) => e.actor_user_id === org.adminId && e.object_type === 'user',
    );
    const bothKeys = await list(`object_id=${dept}&api_key_id=${adminKeyId}`);
    expect(summary(bothKeys)).toEqual([['department.created', dept]]);
    const window = await list(`action=user.created&since=${midway}&actor_user_id=${second.id}`);
    expect(summary(window)).toEqual([['user.created', bob]]);
    expect(await list(`action=user.deactivated&actor_user_id=${org.adminId}`)).toEqual([]);
  });

  it('refuses a member, and a malformed time, with clear errors', async () => {
    const member = await t.createMember(org);
    const refused = await t.request(member.key, { method: 'GET', url: '/v1/audit-events' });
    expect(refused.statusCode).toBe(403);
    const bad = await t.request(org.key, { method: 'GET', url: '/v1/audit-events?since=yesterday' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toBe('invalid_parameters');
  });
});
