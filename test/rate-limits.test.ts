import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import type { Face } from '../src/faces/face.js';
import { nativeFace } from '../src/faces/native/index.js';
import { principalOf, schemeCredential } from '../src/http/auth.js';
import type { App } from '../src/http/instance.js';
import { addressKey, type RateLimits } from '../src/http/rate-limit.js';
import { expectError } from './envelope-assert.js';
import { type Org, startTestApp, type TestApp } from './harness.js';

/** Limits small enough to reach in a test; each case calls from its own address so that they do not mix. */
const PER_KEY = 3;
const PER_ADDRESS = 8;

/** A second face reading the same keys another way: one key has one budget whichever face it calls. */
const tinyFace: Face = {
  prefix: '/tiny',
  readCredential: schemeCredential('Token'),
  answerError: (request, error) => ({
    status: error.status,
    body: { ok: false, code: error.code, request: request.id },
  }),
  routes(app) {
    app.get('/me', async (request) => ({ ok: true, user: principalOf(request).userId }));
  },
};

let t: TestApp;
let org: Org;
let addresses = 0;
/** A fresh client address, so that a case starts with the whole per-address budget. */
const newAddress = () => `10.0.${Math.floor(++addresses / 250)}.${addresses % 250}`;

beforeAll(async () => {
  t = await startTestApp({
    faces: [nativeFace, tinyFace],
    rateLimit: { perKey: PER_KEY, perAddress: PER_ADDRESS },
  });
  org = await t.createOrg();
}, 300_000);
/** Apps built on the suite's database with other limits; closed with it. */
const apps: App[] = [];
const build = async (rateLimit: RateLimits | null) => {
  const app = await buildApp({ db: t.db, rateLimit });
  apps.push(app);
  return app;
};
let off: Promise<App> | undefined;
/** An app as serve builds it with both limits turned off. */
const unlimited = () => {
  off ??= build(
    loadConfig({ TRELLIS_RATE_LIMIT_PER_KEY: 'off', TRELLIS_RATE_LIMIT_PER_ADDRESS: '0' }).rateLimit,
  );
  return off;
};
afterAll(async () => {
  await Promise.all(apps.map((app) => app.close()));
  await t.close();
});

const call = (key: string | null, from: string, options: InjectOptions = { url: '/v1/me' }) =>
  t.request(key, { ...options, remoteAddress: from });

/** A 429 in the envelope, with Retry-After in seconds and the limit's headers. */
function expectLimited(res: LightMyRequestResponse, whose: string, max: number) {
  expectError(res, 429, 'rate_limited');
  expect(res.json().error_description).toContain(`from this ${whose}`);
  const retryAfter = Number(res.headers['retry-after']);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(res.headers['x-ratelimit-limit']).toBe(String(max));
  expect(res.headers['x-ratelimit-remaining']).toBe('0');
  expect(res.headers['x-ratelimit-reset']).toBe(String(retryAfter));
  expect(res.headers['x-content-type-options']).toBe('nosniff');
}

