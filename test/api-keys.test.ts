import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { acceptPrivacyNotice } from '../src/domain/orgs/service.js';
import { expectError } from './envelope-assert.js';
import { type Org, startTestApp, type TestApp } from './harness.js';

let t: TestApp;
let org: Org;

beforeAll(async () => {
  t = await startTestApp();
  org = await t.createOrg();
}, 300_000);
afterAll(() => t.close());

const admin = (method: 'GET' | 'POST', url: string, payload?: object, headers = {}) =>
  t.request(org.key, { method, url, payload, headers });
const me = (key: string) => t.request(key, { method: 'GET', url: '/v1/me' });

async function newUser(email: string) {
  const res = await admin('POST', '/v1/users', { email, first_name: 'Kay', last_name: 'Holder' });
  expect(res.statusCode).toBe(201);
  await acceptPrivacyNotice(t.db, org.orgId, res.json().data.id);
  return res.json().data.id as number;
}

async function newKey(user: number | string, name: string, mode?: 'live' | 'test') {
  const res = await admin('POST', '/v1/api-keys', { user, name, ...(mode && { mode }) });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().data as { id: number; key: string; last_four: string; mode: string; user_id: number };
}

describe('creating keys', () => {
  it('shows the key once, with its mode in the prefix; reads and lists show only the last four', async () => {
    const userId = await newUser('kay@example.com');
    const live = await newKey(userId, 'CRM sync');
    const test = await newKey('kay@example.com', 'CRM sync (sandbox)', 'test');
    expect(live.key).toMatch(/^tw_live_[\w-]{43}$/);
    expect(test.key).toMatch(/^tw_test_[\w-]{43}$/);
    expect(live.last_four).toBe(live.key.slice(-4));
    const one = await admin('GET', `/v1/api-keys/${live.id}`);
    expect(one.json().data).toMatchObject({ id: live.id, name: 'CRM sync', last_four: live.last_four });
    const list = await admin('GET', `/v1/api-keys?user_id=${userId}`);
    expect(list.json().total_count).toBe(2);
    for (const body of [one.body, list.body]) {
      expect(body).not.toContain(live.key);
      expect(body).not.toContain(test.key);
      expect(body).not.toMatch(/"key"|hash/);
    }
  });

  it('gives a person several working keys, and revoking one leaves the others working', async () => {
    const userId = await newUser('many@example.com');
    const a = await newKey(userId, 'cron');
    const b = await newKey(userId, 'spreadsheet');
    expect((await me(a.key)).json().data.user.id).toBe(userId);
    expect((await me(b.key)).json().data.api_key_id).toBe(b.id);
    await admin('POST', `/v1/api-keys/${a.id}/revoke`);
    expectError(await me(a.key), 401, 'access_token_revoked');
    expect((await me(b.key)).statusCode).toBe(200);
  });

  it('refuses a name already taken in the organisation (in any case) with 409 and creates nothing', async () => {
    const userId = await newUser('dup@example.com');
    await newKey(userId, 'Nightly export');
    const res = await admin('POST', '/v1/api-keys', { user: userId, name: 'nightly EXPORT' });
    expectError(res, 409, 'duplicate_resource');
    expect((await admin('GET', `/v1/api-keys?user_id=${userId}`)).json().total_count).toBe(1);
  });

  it('refuses a member with 403', async () => {
    const member = await t.createMember(org);
    expectError(
      await t.request(member.key, { method: 'GET', url: '/v1/api-keys' }),
      403,
      'insufficient_access',
    );
    const create = {
      method: 'POST' as const,
      url: '/v1/api-keys',
      payload: { user: member.id, name: 'mine' },
    };
    expectError(await t.request(member.key, create), 403, 'insufficient_access');
  });
});

