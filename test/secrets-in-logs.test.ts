import { createHash, randomBytes } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKey, hashKey } from '../src/domain/keys/secret.js';
import { type Member, type Org, startTestApp, type TestApp } from './harness.js';
import { loadRoutes } from './route-catalog.js';

/**
 * Issue 13, item 11: secrets are never logged. The app logs at `trace` into memory while requests that carry
 * or hand out API keys run (made, listed, used, refused, sent in the query string, replayed); then no line of
 * the log may hold a key, its SHA-256 (the form the database keeps, in any encoding), or an Authorization value.
 */
let t: TestApp;
let org: Org;
let member: Member;
let sandbox: Member;
const lines: string[] = [];
/** Every plaintext key made or sent during the test. */
const keys = new Set<string>();
/** Every Authorization header value sent. */
const authorizations = new Set<string>();
/** Every password, session cookie, CSRF token and link token of the sign-in requests. */
const signInSecrets = new Set<string>();
/** Every X-Request-Id sent: each must show up in the log. */
const requestIds: string[] = [];

beforeAll(async () => {
  t = await startTestApp({
    logger: {
      level: 'trace',
      stream: { write: (chunk: string) => lines.push(...chunk.split('\n').filter(Boolean)) },
    },
  });
  org = await t.createOrg();
  member = await t.createMember(org);
  sandbox = await t.createMember(org, { mode: 'test' });
  for (const key of [org.key, member.key, sandbox.key]) keys.add(key);
}, 300_000);
afterAll(() => t?.close());

let serial = 0;
/** A request with its own X-Request-Id, noting the key and Authorization value it carries. */
async function call(key: string | null, options: InjectOptions & { authorization?: string }) {
  const id = `secrets-${++serial}`;
  requestIds.push(id);
  const authorization = options.authorization ?? (key ? `Bearer ${key}` : undefined);
  if (key) keys.add(key);
  if (authorization) authorizations.add(authorization);
  return t.app.inject({
    ...options,
    headers: { ...(authorization && { authorization }), 'x-request-id': id, ...options.headers },
  });
}

/** A key the server never made, in the right shape. */
const unknownKey = (mode: 'live' | 'test') => generateKey(mode);

