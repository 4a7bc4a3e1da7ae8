import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operatorPrincipal } from '../src/domain/access/principal.js';
import { createUser } from '../src/domain/users/service.js';
import { rotateCursorSecret } from '../src/http/cursor-secrets.js';
import { expectError } from './envelope-assert.js';
import { goalFixtures } from './goal-fixtures.js';
import { type Member, type Org, startTestApp, type TestApp } from './harness.js';

/**
 * /v1 list cursors are signed by the server and bound to the list they were made for and to who asked
 * (docs/decisions.md): a cursor a client makes, edits or carries to another list, filter or key is 400
 * invalid_cursor, and a rotated secret keeps walks under way working for its grace period only.
 */
let t: TestApp;
let org: Org;
let member: Member;
/** The app's clock: moved forward instead of waiting. */
let clock = Date.now();
let log = '';
const HOUR = 3_600_000;
/** Everyone the organisation lists: its admin, the member and the people made below. */
const PEOPLE = 12;

beforeAll(async () => {
  const stream = new Writable({
    write(chunk, _encoding, done) {
      log += chunk;
      done();
    },
  });
  t = await startTestApp({ clock: () => clock, logger: { level: 'trace', stream } });
  org = await t.createOrg();
  member = await t.createMember(org, { role: 'admin' });
  const operator = operatorPrincipal(org.orgId, org.adminId);
  for (let i = 3; i <= PEOPLE; i++) {
    await createUser(t.db, operator, { email: `walker${i}@example.com`, first_name: 'W', last_name: `${i}` });
  }
}, 120_000);
afterAll(() => t.close());

const get = (url: string, key = org.key) => t.request(key, { method: 'GET', url });
const cursorOf = async (url: string, key = org.key) => {
  const res = await get(url, key);
  expect(res.statusCode, res.body).toBe(200);
  const cursor = res.json().next_cursor;
  expect(cursor).toEqual(expect.any(String));
  return cursor as string;
};
const b64 = (text: string) => Buffer.from(text).toString('base64url');