describe('a key stops and starts working', () => {
  it('stops on revoke and works again on reactivate', async () => {
    const key = await newKey(await newUser('rev@example.com'), 'revocable');
    expect((await me(key.key)).statusCode).toBe(200);
    const revoked = await admin('POST', `/v1/api-keys/${key.id}/revoke`);
    expect(revoked.json().data).toMatchObject({ status: 'revoked', revoked_at: expect.any(String) });
    expectError(await me(key.key), 401, 'access_token_revoked');
    await admin('POST', `/v1/api-keys/${key.id}/reactivate`);
    expect((await me(key.key)).statusCode).toBe(200);
  });

  it('stops while its holder is deactivated, and works again when they are reactivated', async () => {
    const userId = await newUser('leaver@example.com');
    const key = await newKey(userId, 'leaver key');
    await admin('POST', `/v1/users/${userId}/deactivate`);
    expectError(await me(key.key), 403, 'user_deactivated');
    await admin('POST', `/v1/users/${userId}/reactivate`);
    expect((await me(key.key)).statusCode).toBe(200);
  });

  it('refuses every call until the holder accepts the privacy notice', async () => {
    const member = await t.createMember(org, { acceptNotice: false });
    expectError(await me(member.key), 403, 'privacy_notice_not_accepted');
    await acceptPrivacyNotice(t.db, org.orgId, member.id);
    expect((await me(member.key)).statusCode).toBe(200);
  });
});

describe('modes', () => {
  it('lets a test key see and change test data only', async () => {
    const sandboxKey = (await newKey(org.adminId, 'admin sandbox', 'test')).key;
    expect((await me(sandboxKey)).json().data.mode).toBe('test');
    const inTest = await t.request(sandboxKey, {
      method: 'POST',
      url: '/v1/users',
      payload: { email: 'sandbox-only@example.com', first_name: 'Sandy', last_name: 'Box' },
    });
    expect(inTest.statusCode).toBe(201);
    const liveId = await newUser('live-only@example.com');
    const find = (key: string, email: string) =>
      t.request(key, { method: 'GET', url: `/v1/users?email=${email}` });
    expect((await find(org.key, 'sandbox-only@example.com')).json().total_count).toBe(0);
    expect((await find(sandboxKey, 'live-only@example.com')).json().total_count).toBe(0);
    expect((await find(sandboxKey, 'sandbox-only@example.com')).json().total_count).toBe(1);
    const direct = await t.request(sandboxKey, { method: 'GET', url: `/v1/users/${liveId}` });
    expectError(direct, 404, 'invalid_resource_id');
  });
});

describe('a test key and live keys', () => {
  const asTest = (key: string, method: 'GET' | 'POST', url: string, payload?: object) =>
    t.request(key, { method, url, payload });

  it('never mints a live key: asking for one is 403, leaving mode out makes a test key', async () => {
    const sandboxKey = (await newKey(org.adminId, 'sandbox minter', 'test')).key;
    const before = (await admin('GET', '/v1/api-keys?mode=live&size=100')).json().total_count;
    const live = await asTest(sandboxKey, 'POST', '/v1/api-keys', {
      user: org.adminId,
      name: 'live from test',
      mode: 'live',
    });
    expectError(live, 403, 'insufficient_access', 'a live key asked for with a test key');
    expect(live.json().error_description).toContain('test keys only');
    expect((await admin('GET', '/v1/api-keys?mode=live&size=100')).json().total_count).toBe(before);
    const made = await asTest(sandboxKey, 'POST', '/v1/api-keys', {
      user: org.adminId,
      name: 'default mode',
    });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json().data).toMatchObject({ mode: 'test' });
    expect(made.json().data.key).toMatch(/^tw_test_/);
  });

  it('never revokes or reactivates a live key, and manages its own test keys', async () => {
    const sandboxKey = (await newKey(org.adminId, 'sandbox revoker', 'test')).key;
    const liveKey = await newKey(org.adminId, 'live target');
    const revoke = await asTest(sandboxKey, 'POST', `/v1/api-keys/${liveKey.id}/revoke`);
    expectError(revoke, 403, 'insufficient_access', 'revoking a live key with a test key');
    expect((await me(liveKey.key)).statusCode).toBe(200);
    await admin('POST', `/v1/api-keys/${liveKey.id}/revoke`);
    const reactivate = await asTest(sandboxKey, 'POST', `/v1/api-keys/${liveKey.id}/reactivate`);
    expectError(reactivate, 403, 'insufficient_access', 'reactivating a live key with a test key');
    expectError(await me(liveKey.key), 401, 'access_token_revoked', 'the live key stays revoked');
    const testKey = await newKey(org.adminId, 'test target', 'test');
    const own = await asTest(sandboxKey, 'POST', `/v1/api-keys/${testKey.id}/revoke`);
    expect(own.statusCode, own.body).toBe(200);
    expectError(await me(testKey.key), 401, 'access_token_revoked', 'a test key revoked by a test key');
  });
});

