import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from './envelope-assert.js';
import { type Org, startTestApp, type TestApp } from './harness.js';

/**
 * Input PostgreSQL refuses (NUL, lone surrogates, integers past bigint, year 0000) is a 400
 * invalid_parameters at the edge, never a 500 from the database, and writes nothing.
 */
let t: TestApp;
let org: Org;

beforeAll(async () => {
  t = await startTestApp();
  org = await t.createOrg();
});
afterAll(() => t.close());

const NUL = '\u0000';
const LONE = '\ud800';

const send = (method: 'GET' | 'POST', url: string, payload?: unknown, type = 'application/json') =>
  t.request(org.key, {
    method,
    url,
    ...(payload !== undefined && { payload: payload as string, headers: { 'content-type': type } }),
  });

/** Rows the organisation has in the tables a write could touch, and its audit rows. */
async function footprint() {
  const count = async (table: 'users' | 'goals' | 'milestones' | 'periods' | 'audit_events') =>
    Number(
      (
        await t.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .where('org_id', '=', org.orgId)
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    users: await count('users'),
    goals: await count('goals'),
    milestones: await count('milestones'),
    periods: await count('periods'),
    audit: await count('audit_events'),
  };
}

function expectRefused(res: LightMyRequestResponse, field?: string) {
  expectError(res, 400, 'invalid_parameters');
  if (field) expect(res.json().details, res.body).toEqual([{ field, problem: expect.any(String) }]);
}

/** The request is refused with a 400 naming the field, and the database is as it was. */
async function refusedWrite(method: 'POST', url: string, payload: unknown, field?: string, type?: string) {
  const before = await footprint();
  expectRefused(await send(method, url, payload, type), field);
  expect(await footprint()).toEqual(before);
}

const person = (extra: Record<string, unknown> = {}) => ({
  email: `hostile${Math.random().toString(36).slice(2)}@example.com`,
  first_name: 'Hostile',
  last_name: 'Input',
  ...extra,
});
const goal = (extra: Record<string, unknown> = {}) => ({
  name: 'Grow',
  starts_on: '2020-01-01',
  ends_on: '2099-12-31',
  ...extra,
});

const bulkGoal = { type: 'goal', name: 'G', start_date: '2020-01-01', end_date: '2099-12-31' };

describe('NUL and lone surrogates in a JSON body', () => {
  it('POST /v1/users: NUL in first_name', () =>
    refusedWrite('POST', '/v1/users', person({ first_name: `Ann${NUL}` }), 'first_name'));
  it('POST /v1/users: NUL in a custom_fields key', () =>
    refusedWrite(
      'POST',
      '/v1/users',
      person({ custom_fields: { [`ke${NUL}y`]: 'v' } }),
      'custom_fields/ke\ufffdy',
    ));
  it('POST /v1/users: a lone surrogate in a value', () =>
    refusedWrite('POST', '/v1/users', person({ last_name: `In${LONE}put` }), 'last_name'));
  it('POST /v1/goals: NUL in name', () =>
    refusedWrite('POST', '/v1/goals', goal({ name: `Gr${NUL}ow` }), 'name'));
  it('POST /v1/goals: a lone surrogate in a tag', () =>
    refusedWrite('POST', '/v1/goals', goal({ tags: ['ok', `\udc00x`] }), 'tags/1'));
  it('an escaped surrogate pair is a character, not hostile', async () => {
    const res = await send('POST', '/v1/users', person({ first_name: 'Ann \ud83d\ude00' }));
    expect(res.statusCode, res.body).toBe(201);
  });
});

describe('bulk uploads', () => {
  it('POST /v1/users/bulk (JSON): NUL in a custom_fields key', () =>
    refusedWrite(
      'POST',
      '/v1/users/bulk',
      { users: [person(), person({ custom_fields: { [NUL]: 'v' } })] },
      'users/1/custom_fields/\ufffd',
    ));
  it('POST /v1/users/bulk (CSV): a NUL byte in a cell', () =>
    refusedWrite(
      'POST',
      '/v1/users/bulk',
      `email,first_name,last_name\na@example.com,A${NUL},B\n`,
      undefined,
      'text/csv',
    ));
  it('POST /v1/goals/bulk (JSON): a lone surrogate in a category', () =>
    refusedWrite(
      'POST',
      '/v1/goals/bulk',
      { rows: [{ ...bulkGoal, categories: [`c${LONE}`] }] },
      'rows/0/categories/0',
    ));
  it('POST /v1/goals/bulk (CSV): a NUL byte in a cell', () =>
    refusedWrite(
      'POST',
      '/v1/goals/bulk',
      `name,type,start_date,end_date\nG${NUL},goal,2020-01-01,2099-12-31\n`,
      undefined,
      'text/csv',
    ));
});

describe('query strings and path params', () => {
  for (const url of [
    '/v1/users?q=%00',
    '/v1/users?email=%00',
    '/v1/users?employee_id=a%00b',
    '/v1/audit-events?action=%00',
    '/v1/audit-events?request_id=%00',
  ]) {
    it(`GET ${url}`, async () =>
      expectRefused(await send('GET', url), `querystring/${url.split(/[?=]/)[1]}`));
  }
  it('GET /v1/users/%00', async () => expectRefused(await send('GET', '/v1/users/%00'), 'params/id'));
  it('a lone surrogate in the query arrives as U+FFFD, which is text', async () => {
    const res = await send('GET', '/v1/users?q=%ED%A0%80');
    expect(res.statusCode, res.body).toBe(200);
  });
});

describe('integers past bigint', () => {
  it('GET /v1/goals/9223372036854775808', async () =>
    expectRefused(await send('GET', '/v1/goals/9223372036854775808'), 'params/id'));
  it('GET /v1/goals?owner_id=1e308', async () =>
    expectRefused(await send('GET', '/v1/goals?owner_id=1e308'), 'querystring/owner_id'));
  it('POST /v1/users with manager_id 1e20', () =>
    refusedWrite('POST', '/v1/users', JSON.stringify(person({ manager_id: 1e20 })), 'manager_id'));
  it('POST /v1/goals/bulk with parent_id 1e20 is a row error, not a 500', async () => {
    const before = await footprint();
    const res = await send('POST', '/v1/goals/bulk', { rows: [{ ...bulkGoal, parent_id: 1e20 }] });
    expectError(res, 422, 'bulk_rejected');
    expect(await footprint()).toEqual(before);
  });
});

describe('the year 0000', () => {
  it('GET /v1/periods?on=0000-01-01', async () =>
    expectRefused(await send('GET', '/v1/periods?on=0000-01-01'), 'querystring/on'));
  it('GET /v1/users?updated_since=0000-01-01T00:00:00Z', async () =>
    expectRefused(
      await send('GET', '/v1/users?updated_since=0000-01-01T00:00:00Z'),
      'querystring/updated_since',
    ));
  it('POST /v1/periods with starts_on 0000-01-01', () =>
    refusedWrite(
      'POST',
      '/v1/periods',
      { name: 'Year zero', starts_on: '0000-01-01', ends_on: '2020-12-31' },
      'starts_on',
    ));
  it('POST /v1/users with hire_date 0000-12-31', () =>
    refusedWrite('POST', '/v1/users', person({ hire_date: '0000-12-31' }), 'hire_date'));
  it('POST /v1/goals/:id/checkins back-dated to 0000-01-01T00:00:00Z', async () => {
    const created = await send('POST', '/v1/goals', goal());
    expect(created.statusCode, created.body).toBe(201);
    const url = `/v1/goals/${created.json().data.id}/checkins`;
    await refusedWrite(
      'POST',
      url,
      { value: 1, checked_in_at: '0000-01-01T00:00:00Z', allow_closed_period: true },
      'checked_in_at',
    );
  });
  it('a date-time in year 0001 whose offset puts it in 1 BC', async () =>
    expectRefused(
      await send('GET', '/v1/users?updated_since=0001-01-01T00:00:00%2B01:00'),
      'querystring/updated_since',
    ));
  it('year 0001 is accepted', async () => {
    const res = await send('GET', '/v1/periods?on=0001-01-01');
    expect(res.statusCode, res.body).toBe(200);
  });
});
