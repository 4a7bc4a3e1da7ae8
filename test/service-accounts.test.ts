import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Mail } from '../src/domain/mail.js';
import { requestPasswordReset } from '../src/domain/sign-in/links.js';
import { expectError } from './envelope-assert.js';
import { type Member, type Org, startTestApp, type TestApp } from './harness.js';

let t: TestApp;
let org: Org;
let admin: Member;
let member: Member;
let testSuperAdmin: Member;

beforeAll(async () => {
  t = await startTestApp();
  org = await t.createOrg();
  admin = await t.createMember(org, { role: 'admin' });
  member = await t.createMember(org);
  testSuperAdmin = await t.createMember(org, { role: 'super_admin', mode: 'test' });
}, 300_000);
afterAll(() => t.close());

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT';
const as = (key: string, method: Method, url: string, payload?: object) =>
  t.request(key, { method, url, payload });
const superAdmin = (method: Method, url: string, payload?: object) => as(org.key, method, url, payload);

async function createAccount(fields: object = {}) {
  const res = await superAdmin('POST', '/v1/service-accounts', { name: 'CRM sync', ...fields });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().data as { id: number; name: string; role: string };
}

async function keyFor(userId: number) {
  const res = await superAdmin('POST', '/v1/api-keys', {
    user: userId,
    name: `key ${userId} ${Math.random()}`,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().data as { id: number; key: string };
}

const auditOf = async (query: string) =>
  (await superAdmin('GET', `/v1/audit-events?${query}`)).json().data as {
    action: string;
    actor_user_id: number;
    api_key_id: number | null;
    object_id: number;
    changes: Record<string, unknown>;
  }[];

describe('creating a service account', () => {
  it('makes a user who is not a person, with the notice accepted by the super admin who made it', async () => {
    const res = await superAdmin('POST', '/v1/service-accounts', {
      name: 'Nightly HR sync',
      description: 'Pushes the HR file at 2am',
      role: 'admin',
    });
    expect(res.statusCode, res.body).toBe(201);
    const account = res.json().data;
    expect(account).toMatchObject({
      name: 'Nightly HR sync',
      description: 'Pushes the HR file at 2am',
      role: 'admin',
      data_admin: false,
      status: 'active',
      created_by: org.adminId,
      privacy_notice: { version: 1, accepted_by: org.adminId, accepted_at: expect.any(String) },
    });
    const user = (await superAdmin('GET', `/v1/users/${account.id}`)).json().data;
    expect(user).toMatchObject({ kind: 'service', first_name: 'Nightly HR sync', role: 'admin' });
    expect(user.email).toMatch(/@trellis\.invalid$/);

    const events = await auditOf(`object_id=${account.id}`);
    expect(events.map((e) => e.action).sort()).toEqual([
      'privacy_notice.accepted',
      'service_account.created',
    ]);
    for (const e of events) expect(e.actor_user_id).toBe(org.adminId);
    const accepted = events.find((e) => e.action === 'privacy_notice.accepted');
    expect(accepted?.changes).toEqual({ version: 1, accepted_by: org.adminId });
  });

  it('refuses an admin who is not a super admin, a member, and a test key, writing nothing', async () => {
    const before = (await auditOf('action=service_account.created')).length;
    const body = { name: 'Sneaky', role: 'super_admin' };
    for (const key of [admin.key, member.key]) {
      const res = await as(key, 'POST', '/v1/service-accounts', body);
      expectError(res, 403, 'insufficient_access');
      expect(res.json().error_description).toBe('Only super admins manage service accounts.');
    }
    expectError(
      await as(testSuperAdmin.key, 'POST', '/v1/service-accounts', body),
      403,
      'insufficient_access',
    );
    expect((await auditOf('action=service_account.created')).length).toBe(before);
  });

  it('refuses an admin who tries the people route to make a super admin of one', async () => {
    const account = await createAccount();
    const res = await as(admin.key, 'PATCH', `/v1/users/${account.id}`, { role: 'super_admin' });
    expect(res.statusCode).toBeGreaterThanOrEqual(403);
    expect((await superAdmin('GET', `/v1/service-accounts/${account.id}`)).json().data.role).toBe('member');
  });

  it('refuses bad input at the edge: a missing or empty name, NUL, a surrogate, an unknown field', async () => {
    for (const body of [
      {},
      { name: '' },
      { name: 'a\u0000b' },
      { name: 'bad \ud800 half' },
      { name: 'ok', description: 'x\u0000' },
      { name: 'ok', email: 'svc@example.com' },
      { name: 'ok', role: 'owner' },
    ]) {
      const res = await superAdmin('POST', '/v1/service-accounts', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(['missing_required_parameters', 'invalid_parameters']).toContain(res.json().error);
    }
    expect((await superAdmin('GET', '/v1/service-accounts?size=100')).json().data).not.toContainEqual(
      expect.objectContaining({ name: 'ok' }),
    );
  });
});

describe('its keys and its calls', () => {
  it('gets keys like anyone, which work at once; every call is audited under the service account', async () => {
    const account = await createAccount({ role: 'admin' });
    const key = await keyFor(account.id);
    const me = await as(key.key, 'GET', '/v1/me');
    expect(me.statusCode, me.body).toBe(200);
    expect(me.json().data.user).toMatchObject({ id: account.id, kind: 'service' });

    const group = await as(key.key, 'POST', '/v1/groups', { name: `Made by a script ${account.id}` });
    expect(group.statusCode, group.body).toBe(201);
    const [event] = await auditOf(`action=group.created&object_id=${group.json().data.id}`);
    expect(event).toMatchObject({ actor_user_id: account.id, api_key_id: key.id });

    const keys = (await superAdmin('GET', `/v1/api-keys?user_id=${account.id}`)).json();
    expect(keys.data.map((k: { id: number }) => k.id)).toEqual([key.id]);
    expect((await superAdmin('POST', `/v1/api-keys/${key.id}/revoke`)).statusCode).toBe(200);
    expectError(await as(key.key, 'GET', '/v1/me'), 401, 'access_token_revoked');
  });

  it('stops its keys when deactivated', async () => {
    const account = await createAccount();
    const key = await keyFor(account.id);
    const res = await superAdmin('POST', `/v1/service-accounts/${account.id}/deactivate`);
    expect(res.json().data).toMatchObject({ status: 'deactivated', deactivated_at: expect.any(String) });
    expectError(await as(key.key, 'GET', '/v1/me'), 403, 'user_deactivated');
    const listed = await superAdmin('GET', '/v1/service-accounts?status=deactivated');
    expect(listed.json().data.map((a: { id: number }) => a.id)).toContain(account.id);
  });
});

describe('never a person', () => {
  it('is left out of the people list unless asked for', async () => {
    const account = await createAccount();
    const ids = async (query: string) =>
      ((await superAdmin('GET', `/v1/users?size=100${query}`)).json().data as { id: number }[]).map(
        (u) => u.id,
      );
    expect(await ids('')).not.toContain(account.id);
    expect(await ids('')).toContain(member.id);
    expect(await ids('&kind=service')).toContain(account.id);
    expect(await ids('&kind=service')).not.toContain(member.id);
    expect(await ids('&kind=all')).toEqual(expect.arrayContaining([account.id, member.id]));
  });

  it('can never sign in: no password sign-in, no invitation, no reset link', async () => {
    const account = await createAccount();
    const { email } = (await superAdmin('GET', `/v1/users/${account.id}`)).json().data;
    const signIn = await t.app.inject({
      method: 'POST',
      url: '/auth/sign-in',
      payload: { email, password: 'any password at all' },
    });
    expectError(signIn, 401, 'invalid_credentials');
    const invite = await superAdmin('POST', `/v1/users/${account.id}/invitation`);
    expectError(invite, 422, 'invalid_operation');
    expect(t.mail.filter((m) => m.to === email)).toEqual([]);

    const sent: Mail[] = [];
    const linkMail = { mailer: { send: async (m: Mail) => void sent.push(m) }, linkUrl: () => 'http://x/' };
    await requestPasswordReset(t.db, linkMail, email, null);
    expect(sent).toEqual([]);
    // The same call mails a person: the refusal above is the service account's, not a broken mailer.
    await requestPasswordReset(t.db, linkMail, member.email, null);
    expect(sent.map((m) => m.to)).toEqual([member.email]);
  });

  it('is changed as a service account, not through the people routes', async () => {
    const account = await createAccount();
    const res = await superAdmin('PATCH', `/v1/users/${account.id}`, { email: 'real@example.com' });
    expectError(res, 422, 'invalid_operation');
  });
});

describe('changing one', () => {
  it('renames, describes and changes the role, recording what changed', async () => {
    const account = await createAccount();
    const res = await superAdmin('PATCH', `/v1/service-accounts/${account.id}`, {
      name: 'CRM sync v2',
      role: 'super_admin',
      description: 'Now with deals',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data).toMatchObject({
      name: 'CRM sync v2',
      role: 'super_admin',
      description: 'Now with deals',
    });
    const [event] = await auditOf(`action=service_account.updated&object_id=${account.id}`);
    expect(event?.changes).toMatchObject({ role: { from: 'member', to: 'super_admin' } });
    const same = await superAdmin('PATCH', `/v1/service-accounts/${account.id}`, { name: 'CRM sync v2' });
    expect(same.statusCode).toBe(200);
    expect(await auditOf(`action=service_account.updated&object_id=${account.id}`)).toHaveLength(1);
  });

  it('answers 404 for a person’s id and another organisation’s account', async () => {
    expectError(await superAdmin('GET', `/v1/service-accounts/${member.id}`), 404, 'invalid_resource_id');
    const other = await t.createOrg();
    const theirs = await as(other.key, 'POST', '/v1/service-accounts', { name: 'Theirs' });
    const id = theirs.json().data.id;
    expectError(await superAdmin('GET', `/v1/service-accounts/${id}`), 404, 'invalid_resource_id');
    expectError(
      await superAdmin('PATCH', `/v1/service-accounts/${id}`, { name: 'Mine' }),
      404,
      'invalid_resource_id',
    );
  });

  it('lets a test key read service accounts but not change them', async () => {
    const account = await createAccount();
    const read = await as(testSuperAdmin.key, 'GET', `/v1/service-accounts/${account.id}`);
    expect(read.statusCode, read.body).toBe(200);
    const write = await as(testSuperAdmin.key, 'PATCH', `/v1/service-accounts/${account.id}`, { name: 'x' });
    expectError(write, 403, 'insufficient_access');
  });
});

describe('the privacy notice', () => {
  it('asks again after a new version, and a super admin accepts it for the account', async () => {
    // An organisation of its own: a new notice version asks everyone in it again.
    const other = await t.createOrg();
    const post = (url: string, payload?: object) => as(other.key, 'POST', url, payload);
    const account = (await post('/v1/service-accounts', { name: 'Exporter' })).json().data;
    const key = (await post('/v1/api-keys', { user: account.id, name: 'exporter' })).json().data.key;
    const put = await as(other.key, 'PUT', '/v1/privacy-notice', { text: 'We now keep exports.' });
    expect(put.statusCode, put.body).toBe(200);
    expectError(await as(key, 'GET', '/v1/me'), 403, 'privacy_notice_not_accepted');
    const read = await as(other.key, 'GET', `/v1/service-accounts/${account.id}`);
    expect(read.json().data.privacy_notice).toBeNull();

    const accepted = await post(`/v1/service-accounts/${account.id}/privacy-notice-acceptance`);
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json().data.privacy_notice).toMatchObject({ version: 2, accepted_by: other.adminId });
    expect((await as(key, 'GET', '/v1/me')).statusCode).toBe(200);
    const again = await post(`/v1/service-accounts/${account.id}/privacy-notice-acceptance`);
    expect(again.json().data.privacy_notice).toEqual(accepted.json().data.privacy_notice);
    const events = await as(
      other.key,
      'GET',
      `/v1/audit-events?action=privacy_notice.accepted&object_id=${account.id}`,
    );
    expect(events.json().data.map((e: { changes: object }) => e.changes)).toEqual(
      expect.arrayContaining([
        { version: 1, accepted_by: other.adminId },
        { version: 2, accepted_by: other.adminId },
      ]),
    );
    // The repeat keeps the acceptance and is audited as a confirmation of its own.
    expect(events.json().total_count).toBe(3);
  });
});

describe('left out of HR uploads and populations', () => {
  it('refuses an HR upload row that would change a service account', async () => {
    const account = await createAccount();
    const { email } = (await superAdmin('GET', `/v1/users/${account.id}`)).json().data;
    const res = await superAdmin('POST', '/v1/users/bulk', {
      users: [{ email, first_name: 'Renamed', last_name: 'By HR' }],
    });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().details).toEqual([expect.objectContaining({ row: 1, error: 'invalid_operation' })]);
    expect((await superAdmin('GET', `/v1/service-accounts/${account.id}`)).json().data.name).toBe('CRM sync');
  });

  it('is not calibrated with "everyone"', async () => {
    const account = await createAccount();
    const cycle = await superAdmin('POST', '/v1/calibration/cycles', {
      name: 'Everyone this year',
      performance_levels: ['Low', 'High'],
      potential_levels: ['Low', 'High'],
      audience: 'everyone',
    });
    expect(cycle.statusCode, cycle.body).toBe(201);
    const id = cycle.json().data.id;
    expect((await superAdmin('PATCH', `/v1/calibration/cycles/${id}`, { state: 'open' })).statusCode).toBe(
      200,
    );
    const records = await superAdmin('GET', `/v1/calibration/cycles/${id}/talent-records?size=100`);
    const people = records.json().data.map((r: { user_id: number }) => r.user_id);
    expect(people).toContain(member.id);
    expect(people).not.toContain(account.id);
  });
});