// Each case builds apps of its own: a minute or more on a busy shared machine, none of it asserted.
describe('the per-key limit', { timeout: 120_000 }, () => {
  it('answers 429 past the limit, with Retry-After and the request id, and counts down before it', async () => {
    const member = await t.createMember(org);
    const from = newAddress();
    for (let left = PER_KEY - 1; left >= 0; left--) {
      const res = await call(member.key, from);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['x-ratelimit-remaining']).toBe(String(left));
      expect(res.headers['x-ratelimit-limit']).toBe(String(PER_KEY));
    }
    const refused = await call(member.key, from, {
      url: '/v1/me',
      headers: { 'x-request-id': 'slow-down-1' },
    });
    expectLimited(refused, 'API key', PER_KEY);
    expect(refused.json().request_id).toBe('slow-down-1');
  });

  it('leaves another key alone, from the same address', async () => {
    const [busy, calm] = [await t.createMember(org), await t.createMember(org)];
    const from = newAddress();
    for (let i = 0; i < PER_KEY; i++) await call(busy.key, from);
    expectLimited(await call(busy.key, from), 'API key', PER_KEY);
    expect((await call(calm.key, from)).statusCode).toBe(200);
  });

  it('follows the key to other addresses and other faces: one key, one budget', async () => {
    const member = await t.createMember(org);
    for (let i = 0; i < PER_KEY; i++) expect((await call(member.key, newAddress())).statusCode).toBe(200);
    const other = await t.app.inject({
      url: '/tiny/me',
      remoteAddress: newAddress(),
      headers: { authorization: `Token ${member.key}` },
    });
    // Refused in the other face's own error body, with the same headers.
    expect(other.statusCode).toBe(429);
    expect(other.json()).toEqual({ ok: false, code: 'rate_limited', request: other.headers['x-request-id'] });
    expect(Number(other.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });

  it('refuses before anything is written: a POST past the limit creates nothing, and its Idempotency-Key stays free', async () => {
    const admin = await t.createMember(org, { role: 'super_admin' });
    const from = newAddress();
    for (let i = 0; i < PER_KEY; i++) await call(admin.key, from);
    const email = `limited-${Date.now()}@example.com`;
    const post: InjectOptions = {
      method: 'POST',
      url: '/v1/users',
      headers: { 'idempotency-key': `limited-${Date.now()}` },
      payload: { email, first_name: 'Late', last_name: 'Comer' },
    };
    expectLimited(await call(admin.key, from, post), 'API key', PER_KEY);
    const users = await t.db.selectFrom('users').select('id').where('email', '=', email).execute();
    expect(users).toEqual([]);
    const audit = await t.db
      .selectFrom('audit_events')
      .select('id')
      .where('org_id', '=', org.orgId)
      .where('api_key_id', '=', (await keyOf(admin.id)).id)
      .execute();
    expect(audit).toEqual([]);
    // The same request on a server without limits runs for real: the refusal did not take its key.
    const res = await (await unlimited()).inject({
      ...post,
      headers: { ...post.headers, authorization: `Bearer ${admin.key}` },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.headers['idempotent-replayed']).toBeUndefined();
  });
});

/** The key a member was given by the harness (each member has one). */
const keyOf = (userId: number) =>
  t.db
    .selectFrom('api_keys')
    .select(['id', 'last_used_at'])
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();

describe('the per-address limit', { timeout: 120_000 }, () => {
  it('catches a flood of bad keys, then refuses even a good key from there without looking it up', async () => {
    const member = await t.createMember(org);
    const from = newAddress();
    for (let i = 0; i < PER_ADDRESS; i++) {
      expectError(await call(`tw_live_guess${i}`, from), 401, 'invalid_access_token');
    }
    expectLimited(await call(`tw_live_guess${PER_ADDRESS}`, from), 'address', PER_ADDRESS);
    expectLimited(await call(member.key, from), 'address', PER_ADDRESS);
    expectLimited(await call(null, from), 'address', PER_ADDRESS);
    expectLimited(await call(null, from, { url: '/no/such/route' }), 'address', PER_ADDRESS);
    // Never authenticated: the key's first use would have been recorded.
    expect((await keyOf(member.id)).last_used_at).toBeNull();
    // The same key from elsewhere is fine.
    expect((await call(member.key, newAddress())).statusCode).toBe(200);
  });

  it('counts unauthenticated requests and the public document too, but never the health probes', async () => {
    const from = newAddress();
    for (let i = 0; i < PER_ADDRESS; i++) {
      expect((await call(null, from, { url: '/openapi.json' })).statusCode).toBe(200);
    }
    expectLimited(await call(null, from, { url: '/openapi.json' }), 'address', PER_ADDRESS);
    for (const url of ['/healthz', '/readyz']) {
      const res = await call(null, from, { url });
      expect(res.statusCode).toBe(200);
      expect(res.headers['x-ratelimit-limit']).toBeUndefined();
    }
  });

  it('shows the tighter of the two limits on each answer', async () => {
    const member = await t.createMember(org);
    const from = newAddress();
    // Key: 3 a minute, address: 8. After one call the key has 2 left, the address 7: the key's count shows.
    const res = await call(member.key, from);
    expect(res.headers['x-ratelimit-limit']).toBe(String(PER_KEY));
    expect(res.headers['x-ratelimit-remaining']).toBe(String(PER_KEY - 1));
  });

  it('reads the address as TRELLIS_TRUST_PROXY says: a forged X-Forwarded-For dodges nothing', async () => {
    const from = newAddress();
    const forged = (i: number) => ({ url: '/v1/me', headers: { 'x-forwarded-for': `203.0.113.${i}` } });
    // The suite's app trusts no proxy: every request counts against the peer, whatever it claims.
    for (let i = 0; i < PER_ADDRESS; i++) await call(null, from, forged(i));
    expectLimited(await call(null, from, forged(99)), 'address', PER_ADDRESS);

    // Behind a trusted proxy, each client it forwards for has its own count.
    const behindProxy = await buildApp({
      db: t.db,
      trustProxy: loadConfig({ TRELLIS_TRUST_PROXY: '10.9.0.0/16' }).trustProxy,
      rateLimit: { perKey: null, perAddress: 2 },
    });
    apps.push(behindProxy);
    const via = (client: string) =>
      behindProxy.inject({
        url: '/v1/me',
        remoteAddress: '10.9.0.1',
        headers: { 'x-forwarded-for': client },
      });
    expect((await via('203.0.113.1')).statusCode).toBe(401);
    expect((await via('203.0.113.1')).statusCode).toBe(401);
    expectLimited(await via('203.0.113.1'), 'address', 2);
    expect((await via('203.0.113.2')).statusCode).toBe(401);
  });

  it('counts an IPv6 client by its /64, and an IPv4-mapped address as IPv4', () => {
    expect(addressKey('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:DB8:1:2::7')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:0db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(addressKey('192.0.2.7')).toBe('192.0.2.7');
  });

  it('refuses a flood spread over one IPv6 /64', async () => {
    const member = await t.createMember(org);
    for (let i = 1; i <= PER_ADDRESS; i++) await call(member.key, `2001:db8:77:1::${i.toString(16)}`);
    expectLimited(await call(null, '2001:db8:77:1::ffff'), 'address', PER_ADDRESS);
    expect((await call(null, '2001:db8:77:2::1')).statusCode).toBe(401);
  });
});

describe('configuration', { timeout: 120_000 }, () => {
  it('turned off (0 or off) limits nothing and sends no limit headers', async () => {
    const app = await unlimited();
    const member = await t.createMember(org);
    for (let i = 0; i < PER_ADDRESS + PER_KEY + 2; i++) {
      const res = await app.inject({ url: '/v1/me', headers: { authorization: `Bearer ${member.key}` } });
      expect(res.statusCode).toBe(200);
      expect(res.headers['x-ratelimit-limit']).toBeUndefined();
    }
  });

  it('is on by default, as serve passes it', async () => {
    const app = await build(loadConfig({}).rateLimit);
    const res = await app.inject({ url: '/v1/me', headers: { authorization: `Bearer ${org.key}` } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-ratelimit-limit']).toBe('600');
  });

  it('holds one limit while the other is off, and lets a key in again once its window has passed', async () => {
    const app = await build({ perKey: 1, perAddress: null, windowMs: 300 });
    const members = [await t.createMember(org), await t.createMember(org), await t.createMember(org)];
    const get = (key: string) => app.inject({ url: '/v1/me', headers: { authorization: `Bearer ${key}` } });
    // One address, as many calls as there are keys: no address limit.
    for (const member of members) expect((await get(member.key)).statusCode).toBe(200);
    const refused = await get(members[0]?.key ?? '');
    expectLimited(refused, 'API key', 1);
    expect(refused.headers['retry-after']).toBe('1');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await get(members[0]?.key ?? '')).statusCode).toBe(200);
  });
});
