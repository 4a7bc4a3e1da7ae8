import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operatorPrincipal } from '../src/domain/access/principal.js';
import { createUser } from '../src/domain/users/service.js';
import { expectError } from './envelope-assert.js';
import { type Org, startTestApp, type TestApp } from './harness.js';

let t: TestApp;
let org: Org;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** The organisation's people: the admin plus the users made below, more than two default pages. */
const PEOPLE = 46;

beforeAll(async () => {
  t = await startTestApp();
  org = await t.createOrg();
  const operator = operatorPrincipal(org.orgId, org.adminId);
  for (let i = 1; i < PEOPLE; i++) {
    await createUser(t.db, operator, { email: `person${i}@example.com`, first_name: 'P', last_name: `${i}` });
  }
}, 300_000);
afterAll(() => t.close());

const get = (url: string, headers: Record<string, string> = {}) =>
  t.request(org.key, { method: 'GET', url, headers });
/** An absolute `next` URL as a path inject can follow. */
const pathOf = (url: string) => {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
};

describe('request ids', () => {
  it('echoes the X-Request-Id a client sends, on success and on error, in the header and the body', async () => {
    const ok = await get('/v1/users', { 'x-request-id': 'sync-job-42' });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['x-request-id']).toBe('sync-job-42');
    const failed = await get('/v1/users/999999999', { 'x-request-id': 'sync-job-43' });
    expectError(failed, 404, 'invalid_resource_id');
    expect(failed.json().request_id).toBe('sync-job-43');
    const unauthenticated = await t.app.inject({ url: '/v1/users', headers: { 'x-request-id': 'no-key-1' } });
    expectError(unauthenticated, 401, 'missing_access_token');
    expect(unauthenticated.json().request_id).toBe('no-key-1');
  });

  it('makes a fresh UUID when none is sent, or when the one sent is not a sane token', async () => {
    const a = await get('/v1/me');
    const b = await get('/v1/me');
    expect(a.headers['x-request-id']).toMatch(UUID);
    expect(b.headers['x-request-id']).not.toBe(a.headers['x-request-id']);
    const failed = await get('/v1/users?size=0');
    expectError(failed, 400, 'invalid_parameters');
    expect(failed.json().request_id).toMatch(UUID);
    const insane = await get('/v1/me', { 'x-request-id': 'a b<script>'.padEnd(200, 'x') });
    expect(insane.headers['x-request-id']).toMatch(UUID);
  });
});

