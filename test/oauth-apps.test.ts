import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from './envelope-assert.js';
import { type Org, startTestApp, type TestApp } from './harness.js';

let t: TestApp;
let org: Org;
let other: Org;

beforeAll(async () => {
  t = await startTestApp();
  org = await t.createOrg();
  other = await t.createOrg();
}, 300_000);
afterAll(() => t.close());

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
const as = (key: string, method: Method, url: string, payload?: object) =>
  t.request(key, { method, url, payload });

const registration = (overrides: object = {}) => ({
  name: `Planner ${Math.random().toString(36).slice(2, 8)}`,
  description: 'Syncs goals to a planning board',
  logo_url: 'https://planner.example.com/logo.png',
  redirect_uris: ['https://planner.example.com/callback', 'http://127.0.0.1:8123/cb'],
  contact_email: 'dev@planner.example.com',
  kind: 'confidential',
  ...overrides,
});

async function register(overrides: object = {}) {
  const res = await as(org.key, 'POST', '/v1/oauth-apps', registration(overrides));
  expect(res.statusCode, res.body).toBe(201);
  return res.json().data as { id: number; client_id: string; client_hash: string | null; kind: string };
}

describe('registering an app', () => {
  it('shows the client hash once and stores only its SHA-256', async () => {
    const app = await register();
    expect(app.client_id).toMatch(/^twc_/);
    expect(app.client_hash).toMatch(/^twh_[\w-]{43}$/);
    const read = await as(org.key, 'GET', `/v1/oauth-apps/${app.id}`);
    expect(read.statusCode).toBe(200);
    expect(read.json().data).not.toHaveProperty('client_hash');
    expect(read.json().data.redirect_uris).toEqual(registration().redirect_uris);
    const stored = await t.db
      .selectFrom('oauth_apps')
      .select('secret_hash')
      .where('id', '=', app.id)
      .executeTakeFirstOrThrow();
    const digest = createHash('sha256')
      .update(app.client_hash as string)
      .digest();
    expect(Buffer.from(stored.secret_hash as Buffer).equals(digest)).toBe(true);
    const list = await as(org.key, 'GET', '/v1/oauth-apps');
    expect(list.json().data.map((a: { id: number }) => a.id)).toContain(app.id);
    expect(list.body).not.toContain(app.client_hash);
  });

  it('gives a public app no client hash', async () => {
    const app = await register({ kind: 'public' });
    expect(app.client_hash).toBeNull();
    const rotate = await as(org.key, 'POST', `/v1/oauth-apps/${app.id}/rotate-client-hash`, {});
    expectError(rotate, 422, 'invalid_operation', 'rotating a public app');
  });

  it.each([
    ['plain http off loopback', 'http://planner.example.com/cb'],
    ['a fragment', 'https://planner.example.com/cb#top'],
    ['a relative URL', '/callback'],
    ['a custom scheme without https', 'javascript:alert(1)'],
  ])('refuses a redirect URI with %s and writes nothing', async (_label, uri) => {
    const before = await as(org.key, 'GET', '/v1/oauth-apps');
    const res = await as(org.key, 'POST', '/v1/oauth-apps', registration({ redirect_uris: [uri] }));
    expectError(res, 400, 'invalid_redirect_uri', uri);
    const after = await as(org.key, 'GET', '/v1/oauth-apps');
    expect(after.json().total_count).toBe(before.json().total_count);
  });

  it('refuses a duplicate name with 409, and a logo that is not https', async () => {
    const app = registration();
    await register(app);
    expectError(await as(org.key, 'POST', '/v1/oauth-apps', app), 409, 'duplicate_resource', 'same name');
    const logo = registration({ logo_url: 'http://planner.example.com/logo.png' });
    expectError(await as(org.key, 'POST', '/v1/oauth-apps', logo), 400, 'invalid_parameters', 'http logo');
  });

  it('refuses text PostgreSQL cannot store with 400', async () => {
    const res = await as(org.key, 'POST', '/v1/oauth-apps', registration({ description: 'a\u0000b' }));
    expectError(res, 400, 'invalid_parameters', 'NUL');
    const lone = await as(org.key, 'POST', '/v1/oauth-apps', registration({ name: 'x\ud800' }));
    expectError(lone, 400, 'invalid_parameters', 'lone surrogate');
  });

  it('records the registration in the audit log, without the hash', async () => {
    const app = await register();
    const audit = await as(org.key, 'GET', '/v1/audit-events?action=oauth_app.created&size=100');
    const row = audit.json().data.find((e: { object_id: number }) => e.object_id === app.id);
    expect(row).toBeDefined();
    expect(JSON.stringify(row)).not.toContain(app.client_hash);
  });
});

