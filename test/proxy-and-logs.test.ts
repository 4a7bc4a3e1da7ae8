import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import type { App } from '../src/http/instance.js';
import { type Org, startTestApp, type TestApp } from './harness.js';

/** What serve passes to buildApp from the environment: TRELLIS_TRUST_PROXY, and a logger. */
let t: TestApp;
let org: Org;
let trustAll: App;
let trustTenNet: App;
let logged: App;
const lines: string[] = [];

beforeAll(async () => {
  t = await startTestApp();
  org = await t.createOrg();
  for (let i = 0; i < 2; i++) await t.createMember(org);
  const build = (env: Record<string, string>) =>
    buildApp({ db: t.db, trustProxy: loadConfig(env).trustProxy });
  [trustAll, trustTenNet, logged] = await Promise.all([
    build({ TRELLIS_TRUST_PROXY: 'true' }),
    build({ TRELLIS_TRUST_PROXY: '10.0.0.0/8' }),
    buildApp({ db: t.db, logger: { level: 'trace', stream: { write: (line: string) => lines.push(line) } } }),
  ]);
}, 300_000);
afterAll(async () => {
  await Promise.all([trustAll, trustTenNet, logged].map((app) => app?.close()));
  await t.close();
});

describe('TRELLIS_TRUST_PROXY', () => {
  /** The next URL of a one-per-page list, asked through a proxy that says the client used https://okr.example.com. */
  const nextUrl = async (app: App, remoteAddress = '127.0.0.1') => {
    const res = await app.inject({
      url: '/v1/users?size=1',
      remoteAddress,
      headers: {
        authorization: `Bearer ${org.key}`,
        host: 'trellis.internal:8080',
        'x-forwarded-proto': 'https',
        'x-forwarded-host': 'okr.example.com',
      },
    });
    expect(res.statusCode).toBe(200);
    return res.json().next as string;
  };

  it('on: next is built from X-Forwarded-Proto and X-Forwarded-Host', async () => {
    expect(await nextUrl(trustAll)).toBe('https://okr.example.com/v1/users?size=1&page=2');
  });

  it('off (the default): the forwarded headers are ignored', async () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    // The harness builds the app as serve does without the variable.
    expect(await nextUrl(t.app)).toBe('http://trellis.internal:8080/v1/users?size=1&page=2');
  });

  it('a list: only a listed proxy is believed', async () => {
    expect(await nextUrl(trustTenNet, '10.1.2.3')).toBe('https://okr.example.com/v1/users?size=1&page=2');
    expect(await nextUrl(trustTenNet, '203.0.113.9')).toBe(
      'http://trellis.internal:8080/v1/users?size=1&page=2',
    );
  });
});

describe('request logs', () => {
  const parsed = () => lines.splice(0).map((line) => JSON.parse(line) as Record<string, unknown>);

  it('carry the X-Request-Id on every line of the request, and never the API key', async () => {
    parsed();
    const res = await logged.inject({
      url: '/v1/users?size=2',
      headers: { authorization: `Bearer ${org.key}`, 'x-request-id': 'abc-123' },
    });
    expect(res.statusCode).toBe(200);
    const entries = parsed();
    expect(entries.map((e) => e.msg)).toEqual(
      expect.arrayContaining(['incoming request', 'request completed']),
    );
    for (const entry of entries) expect(entry.reqId).toBe('abc-123');
    expect(JSON.stringify(entries)).not.toContain(org.key);
  });

  it('keep a key out of the log even when a client puts it in the query string', async () => {
    parsed();
    const res = await logged.inject({
      url: `/v1/users?size=2&access_token=${org.key}`,
      headers: { 'x-request-id': 'abc-124' },
    });
    expect(res.json().error).toBe('access_token_in_query');
    const entries = parsed();
    expect(entries.length).toBeGreaterThanOrEqual(2);
    for (const entry of entries) expect(entry.reqId).toBe('abc-124');
    expect(JSON.stringify(entries)).not.toContain(org.key);
    // The rest of the URL is still there to debug with.
    expect(entries.find((e) => e.msg === 'incoming request')?.req).toMatchObject({
      url: '/v1/users?size=2&access_token=REDACTED',
    });
  });

  it('do not show a key made through the API', async () => {
    parsed();
    const res = await logged.inject({
      method: 'POST',
      url: '/v1/api-keys',
      headers: { authorization: `Bearer ${org.key}`, 'x-request-id': 'abc-125' },
      payload: { user: org.adminId, name: 'logged key', mode: 'live' },
    });
    expect(res.statusCode).toBe(201);
    const made: string = res.json().data.key;
    expect(made).toMatch(/^tw_live_/);
    const entries = parsed();
    for (const entry of entries) expect(entry.reqId).toBe('abc-125');
    expect(JSON.stringify(entries)).not.toContain(made);
    expect(JSON.stringify(entries)).not.toContain(org.key);
  });
});