describe('lists', () => {
  it('pages by 20 by default, with the total and a next URL that works when followed', async () => {
    const first = await get('/v1/users');
    expect(first.json()).toMatchObject({ success: true, page: 1, size: 20, total_count: PEOPLE });
    expect(first.json().data).toHaveLength(20);
    const second = await get(pathOf(first.json().next));
    expect(second.json()).toMatchObject({ page: 2, size: 20, total_count: PEOPLE });
    const third = await get(pathOf(second.json().next));
    expect(third.json().data).toHaveLength(PEOPLE - 40);
    expect(third.json().next).toBeNull();
    const ids = [first, second, third].flatMap((r) => r.json().data.map((u: { id: number }) => u.id));
    expect(new Set(ids).size).toBe(PEOPLE);
  });

  it('keeps the filters in the next URL', async () => {
    const first = await get('/v1/users?q=example.com&size=5');
    const next = new URL(first.json().next);
    expect(next.searchParams.get('q')).toBe('example.com');
    expect(next.searchParams.get('size')).toBe('5');
  });

  it('takes size up to 100 and answers 101 with 400', async () => {
    const hundred = await get('/v1/users?size=100');
    expect(hundred.json().data).toHaveLength(PEOPLE);
    expectError(await get('/v1/users?size=101'), 400, 'invalid_parameters');
    expectError(await get('/v1/users?page=0'), 400, 'invalid_parameters');
  });

  it('walks every row once by cursor, following next', async () => {
    let res = await get('/v1/users?size=7');
    const seen: number[] = res.json().data.map((u: { id: number }) => u.id);
    let url = `/v1/users?size=7&cursor=${res.json().next_cursor}`;
    for (let guard = 0; url && guard < 20; guard++) {
      res = await get(url);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ page: null, size: 7, total_count: PEOPLE });
      seen.push(...res.json().data.map((u: { id: number }) => u.id));
      url = res.json().next ? pathOf(res.json().next) : '';
    }
    expect(seen).toHaveLength(PEOPLE);
    expect(new Set(seen).size).toBe(PEOPLE);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });

  it("keeps the walk's first total on every cursor page, and refuses the unsigned cursors of before", async () => {
    const other = await t.createOrg();
    const operator = operatorPrincipal(other.orgId, other.adminId);
    const add = (i: number) =>
      createUser(t.db, operator, { email: `walker${i}@example.com`, first_name: 'W', last_name: `${i}` });
    for (let i = 1; i <= 4; i++) await add(i);
    const list = (query: string) => t.request(other.key, { method: 'GET', url: `/v1/users?size=2${query}` });
    const first = (await list('')).json();
    expect(first.total_count).toBe(5);
    await add(5);
    // Deep pages do not count again: the total is the one the walk began with.
    const second = (await list(`&cursor=${first.next_cursor}`)).json();
    expect(second).toMatchObject({ page: null, total_count: 5 });
    expect((await list('')).json().total_count).toBe(6);
    // The raw positions /v1 handed out before cursors were signed (docs/decisions.md) start no walk now.
    for (const raw of [`id:${first.data[1].id}`, `id:${first.data[1].id}:total:5`]) {
      expectError(await list(`&cursor=${Buffer.from(raw).toString('base64url')}`), 400, 'invalid_cursor');
    }
  });

  it('refuses page and cursor together, and a cursor it did not make', async () => {
    const cursor = (await get('/v1/users?size=5')).json().next_cursor;
    expectError(await get(`/v1/users?page=2&cursor=${cursor}`), 400, 'invalid_parameters');
    expectError(await get('/v1/users?cursor=not-a-cursor'), 400, 'invalid_cursor');
    const forged = Buffer.from('id:1; drop table users').toString('base64url');
    expectError(await get(`/v1/users?cursor=${forged}`), 400, 'invalid_cursor');
  });
});

describe('the service around the API', () => {
  it('publishes an OpenAPI 3.1 document that lists /v1/users, and renders it at /docs', async () => {
    const doc = await t.app.inject({ url: '/openapi.json' });
    expect(doc.statusCode).toBe(200);
    expect(doc.json().openapi).toMatch(/^3\.1\./);
    expect(Object.keys(doc.json().paths)).toContain('/v1/users');
    const docs = await t.app.inject({ url: '/docs' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toMatch(/text\/html/);
    expect(docs.body).toMatch(/<html/i);
  });

  it('answers /healthz and /readyz with 200 without a key', async () => {
    expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    const ready = await t.app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready' });
  });

  it('answers an unknown route with 404 unknown_route in the envelope', async () => {
    expectError(await t.app.inject({ url: '/nope' }), 404, 'unknown_route');
    expectError(await get('/v1/no-such-resource'), 404, 'unknown_route');
    expectError(await t.request(org.key, { method: 'DELETE', url: '/v1/users' }), 404, 'unknown_route');
  });
});

describe('Idempotency-Key', () => {
  const create = (key: string, email: string) =>
    t.request(org.key, {
      method: 'POST',
      url: '/v1/users',
      headers: { 'idempotency-key': key },
      payload: { email, first_name: 'Ida', last_name: 'Empotent' },
    });

  it('replays the first response for the same key and body, and creates one user', async () => {
    const first = await create('create-ida-1', 'ida@example.com');
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const again = await create('create-ida-1', 'ida@example.com');
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().data.id).toBe(first.json().data.id);
    const list = await get('/v1/users?email=ida@example.com');
    expect(list.json().total_count).toBe(1);
  });

  it('refuses the same key with another body with 409 and creates nothing', async () => {
    await create('create-ida-2', 'ida2@example.com');
    const reused = await create('create-ida-2', 'someone-else@example.com');
    expectError(reused, 409, 'idempotency_key_reused');
    expect((await get('/v1/users?email=someone-else@example.com')).json().total_count).toBe(0);
  });
});