describe('a /v1 cursor', () => {
  it('is signed with one secret, made by the first lists however many come at once', async () => {
    const count = async () => (await t.db.selectFrom('cursor_secrets').select('id').execute()).length;
    expect(await count()).toBe(0);
    const answers = await Promise.all([1, 2, 3, 4].map(() => get('/v1/users?size=2')));
    expect(answers.map((res) => res.statusCode)).toEqual([200, 200, 200, 200]);
    expect(await count()).toBe(1);
  });

  it('walks a list over several pages, every row once, with the right total', async () => {
    let res = await get('/v1/users?size=5');
    const seen: number[] = res.json().data.map((u: { id: number }) => u.id);
    // What the client holds is not the domain's position as it is (`id:N:total:T`), for it to read or edit.
    const held = Buffer.from(res.json().next_cursor, 'base64url').toString('latin1');
    expect(held).not.toMatch(/id:\d+/);
    for (let guard = 0; res.json().next_cursor && guard < 10; guard++) {
      res = await get(`/v1/users?size=5&cursor=${res.json().next_cursor}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ total_count: PEOPLE, page: null, size: 5 });
      seen.push(...res.json().data.map((u: { id: number }) => u.id));
    }
    expect(seen).toHaveLength(PEOPLE);
    expect(new Set(seen).size).toBe(PEOPLE);
    // A cursor page's next URL carries the filters and the next signed cursor, and works when followed.
    const first = (await get('/v1/users?status=active&size=2')).json();
    const second = (await get(`/v1/users?status=active&size=2&cursor=${first.next_cursor}`)).json();
    const next = new URL(second.next);
    expect(next.searchParams.get('status')).toBe('active');
    expect(next.searchParams.get('cursor')).toBe(second.next_cursor);
    const followed = await get(`${next.pathname}${next.search}`);
    expect(followed.statusCode, followed.body).toBe(200);
    expect(followed.json().total_count).toBe(first.total_count);
  });

  it('made by hand is refused, whatever total it claims', async () => {
    const answers = await Promise.all(
      [b64('id:0:total:424242'), 'id:0:total:424242', b64('id:0'), 'not-a-cursor', ''].map((c) =>
        get(`/v1/users?size=5&cursor=${c}`),
      ),
    );
    for (const res of answers) {
      expectError(res, 400, 'invalid_cursor');
      expect(res.body).not.toContain('424242');
    }
  });

  it('made for goals is refused on users, and one made for a goal on another goal', async () => {
    const f = goalFixtures(t);
    const goals = [];
    for (const name of ['C1', 'C2', 'C3']) goals.push(await f.createGoal(org.key, { name }));
    const goalsCursor = await cursorOf('/v1/goals?size=1');
    expect((await get(`/v1/goals?size=1&cursor=${goalsCursor}`)).statusCode).toBe(200);
    expectError(await get(`/v1/users?size=1&cursor=${goalsCursor}`), 400, 'invalid_cursor');

    const [one, two] = goals;
    for (const goal of [one, two]) {
      for (const value of [1, 2, 3])
        await f.call(org.key, 'POST', `/v1/goals/${goal.id}/checkins`, { value });
    }
    const history = await cursorOf(`/v1/goals/${one.id}/checkins?size=1`);
    expect((await get(`/v1/goals/${one.id}/checkins?size=1&cursor=${history}`)).statusCode).toBe(200);
    expectError(await get(`/v1/goals/${two.id}/checkins?size=1&cursor=${history}`), 400, 'invalid_cursor');
  });

  it('made with other filters is refused; the page size may change', async () => {
    const cursor = await cursorOf('/v1/users?status=active&size=2');
    expect((await get(`/v1/users?status=active&size=3&cursor=${cursor}`)).statusCode).toBe(200);
    for (const query of ['status=deactivated', '', 'status=active&role=member', 'status=active&q=W']) {
      expectError(await get(`/v1/users?${query}&size=2&cursor=${cursor}`), 400, 'invalid_cursor', query);
    }
  });

  it('made for another key, user or organisation is refused, even on the same list', async () => {
    const cursor = await cursorOf('/v1/users?size=2');
    expectError(await get(`/v1/users?size=2&cursor=${cursor}`, member.key), 400, 'invalid_cursor');
    const other = await t.createOrg();
    expectError(await get(`/v1/users?size=2&cursor=${cursor}`, other.key), 400, 'invalid_cursor');
    // The same person with a second key: a cursor belongs to the key it was handed to.
    const created = await t.request(org.key, {
      method: 'POST',
      url: '/v1/api-keys',
      payload: { name: 'second key', user: org.adminId },
    });
    expect(created.statusCode, created.body).toBe(201);
    expectError(
      await get(`/v1/users?size=2&cursor=${cursor}`, created.json().data.key),
      400,
      'invalid_cursor',
    );
  });

  it('with any byte changed is refused', async () => {
    const cursor = await cursorOf('/v1/users?size=2');
    const bytes = Buffer.from(cursor, 'base64url');
    // The version, the secret's id, the MAC and the position, each in turn.
    for (const at of [0, 4, 5, 36, 37, bytes.length - 1]) {
      const tampered = Buffer.from(bytes);
      tampered[at] = (tampered[at] ?? 0) ^ 1;
      expectError(
        await get(`/v1/users?size=2&cursor=${tampered.toString('base64url')}`),
        400,
        'invalid_cursor',
      );
    }
    expectError(await get(`/v1/users?size=2&cursor=${cursor.slice(0, -1)}`), 400, 'invalid_cursor');
    expectError(await get(`/v1/users?size=2&cursor=${cursor}A`), 400, 'invalid_cursor');
  });

  it('survives a rotation for the grace period, and no longer', async () => {
    const before = await cursorOf('/v1/users?size=2');
    const rotation = await rotateCursorSecret(t.db, 24);
    expect(rotation.retiring).toBe(1);
    clock += HOUR; // the app has read the secrets again: the new one signs, the old one still verifies
    expect((await get(`/v1/users?size=2&cursor=${before}`)).statusCode).toBe(200);
    const after = await cursorOf('/v1/users?size=2');
    expect(after).not.toBe(before);
    expect(Buffer.from(after, 'base64url').readUInt32BE(1)).toBe(rotation.id);

    clock += 24 * HOUR;
    expectError(await get(`/v1/users?size=2&cursor=${before}`), 400, 'invalid_cursor');
    expect((await get(`/v1/users?size=2&cursor=${after}`)).statusCode).toBe(200);
  });

  it('never puts a secret in the log or an answer', async () => {
    const secrets = await t.db.selectFrom('cursor_secrets').select('secret').execute();
    expect(secrets.length).toBeGreaterThan(0);
    const cursor = await cursorOf('/v1/users?size=2');
    const bad = await get(`/v1/users?size=2&cursor=${cursor.slice(0, -2)}xy`);
    expectError(bad, 400, 'invalid_cursor');
    for (const { secret } of secrets) {
      for (const encoding of ['hex', 'base64', 'base64url'] as const) {
        const text = Buffer.from(secret).toString(encoding);
        expect(log).not.toContain(text);
        expect(bad.body).not.toContain(text);
      }
    }
  });
});