describe('who manages apps', () => {
  it('refuses a member with 403 and writes nothing', async () => {
    const member = await t.createMember(org);
    expectError(await as(member.key, 'GET', '/v1/oauth-apps'), 403, 'insufficient_access', 'list');
    expectError(
      await as(member.key, 'POST', '/v1/oauth-apps', registration()),
      403,
      'insufficient_access',
      'create',
    );
  });

  it("answers another organisation's app with 404 and leaves it as it was", async () => {
    const app = await register();
    expectError(await as(other.key, 'GET', `/v1/oauth-apps/${app.id}`), 404, 'invalid_resource_id', 'get');
    const patch = await as(other.key, 'PATCH', `/v1/oauth-apps/${app.id}`, { name: 'Taken over' });
    expectError(patch, 404, 'invalid_resource_id', 'patch');
    expectError(await as(other.key, 'DELETE', `/v1/oauth-apps/${app.id}`), 404, 'invalid_resource_id', 'del');
    const read = await as(org.key, 'GET', `/v1/oauth-apps/${app.id}`);
    expect(read.json().data.name).not.toBe('Taken over');
  });
});

describe('changing, rotating and deleting', () => {
  it('changes the redirect URIs, checking each', async () => {
    const app = await register();
    const uris = ['https://new.example.com/cb'];
    const ok = await as(org.key, 'PATCH', `/v1/oauth-apps/${app.id}`, { redirect_uris: uris });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().data.redirect_uris).toEqual(uris);
    const bad = await as(org.key, 'PATCH', `/v1/oauth-apps/${app.id}`, {
      redirect_uris: ['ftp://x.example'],
    });
    expectError(bad, 400, 'invalid_redirect_uri', 'ftp');
  });

  it('rotates the hash: the new one is shown once, the old one expires after the overlap', async () => {
    const app = await register();
    const res = await as(org.key, 'POST', `/v1/oauth-apps/${app.id}/rotate-client-hash`, {
      overlap_seconds: 3600,
    });
    expect(res.statusCode, res.body).toBe(200);
    const rotated = res.json().data;
    expect(rotated.client_hash).toMatch(/^twh_/);
    expect(rotated.client_hash).not.toBe(app.client_hash);
    const ends = Date.parse(rotated.previous_client_hash_expires_at);
    expect(ends - Date.now()).toBeGreaterThan(3500_000);
    expect(ends - Date.now()).toBeLessThanOrEqual(3600_000);
  });

  it('deletes an app: gone from reads and lists', async () => {
    const app = await register();
    const res = await as(org.key, 'DELETE', `/v1/oauth-apps/${app.id}`);
    expect(res.statusCode, res.body).toBe(200);
    expectError(await as(org.key, 'GET', `/v1/oauth-apps/${app.id}`), 404, 'invalid_resource_id', 'after');
    const list = await as(org.key, 'GET', '/v1/oauth-apps?size=100');
    expect(list.json().data.map((a: { id: number }) => a.id)).not.toContain(app.id);
  });

  it('keeps test-mode apps in the sandbox: a test key neither sees nor reaches a live app', async () => {
    const live = await register();
    const testKey = (await t.createMember(org, { role: 'admin', mode: 'test' })).key;
    expectError(await as(testKey, 'GET', `/v1/oauth-apps/${live.id}`), 404, 'invalid_resource_id', 'test');
    const made = await as(testKey, 'POST', '/v1/oauth-apps', registration());
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json().data.mode).toBe('test');
  });
});
