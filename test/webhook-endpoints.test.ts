import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkEndpointUrl, parseAllowList } from '../src/domain/webhooks/addresses.js';
import { type Member, type Org, startTestApp, type TestApp } from './harness.js';

let t: TestApp;
let org: Org;
let other: Org;
let member: Member;

beforeAll(async () => {
  // No allow-list: the server's defaults, as a deployment without TRELLIS_WEBHOOK_ALLOW has them.
  t = await startTestApp();
  org = await t.createOrg();
  other = await t.createOrg();
  member = await t.createMember(org);
});
afterAll(() => t?.close());

const call = (key: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
  t.request(key, { method, url, ...(payload && { payload }) });

const create = async (key: string, body: object) => {
  const res = await call(key, 'POST', '/v1/webhook-endpoints', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json().data;
};

describe('webhook endpoints', () => {
  it('shows the signing secret once, in Standard Webhooks format, and never on a read', async () => {
    const made = await create(org.key, { url: 'https://example.com/a', event_types: ['goal.created'] });
    expect(made.signing_secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const read = await call(org.key, 'GET', `/v1/webhook-endpoints/${made.id}`);
    expect(read.json().data).toMatchObject({ url: 'https://example.com/a', event_types: ['goal.created'] });
    expect(read.body).not.toContain(made.signing_secret);
    const list = await call(org.key, 'GET', '/v1/webhook-endpoints');
    expect(list.body).not.toContain('whsec_');
  });

  it('changes, rotates and deletes an endpoint, each audited without its secret', async () => {
    const made = await create(org.key, { url: 'https://example.com/b' });
    const changed = await call(org.key, 'PATCH', `/v1/webhook-endpoints/${made.id}`, {
      url: 'https://example.org/b',
      event_types: ['milestone.checked_in'],
      enabled: false,
    });
    expect(changed.json().data).toMatchObject({
      url: 'https://example.org/b',
      event_types: ['milestone.checked_in'],
      enabled: false,
    });
    const rotated = await call(org.key, 'POST', `/v1/webhook-endpoints/${made.id}/rotate`);
    expect(rotated.statusCode).toBe(200);
    expect(rotated.json().data.signing_secret).toMatch(/^whsec_/);
    expect(rotated.json().data.signing_secret).not.toBe(made.signing_secret);
    expect((await call(org.key, 'DELETE', `/v1/webhook-endpoints/${made.id}`)).statusCode).toBe(200);
    expect((await call(org.key, 'GET', `/v1/webhook-endpoints/${made.id}`)).statusCode).toBe(404);
    const audit = await call(org.key, 'GET', `/v1/audit-events?object_id=${made.id}`);
    expect(audit.json().data.map((e: { action: string }) => e.action)).toEqual([
      'webhook_endpoint.created',
      'webhook_endpoint.updated',
      'webhook_endpoint.rotated',
      'webhook_endpoint.deleted',
    ]);
    expect(audit.body).not.toContain('whsec_');
  });

  it.each([
    ['plain http', 'http://example.com/hook'],
    ['loopback, not on the allow-list', 'https://127.0.0.1/hook'],
    ['loopback over http', 'http://127.0.0.1:8080/hook'],
    ['IPv6 loopback', 'https://[::1]/hook'],
    ['a private network', 'https://10.1.2.3/hook'],
    ['the metadata address', 'https://169.254.169.254/latest/meta-data'],
    ['localhost', 'https://localhost/hook'],
    ['credentials in the URL', 'https://user:secret@example.com/hook'],
    ['no URL at all', 'not a url'],
  ])('refuses %s with invalid_endpoint_url and writes nothing', async (_why, url) => {
    const before = (await call(org.key, 'GET', '/v1/webhook-endpoints')).json().total_count;
    const res = await call(org.key, 'POST', '/v1/webhook-endpoints', { url });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json()).toMatchObject({ error: 'invalid_endpoint_url', request_id: expect.any(String) });
    expect((await call(org.key, 'GET', '/v1/webhook-endpoints')).json().total_count).toBe(before);
  });

  it('makes an endpoint disabled when asked, and audits that it was', async () => {
    const made = await create(org.key, { url: 'https://example.com/off', enabled: false });
    expect(made.enabled).toBe(false);
    const read = await call(org.key, 'GET', `/v1/webhook-endpoints/${made.id}`);
    expect(read.json().data.enabled).toBe(false);
    const audit = await call(
      org.key,
      'GET',
      `/v1/audit-events?object_id=${made.id}&action=webhook_endpoint.created`,
    );
    expect(audit.json().data[0].changes).toMatchObject({ enabled: false });
  });

  it('lists the event types an endpoint may subscribe to, each one it accepts', async () => {
    const res = await call(org.key, 'GET', '/v1/webhook-event-types');
    expect(res.statusCode, res.body).toBe(200);
    const types = res.json().data as { type: string; object_type: string; description: string }[];
    expect(types).toContainEqual(expect.objectContaining({ type: 'goal.created', object_type: 'goal' }));
    // Internal events are not offered: an endpoint could not subscribe to them.
    expect(types.map((e) => e.type)).not.toContain('user.signed_in');
    const made = await create(org.key, {
      url: 'https://example.com/all',
      event_types: types.map((e) => e.type),
    });
    expect(made.event_types).toHaveLength(types.length);
  });

  it('refuses an event type that is not an outbound event, and text PostgreSQL cannot store', async () => {
    const unknown = await call(org.key, 'POST', '/v1/webhook-endpoints', {
      url: 'https://example.com/c',
      event_types: ['user.signed_in'],
    });
    expect(unknown.statusCode).toBe(400);
    const nul = await call(org.key, 'POST', '/v1/webhook-endpoints', { url: 'https://example.com/\u0000' });
    expect(nul.statusCode).toBe(400);
  });
});

describe('who manages endpoints', () => {
  it('refuses a member every webhook route with 403', async () => {
    const made = await create(org.key, { url: 'https://example.com/d' });
    for (const [method, url] of [
      ['GET', '/v1/webhook-endpoints'],
      ['POST', '/v1/webhook-endpoints'],
      ['PATCH', `/v1/webhook-endpoints/${made.id}`],
      ['DELETE', `/v1/webhook-endpoints/${made.id}`],
      ['POST', `/v1/webhook-endpoints/${made.id}/ping`],
      ['GET', '/v1/events'],
      ['GET', '/v1/webhook-event-types'],
      ['GET', '/v1/webhook-deliveries'],
    ] as const) {
      const res = await call(
        member.key,
        method,
        url,
        method === 'GET' ? undefined : { url: 'https://e.com' },
      );
      expect(res.statusCode, `${method} ${url}`).toBe(403);
    }
    expect((await call(org.key, 'GET', `/v1/webhook-endpoints/${made.id}`)).json().data.url).toBe(
      'https://example.com/d',
    );
  });

  it("answers another organisation's endpoint with 404 and changes nothing", async () => {
    const theirs = await create(other.key, { url: 'https://example.com/theirs' });
    expect((await call(org.key, 'GET', `/v1/webhook-endpoints/${theirs.id}`)).statusCode).toBe(404);
    const patch = await call(org.key, 'PATCH', `/v1/webhook-endpoints/${theirs.id}`, { enabled: false });
    expect(patch.statusCode).toBe(404);
    expect((await call(org.key, 'POST', `/v1/webhook-endpoints/${theirs.id}/ping`)).statusCode).toBe(404);
    expect((await call(other.key, 'GET', `/v1/webhook-endpoints/${theirs.id}`)).json().data.enabled).toBe(
      true,
    );
  });

  it('lets an allow-list admit loopback over http, but never the metadata address', () => {
    const allow = parseAllowList(['127.0.0.0/8', '169.254.0.0/16']);
    expect(checkEndpointUrl('http://127.0.0.1:9/hook', allow)).toBe('http://127.0.0.1:9/hook');
    expect(() => checkEndpointUrl('https://169.254.169.254/latest', allow)).toThrow(/metadata/);
    expect(() => checkEndpointUrl('http://10.0.0.1/hook', allow)).toThrow(/https/);
  });
});

describe('events', () => {
  it('lists outbound events by type and since, in the key’s mode only', async () => {
    const since = new Date().toISOString();
    const made = await call(org.key, 'POST', '/v1/periods', {
      name: 'Outbound Q1',
      starts_on: '2031-01-01',
      ends_on: '2031-03-31',
    });
    expect(made.statusCode, made.body).toBe(201);
    const res = await call(org.key, 'GET', `/v1/events?type=period.created&since=${since}`);
    expect(res.json().data).toEqual([
      expect.objectContaining({ type: 'period.created', object_id: made.json().data.id }),
    ]);
    const signIns = await call(org.key, 'GET', '/v1/events?type=user.signed_in');
    expect(signIns.json().data).toEqual([]);
  });
});
