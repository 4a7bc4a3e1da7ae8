import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from './envelope-assert.js';
import { type Org, startTestApp, type TestApp } from './harness.js';

/** The single sign-on settings (docs/sso.md): who reads and writes them, and that the secret never comes back. */
let t: TestApp;
let org: Org;
let other: Org;
const SECRET = 'the-client-secret-of-org-a-0123456789';

const settings = (extra: Record<string, unknown> = {}) => ({
  enabled: true,
  issuer_url: 'https://idp.example.com/realms/a',
  client_id: 'trellis-a',
  ...extra,
});
const put = (key: string, body: unknown) =>
  t.request(key, { method: 'PUT', url: '/v1/sso-settings', payload: body as Record<string, unknown> });
const get = (key: string) => t.request(key, { method: 'GET', url: '/v1/sso-settings' });

beforeAll(async () => {
  t = await startTestApp();
  org = await t.createOrg();
  other = await t.createOrg();
}, 120_000);
afterAll(async () => t?.close());

describe('/v1/sso-settings', () => {
  it('answers defaults before anything is saved: off, no JIT, passwords allowed', async () => {
    const res = await get(org.key);
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toMatchObject({
      configured: false,
      enabled: false,
      client_secret_set: false,
      jit_provisioning: false,
      password_sign_in: true,
    });
  });

  it('saves the settings, never returns the secret, keeps it when not sent, records no secret', async () => {
    const saved = await put(
      org.key,
      settings({ client_secret: SECRET, allowed_email_domains: ['@Example.COM'] }),
    );
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.body).not.toContain(SECRET);
    expect(saved.json().data).toMatchObject({
      configured: true,
      enabled: true,
      client_secret_set: true,
      allowed_email_domains: ['example.com'],
      jit_provisioning: false,
    });
    const again = await put(
      org.key,
      settings({ jit_provisioning: true, allowed_email_domains: ['example.com'] }),
    );
    expect(again.json().data).toMatchObject({ client_secret_set: true, jit_provisioning: true });
    const read = await get(org.key);
    expect(read.body).not.toContain(SECRET);
    const stored = await t.db
      .selectFrom('sso_settings')
      .select('client_secret')
      .where('org_id', '=', org.orgId)
      .executeTakeFirstOrThrow();
    expect(stored.client_secret).toBe(SECRET);
    const audit = await t.db
      .selectFrom('audit_events')
      .select('changes')
      .where('org_id', '=', org.orgId)
      .where('action', '=', 'sso_settings.updated')
      .orderBy('id')
      .execute();
    expect(audit).toHaveLength(2);
    expect(JSON.stringify(audit)).not.toContain(SECRET);
    expect(audit[0]?.changes).toMatchObject({
      client_secret_changed: true,
      enabled: { from: false, to: true },
    });
    expect(audit[1]?.changes).toEqual({ jit_provisioning: { from: false, to: true } });
  });

  it('refuses a member, a data admin and an hr_admin (403) and changes nothing', async () => {
    for (const options of [{}, { fields: { data_admin: true } }, { role: 'hr_admin' as const }]) {
      const person = await t.createMember(org, options);
      expectError(await get(person.key), 403, 'insufficient_access', 'read');
      expectError(await put(person.key, settings({ enabled: false })), 403, 'insufficient_access', 'write');
    }
    expect((await get(org.key)).json().data.enabled).toBe(true);
  });

  it('lets an admin read and write; a test key neither', async () => {
    const admin = await t.createMember(org, { role: 'admin' });
    expect((await get(admin.key)).statusCode).toBe(200);
    const sandbox = await t.createMember(org, { role: 'admin', mode: 'test' });
    expectError(await get(sandbox.key), 403, 'insufficient_access', 'test read');
    expectError(
      await put(sandbox.key, settings({ enabled: false })),
      403,
      'insufficient_access',
      'test write',
    );
  });

  it("never shows another organisation's settings", async () => {
    const res = await get(other.key);
    expect(res.json().data).toMatchObject({ configured: false, issuer_url: null, client_id: null });
    expect(res.body).not.toContain('trellis-a');
  });

  it('refuses an issuer that is not https (http only on loopback), and bad domains', async () => {
    for (const issuer_url of [
      'http://idp.example.com',
      'ftp://idp.example.com',
      'not a url',
      'https://u:p@idp.example.com',
      'https://idp.example.com/?q=1',
    ]) {
      expectError(await put(other.key, settings({ issuer_url })), 400, 'invalid_parameters', issuer_url);
    }
    expectError(
      await put(other.key, settings({ allowed_email_domains: ['not a domain'] })),
      400,
      'invalid_parameters',
    );
    expect((await put(other.key, settings({ issuer_url: 'http://127.0.0.1:9/issuer' }))).statusCode).toBe(
      200,
    );
  });

  it('refuses text PostgreSQL cannot store, and unknown fields', async () => {
    expectError(await put(org.key, settings({ client_id: 'a\u0000b' })), 400, 'invalid_parameters', 'NUL');
    expectError(
      await put(org.key, settings({ client_secret: '\ud800' })),
      400,
      'invalid_parameters',
      'surrogate',
    );
    expectError(await put(org.key, settings({ extra: 1 })), 400, 'invalid_parameters', 'unknown field');
  });
});