describe('GET /v1/me with a test key', () => {
  it("shows the role in force (the live account's), not the sandbox copy's", async () => {
    const holder = await t.createMember(org, { mode: 'test' });
    // The sandbox copies the live directory with its ids: the holder's copy is the same person.
    const reset = await t.request(org.key, { method: 'POST', url: '/v1/sandbox/reset' });
    expect(reset.statusCode, reset.body).toBeLessThan(300);
    const adminSandboxKey = (await newKey(org.adminId, 'sandbox promoter', 'test')).key;
    const promoted = await t.request(adminSandboxKey, {
      method: 'PATCH',
      url: `/v1/users/${holder.id}`,
      payload: { role: 'admin', data_admin: true },
    });
    expect(promoted.statusCode, promoted.body).toBe(200);
    expect(promoted.json().data).toMatchObject({ role: 'admin', data_admin: true });
    const shown = (await me(holder.key)).json().data;
    expect(shown).toMatchObject({ mode: 'test', user: { id: holder.id, role: 'member', data_admin: false } });
    const refused = await t.request(holder.key, {
      method: 'POST',
      url: '/v1/departments',
      payload: { name: 'X' },
    });
    expectError(refused, 403, 'insufficient_access', 'the copy’s admin role is not in force');
  });
});

describe('storage', () => {
  it('stores a 32-byte SHA-256 of the key and never the key itself', async () => {
    const key = await newKey(await newUser('stored@example.com'), 'stored key');
    const row = await t.db
      .selectFrom('api_keys')
      .selectAll()
      .where('id', '=', key.id)
      .executeTakeFirstOrThrow();
    const hash = Buffer.from(row.key_hash);
    expect(hash).toHaveLength(32);
    expect(hash.equals(createHash('sha256').update(key.key).digest())).toBe(true);
    const secret = key.key.slice('tw_live_'.length);
    for (const value of Object.values(row)) {
      const text =
        value instanceof Uint8Array ? Buffer.from(value).toString('latin1') : JSON.stringify(value);
      expect(text ?? '').not.toContain(secret);
    }
    const audit = await t.db.selectFrom('audit_events').selectAll().where('object_id', '=', key.id).execute();
    expect(audit.length).toBeGreaterThan(0);
    expect(JSON.stringify(audit)).not.toContain(secret);
  });

  it('keeps no copy of the key when it is created with an Idempotency-Key, and replays its id', async () => {
    const userId = await newUser('idem@example.com');
    const headers = { 'idempotency-key': 'new-key-for-idem' };
    const first = await admin('POST', '/v1/api-keys', { user: userId, name: 'idem key' }, headers);
    expect(first.statusCode).toBe(201);
    const secret = first.json().data.key.slice('tw_live_'.length);
    const stored = await t.db.selectFrom('idempotency_keys').selectAll().execute();
    expect(JSON.stringify(stored)).not.toContain(secret);
    const replay = await admin('POST', '/v1/api-keys', { user: userId, name: 'idem key' }, headers);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json().data).toMatchObject({ id: first.json().data.id, key: null });
    expect(replay.body).not.toContain(secret);
  });
});