describe('requests that handle secrets', () => {
  it('create, list, read, revoke and reactivate keys, and use them', async () => {
    const made: { id: number; key: string }[] = [];
    for (const [user, mode] of [
      [org.adminId, 'live'],
      [member.id, 'live'],
      [sandbox.id, 'test'],
      [org.adminId, 'test'],
    ] as const) {
      const res = await call(org.key, {
        method: 'POST',
        url: '/v1/api-keys',
        payload: { user, name: `key ${user} ${mode}`, mode },
      });
      expect(res.statusCode, res.body).toBe(201);
      const data = res.json().data as { id: number; key: string };
      expect(data.key).toMatch(mode === 'live' ? /^tw_live_/ : /^tw_test_/);
      keys.add(data.key);
      made.push(data);
    }
    // The super admin's test key makes a test key of its own.
    const adminTestKey = (made[3] as { key: string }).key;
    const byTestKey = await call(adminTestKey, {
      method: 'POST',
      url: '/v1/api-keys',
      payload: { user: org.adminId, name: 'made by a test key' },
    });
    expect(byTestKey.statusCode, byTestKey.body).toBe(201);
    keys.add(byTestKey.json().data.key);

    expect((await call(org.key, { method: 'GET', url: '/v1/api-keys' })).statusCode).toBe(200);
    expect((await call(adminTestKey, { method: 'GET', url: '/v1/api-keys?size=2' })).statusCode).toBe(200);
    const [first, second] = made as [{ id: number; key: string }, { id: number; key: string }];
    expect((await call(org.key, { method: 'GET', url: `/v1/api-keys/${first.id}` })).statusCode).toBe(200);

    expect((await call(second.key, { method: 'GET', url: '/v1/me' })).statusCode).toBe(200);
    const revoke = await call(org.key, { method: 'POST', url: `/v1/api-keys/${second.id}/revoke` });
    expect(revoke.statusCode, revoke.body).toBe(200);
    const revoked = await call(second.key, { method: 'GET', url: '/v1/me' });
    expect(revoked.json().error).toBe('access_token_revoked');
    const again = await call(org.key, { method: 'POST', url: `/v1/api-keys/${second.id}/reactivate` });
    expect(again.statusCode, again.body).toBe(200);
    expect((await call(second.key, { method: 'GET', url: '/v1/users?size=1' })).statusCode).toBe(200);
  });

  it('use keys on every list route, with live and test keys', async () => {
    const { routes } = await loadRoutes(t, '/v1');
    const lists = routes.filter((r) => r.method === 'get' && r.params.length === 0);
    expect(lists.length).toBeGreaterThan(5);
    for (const route of lists) {
      for (const key of [org.key, member.key, sandbox.key]) {
        const res = await call(key, { method: 'GET', url: route.path });
        expect(res.statusCode, `${route.label}: ${res.body}`).toBeLessThan(500);
      }
    }
  });

  it('refuse unknown, revoked and malformed credentials', async () => {
    for (const key of [unknownKey('live'), unknownKey('test')]) {
      const res = await call(key, { method: 'GET', url: '/v1/me' });
      expect(res.json().error).toBe('invalid_access_token');
    }
    const lower = unknownKey('live');
    keys.add(lower);
    expect(
      (await call(null, { method: 'GET', url: '/v1/me', authorization: `bearer ${lower}` })).statusCode,
    ).toBe(401);
    // Not the Bearer scheme: refused, and its value stays out of the log too.
    const basic = `Basic ${Buffer.from(`${org.key}:`).toString('base64')}`;
    expect((await call(null, { method: 'GET', url: '/v1/me', authorization: basic })).statusCode).toBe(401);
    const tooLong = `Bearer tw_live_${randomBytes(200).toString('base64url')}`;
    expect((await call(null, { method: 'GET', url: '/v1/me', authorization: tooLong })).statusCode).toBe(401);
  });

  it('refuse a key in the query string under any credential name, with or without a header', async () => {
    for (const name of ['access_token', 'api_key', 'TOKEN', 'key', 'ApiKey']) {
      for (const header of [null, org.key]) {
        const res = await call(header, { method: 'GET', url: `/v1/users?size=2&${name}=${member.key}` });
        expect(res.statusCode, res.body).toBe(400);
        expect(res.json().error).toBe('access_token_in_query');
      }
    }
    // On a write, on an unknown route, twice in one URL, percent-encoded, and on a URL the router refuses.
    const refused = [
      { method: 'POST', url: `/v1/users?access_token=${org.key}`, payload: { email: 'x@example.com' } },
      { method: 'GET', url: `/v1/no-such-route?access_token=${org.key}` },
      { method: 'GET', url: `/v1/users?access_token=${org.key}&access_token=${member.key}` },
      { method: 'GET', url: `/v1/users?access%5Ftoken=${org.key.replaceAll('_', '%5F')}` },
      { method: 'GET', url: `/v1/goals/%FF?access_token=${org.key}` },
    ] as const;
    for (const options of refused) {
      const res = await call(null, options);
      expect(res.statusCode, `${options.method} ${options.url}: ${res.body}`).toBe(
        options.url.includes('no-such-route') ? 404 : 400,
      );
    }
  });

  it('keep a key a client put in the wrong place of the URL out of the log too', async () => {
    // Not a credential name, so not refused as one: a script that pasted its key into the wrong variable.
    const misplaced = [
      `/v1/users?email=${org.key}`,
      `/v1/users/${member.key}`,
      `/v1/users?size=1;access_token=${org.key}`,
      `/v1/users;access_token=${org.key}`,
      `/v1/users?auth=${org.key.replaceAll('_', '%5F')}`,
      `/v1/users?access_token%00=${org.key}`,
    ];
    for (const url of misplaced) {
      const res = await call(org.key, { method: 'GET', url });
      expect(res.statusCode, `${url}: ${res.body}`).toBeLessThan(500);
    }
  });

  it('replay POST /v1/api-keys from its redacted copy, and refuse the key with another body', async () => {
    const headers = { 'idempotency-key': 'make-one-key' };
    const payload = { user: member.id, name: 'idempotent key', mode: 'live' };
    const first = await call(org.key, { method: 'POST', url: '/v1/api-keys', payload, headers });
    expect(first.statusCode, first.body).toBe(201);
    keys.add(first.json().data.key);
    const replay = await call(org.key, { method: 'POST', url: '/v1/api-keys', payload, headers });
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json().data.key).toBeNull();
    const other = await call(org.key, {
      method: 'POST',
      url: '/v1/api-keys',
      payload: { ...payload, name: 'another' },
      headers,
    });
    expect(other.json().error).toBe('idempotency_key_reused');
  });

  it('create, rotate and use a metric webhook: its URL and signing secret are secrets too', async () => {
    const goal = await call(org.key, {
      method: 'POST',
      url: '/v1/goals',
      payload: {
        name: 'Hooked',
        starts_on: '2020-01-01',
        ends_on: '2099-12-31',
        milestones: [{ name: 'Metric', start_value: 0, target_value: 10 }],
      },
    });
    expect(goal.statusCode, goal.body).toBe(201);
    const made = await call(org.key, {
      method: 'POST',
      url: '/v1/metric-hooks',
      payload: { name: 'Logged?', milestone_id: goal.json().data.milestones[0].id },
    });
    expect(made.statusCode, made.body).toBe(201);
    const rotated = await call(org.key, {
      method: 'POST',
      url: `/v1/metric-hooks/${made.json().data.id}/rotate`,
    });
    const issuedBoth = [made.json().data, rotated.json().data] as { url: string; signing_secret: string }[];
    for (const [i, issued] of issuedBoth.entries()) {
      const path = new URL(issued.url).pathname;
      keys.add(path.split('/').pop() as string);
      keys.add(issued.signing_secret);
      const payload = JSON.stringify({ action: 'set', value: 3 });
      const id = `msg_${randomBytes(8).toString('hex')}`;
      const at = new Date();
      const res = await call(null, {
        method: 'POST',
        url: path,
        payload,
        headers: {
          'content-type': 'application/json',
          'webhook-id': id,
          'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
          'webhook-signature': new Webhook(issued.signing_secret).sign(id, at, payload),
        },
      });
      // The first URL was rotated away (404); the second takes the update.
      expect(res.statusCode, res.body).toBe(i === 0 ? 404 : 200);
    }
  });

  it("create a datastream on WorkBoard's face and push to it: its private key is a secret too", async () => {
    const goal = await call(org.key, {
      method: 'POST',
      url: '/v1/goals',
      payload: {
        name: 'Streamed',
        starts_on: '2020-01-01',
        ends_on: '2099-12-31',
        milestones: [{ name: 'Metric', start_value: 0, target_value: 10 }],
      },
    });
    expect(goal.statusCode, goal.body).toBe(201);
    const made = await call(org.key, {
      method: 'POST',
      url: '/wb/apis/stream',
      payload: { stream_name: 'Logged?', metric_id: goal.json().data.milestones[0].id },
    });
    expect(made.statusCode, made.body).toBe(200);
    const { stream_id, stream_private_key } = made.json().data.stream as {
      stream_id: string;
      stream_private_key: string;
    };
    // The push key (stream_id, ds_…) is in the push URL: the access log blanks it as it does a hook's hk_ token.
    keys.add(stream_id);
    keys.add(stream_private_key);
    const pushed = await call(null, {
      method: 'POST',
      url: `/wb/apis/stream/${stream_id}`,
      payload: JSON.stringify({ data: { stream: { connector: { connector_data: { value: '4' } } } } }),
      headers: { 'content-type': 'application/json', 'x-stream-signature': stream_private_key },
    });
    expect(pushed.statusCode, pushed.body).toBe(200);
    expect((await call(org.key, { method: 'GET', url: '/wb/apis/stream' })).statusCode).toBe(200);
  });

  it('run bulk uploads and answer errors', async () => {
    const users = await call(org.key, {
      method: 'POST',
      url: '/v1/users/bulk',
      payload: {
        users: [1, 2].map((n) => ({ email: `bulk${n}@example.com`, first_name: 'B', last_name: `${n}` })),
      },
    });
    expect(users.statusCode, users.body).toBeLessThan(300);
    const csv = await call(org.key, {
      method: 'POST',
      url: '/v1/users/bulk',
      payload: 'email,first_name,last_name\ncsv1@example.com,C,One\n',
      headers: { 'content-type': 'text/csv' },
    });
    expect(csv.statusCode, csv.body).toBeLessThan(300);
    const goals = await call(org.key, {
      method: 'POST',
      url: '/v1/goals/bulk',
      payload: {
        rows: [{ type: 'goal', name: 'Bulk goal', start_date: '2027-01-01', end_date: '2027-06-30' }],
      },
    });
    expect(goals.statusCode, goals.body).toBeLessThan(300);

    const invalid = await call(org.key, { method: 'POST', url: '/v1/users', payload: { email: 5 } });
    expect(invalid.statusCode).toBe(400);
    const malformed = await call(org.key, {
      method: 'POST',
      url: '/v1/api-keys',
      payload: '{"user": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.statusCode).toBe(400);
    expect((await call(org.key, { method: 'GET', url: '/v1/users/999999999' })).statusCode).toBe(404);
    expect((await call(org.key, { method: 'GET', url: '/v1/api-keys/999999999' })).statusCode).toBe(404);
    const duplicate = await call(org.key, {
      method: 'POST',
      url: '/v1/users',
      payload: { email: 'bulk1@example.com', first_name: 'B', last_name: 'Again' },
    });
    expect(duplicate.statusCode).toBe(409);
    const forbidden = await call(member.key, {
      method: 'POST',
      url: '/v1/api-keys',
      payload: { user: member.id, name: 'not allowed' },
    });
    expect(forbidden.statusCode).toBe(403);
  });
});

describe('sign-in requests', () => {
  it('invite, set and change passwords, sign in and out, reset, with right and wrong secrets', async () => {
    const password = 'a secret passphrase for the log test';
    const wrong = 'a wrong passphrase for the log test';
    const changed = 'a changed passphrase for the log test';
    const reset = 'a reset passphrase for the log test';
    for (const secret of [password, wrong, changed, reset]) signInSecrets.add(secret);
    /** The link of the nth mail, waiting for it: a reset is mailed after its answer. */
    const linkOfMail = async (n: number) => {
      const deadline = Date.now() + 5000;
      while (t.mail.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const link = /\/auth\/\S+\/(twl_[\w-]+)/.exec(t.mail[n - 1]?.text ?? '');
      if (!link?.[0] || !link[1]) throw new Error('no link mailed');
      signInSecrets.add(link[1]);
      return link[0];
    };
    const mailed = t.mail.length;
    const invite = await call(org.key, { method: 'POST', url: `/v1/users/${member.id}/invitation` });
    expect(invite.statusCode, invite.body).toBe(202);
    const link = await linkOfMail(mailed + 1);
    expect((await call(null, { method: 'GET', url: link })).statusCode).toBe(200);
    expect((await call(null, { method: 'POST', url: link, payload: { password: 'short' } })).statusCode).toBe(
      422,
    );
    expect((await call(null, { method: 'POST', url: link, payload: { password } })).statusCode).toBe(200);
    expect((await call(null, { method: 'POST', url: link, payload: { password } })).statusCode).toBe(400);
    const refused = await call(null, {
      method: 'POST',
      url: '/auth/sign-in',
      payload: { email: member.email, password: wrong },
    });
    expect(refused.statusCode).toBe(401);
    const form = await call(null, {
      method: 'POST',
      url: '/auth/sign-in',
      payload: new URLSearchParams({ email: member.email, password: wrong }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.statusCode).toBe(401);
    const signedIn = await call(null, {
      method: 'POST',
      url: '/auth/sign-in',
      payload: { email: member.email, password },
    });
    expect(signedIn.statusCode, signedIn.body).toBe(200);
    const cookie = signedIn.cookies.find((c) => c.name === '__Host-trellis_session');
    const csrf = signedIn.json().data.csrf_token as string;
    if (!cookie) throw new Error('no session cookie');
    signInSecrets.add(cookie.value);
    signInSecrets.add(csrf);
    const headers = { cookie: `${cookie.name}=${cookie.value}` };
    expect((await call(null, { method: 'GET', url: '/v1/me', headers })).statusCode).toBe(200);
    expect((await call(null, { method: 'GET', url: '/auth/session', headers })).statusCode).toBe(200);
    const noCsrf = await call(null, {
      method: 'PUT',
      url: '/v1/me/password',
      payload: { current_password: password, new_password: changed },
      headers,
    });
    expect(noCsrf.statusCode).toBe(403);
    const change = await call(null, {
      method: 'PUT',
      url: '/v1/me/password',
      payload: { current_password: password, new_password: changed },
      headers: { ...headers, 'x-csrf-token': csrf },
    });
    expect(change.statusCode, change.body).toBe(200);
    expect((await call(null, { method: 'GET', url: '/v1/me', headers })).statusCode).toBe(401);
    expect(
      (await call(null, { method: 'POST', url: '/auth/password-reset', payload: { email: member.email } }))
        .statusCode,
    ).toBe(202);
    const resetLink = await linkOfMail(mailed + 2);
    expect(
      (await call(null, { method: 'POST', url: resetLink, payload: { password: reset } })).statusCode,
    ).toBe(200);
    const again = await call(null, {
      method: 'POST',
      url: '/auth/sign-in',
      payload: { email: member.email, password: reset },
    });
    const second = again.cookies.find((c) => c.name === '__Host-trellis_session');
    if (!second) throw new Error('no session cookie');
    signInSecrets.add(second.value);
    signInSecrets.add(again.json().data.csrf_token);
    const out = await call(null, {
      method: 'POST',
      url: '/auth/sign-out',
      headers: { cookie: `${second.name}=${second.value}`, 'x-csrf-token': again.json().data.csrf_token },
      payload: {},
    });
    expect(out.statusCode, out.body).toBe(204);
    expect(
      (await call(null, { method: 'GET', url: '/auth/invitations/twl_made-up-token-for-the-log' }))
        .statusCode,
    ).toBe(400);
    signInSecrets.add('twl_made-up-token-for-the-log');
  });
});

describe('the log', () => {
  /** Every form a key's hash may take in text. */
  const hashesOf = (key: string) => {
    const hash = hashKey(key);
    const hex = hash.toString('hex');
    return [hex, hex.toUpperCase(), hash.toString('base64'), hash.toString('base64url')];
  };

  it('was written at trace, with every request id', () => {
    expect(t.app.log.level).toBe('trace');
    expect(lines.length).toBeGreaterThan(requestIds.length);
    const entries = lines.map((line) => JSON.parse(line) as { reqId?: string; msg?: string });
    const logged = new Set(entries.map((e) => e.reqId));
    for (const id of requestIds) expect(logged, id).toContain(id);
    expect(entries.map((e) => e.msg)).toEqual(
      expect.arrayContaining(['incoming request', 'request completed']),
    );
    expect(keys.size).toBeGreaterThan(10);
  });

  it('holds no key, no hash of a key, no Authorization value', () => {
    const forbidden = new Map<string, string>();
    for (const key of keys) {
      forbidden.set(key, 'a key');
      // Percent-encoded as a URL may carry it (tw%5Flive%5F…).
      for (const encoded of ['%5F', '%5f']) forbidden.set(key.replaceAll('_', encoded), 'a key, encoded');
      for (const hash of hashesOf(key)) forbidden.set(hash, `the hash of ${key.slice(0, 12)}…`);
    }
    for (const value of authorizations) forbidden.set(value, 'an Authorization value');
    forbidden.set('Bearer tw_', 'a bearer token');
    const leaks: string[] = [];
    for (const line of lines) {
      for (const [value, what] of forbidden) {
        if (line.includes(value)) leaks.push(`${what} in ${line.slice(0, 300)}`);
      }
    }
    expect(leaks).toEqual([]);
    // The query string still reaches the log, with the credential blanked out.
    expect(lines.some((line) => line.includes('access_token=REDACTED'))).toBe(true);
    expect(lines.some((line) => line.includes('"url":"/v1/users/REDACTED"'))).toBe(true);
  });

  it('holds no password, session cookie, CSRF token or link token, nor the hash of one', () => {
    expect(signInSecrets.size).toBeGreaterThan(8);
    const leaks: string[] = [];
    for (const secret of signInSecrets) {
      const hash = createHash('sha256').update(secret).digest();
      for (const form of [
        secret,
        hash.toString('hex'),
        hash.toString('base64'),
        hash.toString('base64url'),
      ]) {
        for (const line of lines)
          if (line.includes(form)) leaks.push(`${secret.slice(0, 8)}… in ${line.slice(0, 300)}`);
      }
    }
    expect(leaks).toEqual([]);
    // The link pages are still logged, their token blanked out.
    expect(lines.some((line) => line.includes('"url":"/auth/invitations/REDACTED"'))).toBe(true);
    expect(lines.some((line) => line.includes('"url":"/auth/password-reset/REDACTED"'))).toBe(true);
  });
});
