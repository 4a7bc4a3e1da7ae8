import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Member, type Org, startTestApp, type TestApp } from './harness.js';

/**
 * Servers cache who a key belongs to. These tests change what the auth query reads behind the server's
 * back (SQL through the database, as another server, the CLI or an operator would) and check that the
 * server stops trusting what it cached: at once for its own writes, within moments for anyone else's.
 * A raised privacy notice is in api-keys.test.ts.
 */
let t: TestApp;
let org: Org;
beforeAll(async () => {
  t = await startTestApp();
  org = await t.createOrg();
});
afterAll(() => t.close());

const me = (key: string) => t.request(key, { method: 'GET', url: '/v1/me' });
const keyIdOf = async (member: Member) =>
  (await t.db.selectFrom('api_keys').select('id').where('user_id', '=', member.id).executeTakeFirstOrThrow())
    .id;

/** Runs `change` with the notifying triggers off: only what the server does itself can make it forget. */
async function unannounced(change: () => Promise<unknown>) {
  await sql`alter table api_keys disable trigger api_keys_auth_changed`.execute(t.db);
  try {
    await change();
  } finally {
    await sql`alter table api_keys enable trigger api_keys_auth_changed`.execute(t.db);
  }
}

// Raw SQL on purpose: another process's change, which the server learns of only through the database.
const revokeBySql = (id: number) =>
  t.db.updateTable('api_keys').set({ status: 'revoked' }).where('id', '=', id).execute();

describe('cached principals', () => {
  it('are used: a revocation the database does not announce goes unseen until a notice comes', async () => {
    const member = await t.createMember(org);
    expect((await me(member.key)).statusCode).toBe(200);
    await unannounced(async () => revokeBySql(await keyIdOf(member)));
    expect((await me(member.key)).statusCode).toBe(200);
    await t.heard(() => sql`select pg_notify('trellis_auth', '')`.execute(t.db));
    const refused = await me(member.key);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error).toBe('access_token_revoked');
  });

  it('are forgotten at once when this server answers a write', async () => {
    const member = await t.createMember(org);
    const id = await keyIdOf(member);
    expect((await me(member.key)).statusCode).toBe(200);
    await unannounced(() =>
      t.request(org.key, { method: 'POST', url: `/v1/api-keys/${id}/revoke` }).then((r) => {
        expect(r.statusCode).toBe(200);
      }),
    );
    const refused = await me(member.key);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error).toBe('access_token_revoked');
  });

  it('are kept when this server answers a check-in, which touches nothing the auth query reads', async () => {
    const member = await t.createMember(org);
    expect((await me(member.key)).statusCode).toBe(200);
    const created = await t.request(org.key, {
      method: 'POST',
      url: '/v1/goals',
      payload: {
        name: 'Kept principals',
        starts_on: '2020-01-01',
        ends_on: '2099-12-31',
        milestones: [{ name: 'Calls', start_value: 0, target_value: 10 }],
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    await unannounced(async () => revokeBySql(await keyIdOf(member)));
    const milestone = created.json().data.milestones[0].id;
    const checkIn = await t.request(org.key, {
      method: 'POST',
      url: `/v1/milestones/${milestone}/checkins`,
      payload: { value: 4 },
    });
    expect(checkIn.statusCode).toBe(201);
    // Still the cached principal: the check-in did not make the server forget it.
    expect((await me(member.key)).statusCode).toBe(200);
    // Any other write still forgets, whatever it changed.
    expect(
      (
        await t.request(org.key, {
          method: 'POST',
          url: '/v1/api-keys',
          payload: { user: org.adminId, name: 'x' },
        })
      ).statusCode,
    ).toBe(201);
    expect((await me(member.key)).json().error).toBe('access_token_revoked');
  });

  it('are forgotten as soon as the server hears a key was revoked elsewhere', async () => {
    const member = await t.createMember(org);
    expect((await me(member.key)).statusCode).toBe(200);
    const id = await keyIdOf(member);
    await t.heard(() => revokeBySql(id));
    expect((await me(member.key)).json().error).toBe('access_token_revoked');
  });

  it('are forgotten as soon as the server hears the holder was deactivated elsewhere', async () => {
    const member = await t.createMember(org);
    expect((await me(member.key)).statusCode).toBe(200);
    // Raw SQL on purpose: another process deactivates the holder, behind this server's back.
    await t.heard(() =>
      t.db.updateTable('users').set({ status: 'deactivated' }).where('id', '=', member.id).execute(),
    );
    expect((await me(member.key)).json().error).toBe('user_deactivated');
  });

  it('are forgotten as soon as the server hears the holder’s role changed elsewhere', async () => {
    const member = await t.createMember(org);
    const audit = () => t.request(member.key, { method: 'GET', url: '/v1/audit-events' });
    expect((await audit()).statusCode).toBe(403);
    // Raw SQL on purpose: another process changes the role, behind this server's back.
    await t.heard(() =>
      t.db.updateTable('users').set({ role: 'super_admin' }).where('id', '=', member.id).execute(),
    );
    expect((await audit()).statusCode).toBe(200);
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)(
    'are not trusted once the server has stopped listening, until it listens again',
    async () => {
      const member = await t.createMember(org);
      expect((await me(member.key)).statusCode).toBe(200);
      await sql`select pg_terminate_backend(pid) from pg_stat_activity
        where datname = current_database() and query = 'listen trellis_auth'`.execute(t.db);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await unannounced(async () => revokeBySql(await keyIdOf(member)));
      expect((await me(member.key)).json().error).toBe('access_token_revoked');
      // Listening again (a second later), it caches and hears notices as before.
      const again = await t.createMember(org);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect((await me(again.key)).statusCode).toBe(200);
      const id = await keyIdOf(again);
      await t.heard(() => revokeBySql(id));
      expect((await me(again.key)).json().error).toBe('access_token_revoked');
    },
  );
});