describe('last used', () => {
  it('is null until the key is first used, then set by its first request', async () => {
    const key = await newKey(await newUser('fresh@example.com'), 'fresh key');
    const read = async () => (await admin('GET', `/v1/api-keys/${key.id}`)).json().data.last_used_at;
    expect(await read()).toBeNull();
    const before = Date.now();
    expect((await me(key.key)).statusCode).toBe(200);
    const used = await read();
    expect(used).toEqual(expect.any(String));
    expect(Date.parse(used)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(used)).toBeLessThanOrEqual(Date.now() + 1000);
    const listed = (await admin('GET', `/v1/api-keys?user_id=${key.user_id}`)).json().data;
    expect(listed).toMatchObject([{ id: key.id, last_used_at: used }]);
  });

  it('is written at most once a minute: a second call soon after leaves it, a later one moves it', async () => {
    const key = await newKey(await newUser('busy@example.com'), 'busy key');
    const read = async () => (await admin('GET', `/v1/api-keys/${key.id}`)).json().data.last_used_at;
    await me(key.key);
    const first = await read();
    await me(key.key);
    expect(await read()).toBe(first);
    // As if the first use had been two minutes ago: in the database, and by the server's clock (which is
    // what a cached key goes by). Raw SQL on purpose: no route backdates a key's use.
    const twoMinutesAgo = new Date(Date.now() - 120_000);
    await t.db
      .updateTable('api_keys')
      .set({ last_used_at: twoMinutesAgo })
      .where('id', '=', key.id)
      .execute();
    const clock = vi.spyOn(Date, 'now').mockReturnValue(Date.now() + 120_000);
    try {
      await me(key.key);
    } finally {
      clock.mockRestore();
    }
    expect(Date.parse(await read())).toBeGreaterThan(twoMinutesAgo.getTime() + 60_000);
  });
});

describe('privacy-notice acceptance', () => {
  const acceptances = (orgId: number, userId: number) =>
    t.db
      .selectFrom('privacy_notice_acceptances')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('user_id', '=', userId)
      .orderBy('version')
      .execute();

  it("records the organisation's notice version and the time, and audits it", async () => {
    const member = await t.createMember(org, { acceptNotice: false });
    expect(await acceptances(org.orgId, member.id)).toEqual([]);
    const before = Date.now();
    await acceptPrivacyNotice(t.db, org.orgId, member.email);
    const rows = await acceptances(org.orgId, member.id);
    expect(rows).toMatchObject([{ version: 1, accepted_at: expect.any(String) }]);
    const at = Date.parse(rows[0]?.accepted_at ?? '');
    expect(at).toBeGreaterThanOrEqual(before - 1000);
    expect(at).toBeLessThanOrEqual(Date.now() + 1000);
    const audit = await admin(
      'GET',
      `/v1/audit-events?action=privacy_notice.accepted&object_id=${member.id}`,
    );
    expect(audit.json()).toMatchObject({
      total_count: 1,
      data: [{ actor_user_id: member.id, api_key_id: null, changes: { version: 1 } }],
    });
  });

  it('refuses a holder who accepted only an older version once the notice version is raised', async () => {
    // No route or command raises the version yet; the column is what authentication compares against.
    const other = await t.createOrg();
    const member = await t.createMember(other);
    expect((await me(member.key)).statusCode).toBe(200);
    await t.heard(() =>
      t.db
        .updateTable('organizations')
        .set({ privacy_notice_version: 2 })
        .where('org_id', '=', other.orgId)
        .execute(),
    );
    expectError(await me(member.key), 403, 'privacy_notice_not_accepted');
    expectError(await me(other.key), 403, 'privacy_notice_not_accepted');
    expect((await me(org.key)).statusCode).toBe(200);
    await acceptPrivacyNotice(t.db, other.orgId, member.id);
    expect((await acceptances(other.orgId, member.id)).map((r) => r.version)).toEqual([1, 2]);
    expect((await me(member.key)).statusCode).toBe(200);
    expectError(await me(other.key), 403, 'privacy_notice_not_accepted');
  });
});
