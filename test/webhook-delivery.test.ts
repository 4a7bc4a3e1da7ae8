import { hostname } from 'node:os';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../src/db/connect.js';
import { operatorPrincipal } from '../src/domain/access/principal.js';
import { recordChange } from '../src/domain/changes.js';
import { inTransaction } from '../src/domain/transactions.js';
import { NO_EXCEPTIONS, parseAllowList } from '../src/domain/webhooks/addresses.js';
import { claimDue } from '../src/jobs/deliveries.js';
import { outboundSender } from '../src/jobs/outbound-http.js';
import { MAX_ATTEMPTS, RETRY_DELAYS_SECONDS } from '../src/jobs/schedule.js';
import { type DeliveryWorker, deliveryWorker } from '../src/jobs/worker.js';
import { goalFixtures } from './goal-fixtures.js';
import { type Org, startTestApp, type TestApp } from './harness.js';
import { type Receiver, startReceiver } from './webhook-receiver.js';

// The tests' receiver listens on loopback, which the allow-list must name (docs/webhooks.md, "SSRF").
const LOOPBACK = parseAllowList(['127.0.0.0/8']);

let t: TestApp;
let org: Org;
let receiver: Receiver;
let f: ReturnType<typeof goalFixtures>;
const workers: DeliveryWorker[] = [];

beforeAll(async () => {
  t = await startTestApp({ webhookAllow: LOOPBACK });
  org = await t.createOrg();
  f = goalFixtures(t);
  receiver = await startReceiver();
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await receiver?.close();
  await t?.close();
});

/** A worker whose retry jitter is fixed at none (random 0.5), so that the schedule is exact. */
const worker = (allow = LOOPBACK) => {
  const made = deliveryWorker({ db: t.db, allow, random: () => 0.5, batchSize: 10 });
  workers.push(made);
  return made;
};

const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
  t.request(org.key, { method, url, ...(payload && { payload }) });

/** An endpoint at the receiver's path; the receiver verifies with its secret. */
async function endpointAt(path: string, body: object = {}) {
  const res = await call('POST', '/v1/webhook-endpoints', { url: receiver.url(path), ...body });
  expect(res.statusCode, res.body).toBe(201);
  const { id, signing_secret } = res.json().data;
  receiver.secrets.set(path, signing_secret);
  return id as number;
}

const deliveriesOf = async (endpointId: number) => {
  const res = await call('GET', `/v1/webhook-deliveries?endpoint_id=${endpointId}&size=100`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().data as Array<Record<string, unknown>>;
};
const onlyDelivery = async (endpointId: number) => {
  const [delivery, ...more] = await deliveriesOf(endpointId);
  expect(more).toEqual([]);
  return delivery as Record<string, unknown>;
};

// Each test leaves no endpoint behind, so that no delivery of its own is claimed by a later test's rounds.
afterEach(async () => {
  const list = await call('GET', '/v1/webhook-endpoints?size=100');
  for (const e of list.json().data) await call('DELETE', `/v1/webhook-endpoints/${e.id}`);
  receiver.answer(() => ({ status: 200, body: 'ok' }));
});

const ping = async (endpointId: number) => {
  const res = await call('POST', `/v1/webhook-endpoints/${endpointId}/ping`);
  expect(res.statusCode, res.body).toBe(202);
  return res.json().data as { id: number; event_id: number };
};

describe('delivering events', () => {
  it('delivers a goal created through the API, signed per Standard Webhooks', async () => {
    const endpoint = await endpointAt('/goals', { event_types: ['goal.created'] });
    const goal = await f.createGoal(org.key, { name: 'Grow revenue', owner_user_id: org.adminId });
    await worker().runOnce();
    const [got, ...more] = receiver.at('/goals');
    expect(more).toEqual([]);
    expect(got).toMatchObject({
      type: 'goal.created',
      verified: true,
      data: { object: 'goal', id: goal.id },
    });
    const delivery = await onlyDelivery(endpoint);
    expect(got?.id).toBe(`evt_${delivery.event_id}`);
    expect(delivery).toMatchObject({
      status: 'succeeded',
      attempt_count: 1,
      last_status_code: 200,
      last_response: 'ok',
      next_attempt_at: null,
    });
    expect(delivery.last_latency_ms).toEqual(expect.any(Number));
  });

  it('sends an endpoint only the event types it subscribes to', async () => {
    await endpointAt('/only-goals', { event_types: ['goal.created'] });
    const goal = await f.createGoal(org.key, { name: 'Subscribed', owner_user_id: org.adminId });
    expect((await call('PATCH', `/v1/goals/${goal.id}`, { name: 'Renamed' })).statusCode).toBe(200);
    await worker().runOnce();
    expect(receiver.at('/only-goals').map((r) => r.type)).toEqual(['goal.created']);
  });

  it('retries a failing endpoint on the schedule, then abandons the delivery', async () => {
    receiver.answer((path) => (path === '/down' ? { status: 500, body: 'down' } : { status: 200 }));
    const endpoint = await endpointAt('/down');
    await ping(endpoint);
    const w = worker();
    let now = Date.now();
    await w.runOnce(now);
    for (const [i, delay] of RETRY_DELAYS_SECONDS.entries()) {
      const failed = await onlyDelivery(endpoint);
      expect(failed).toMatchObject({ status: 'failed', attempt_count: i + 1, last_status_code: 500 });
      expect(failed.last_response).toBe('down');
      expect(failed.next_attempt_at).toBe(new Date(now + delay * 1000).toISOString());
      await w.runOnce(now + delay * 1000 - 1); // not yet due
      expect((await onlyDelivery(endpoint)).attempt_count).toBe(i + 1);
      now += delay * 1000;
      await w.runOnce(now);
    }
    expect(await onlyDelivery(endpoint)).toMatchObject({
      status: 'abandoned',
      attempt_count: MAX_ATTEMPTS,
      next_attempt_at: null,
    });
    expect(receiver.at('/down')).toHaveLength(MAX_ATTEMPTS);
    expect(receiver.at('/down').every((r) => r.verified)).toBe(true);
  });

  it('disables an endpoint that answers 410 Gone, and sends it nothing more', async () => {
    receiver.answer((path) => (path === '/gone' ? { status: 410 } : { status: 200 }));
    const endpoint = await endpointAt('/gone');
    await ping(endpoint);
    await worker().runOnce();
    expect(await onlyDelivery(endpoint)).toMatchObject({ status: 'abandoned', last_status_code: 410 });
    const disabled = (await call('GET', `/v1/webhook-endpoints/${endpoint}`)).json().data;
    expect(disabled).toMatchObject({ enabled: false, disabled_reason: expect.stringContaining('410') });
    await f.createGoal(org.key, { name: 'After 410', owner_user_id: org.adminId });
    await worker().runOnce(Date.now() + 86_400_000);
    expect(receiver.at('/gone')).toHaveLength(1);
    expect(await deliveriesOf(endpoint)).toHaveLength(1);
    const enabled = await call('PATCH', `/v1/webhook-endpoints/${endpoint}`, { enabled: true });
    expect(enabled.json().data).toMatchObject({ enabled: true, disabled_reason: null });
  });

  it('audits the disabling as the worker’s, once, with nothing of the endpoint’s URL or secret', async () => {
    receiver.answer((path) => (path === '/gone-twice' ? { status: 410 } : { status: 200 }));
    const endpoint = await endpointAt('/gone-twice');
    // Two deliveries answered 410 in one round: one disabling, one row.
    await ping(endpoint);
    await ping(endpoint);
    await worker().runOnce();
    expect(receiver.at('/gone-twice')).toHaveLength(2);
    const audit = await call(
      'GET',
      `/v1/audit-events?action=webhook_endpoint.disabled&object_id=${endpoint}`,
    );
    expect(audit.statusCode, audit.body).toBe(200);
    const rows = audit.json().data as Array<{ changes: { delivery_id?: number } }>;
    expect(rows).toHaveLength(1);
    const deliveryIds = (await deliveriesOf(endpoint)).map((d) => d.id);
    expect(rows[0]).toMatchObject({
      actor_user_id: null,
      api_key_id: null,
      request_id: null,
      object_type: 'webhook_endpoint',
      changes: { enabled: { from: true, to: false }, disabled_reason: expect.stringContaining('410') },
    });
    expect(deliveryIds).toContain(rows[0]?.changes.delivery_id);
    const text = JSON.stringify(rows[0]);
    expect(text).not.toContain(receiver.secrets.get('/gone-twice'));
    expect(text).not.toContain('/gone-twice');
  });

  it('follows no redirect: a 3xx is a failed attempt', async () => {
    receiver.answer((path) =>
      path === '/moved' ? { status: 302, headers: { location: receiver.url('/target') } } : { status: 200 },
    );
    const endpoint = await endpointAt('/moved');
    receiver.secrets.set('/target', 'whsec_AAAA');
    await ping(endpoint);
    await worker().runOnce();
    expect(await onlyDelivery(endpoint)).toMatchObject({ status: 'failed', last_status_code: 302 });
    expect(receiver.at('/target')).toEqual([]);
  });

  it('queues a new delivery of the same event on redelivery, with the same webhook-id', async () => {
    const endpoint = await endpointAt('/again');
    const first = await ping(endpoint);
    await worker().runOnce();
    const res = await call('POST', `/v1/webhook-deliveries/${first.id}/redeliver`);
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json().data).toMatchObject({ status: 'pending', event_id: first.event_id, attempt_count: 0 });
    await worker().runOnce();
    expect(receiver.at('/again').map((r) => [r.id, r.type, r.verified])).toEqual([
      [`evt_${first.event_id}`, 'webhook.ping', true],
      [`evt_${first.event_id}`, 'webhook.ping', true],
    ]);
  });
});

describe('the SSRF guard', () => {
  it('refuses at delivery an address the allow-list no longer names, and sends nothing', async () => {
    const endpoint = await endpointAt('/unlisted');
    await ping(endpoint);
    await worker(NO_EXCEPTIONS).runOnce();
    const delivery = await onlyDelivery(endpoint);
    expect(delivery).toMatchObject({ status: 'failed', last_status_code: null });
    expect(delivery.last_error).toMatch(/https|refused/);
    expect(receiver.at('/unlisted')).toEqual([]);
  });

  it('refuses a host name that resolves to loopback, at connect time', async (context) => {
    const name = hostname();
    const resolved = await import('node:dns/promises').then((dns) => dns.lookup(name).catch(() => null));
    if (!resolved?.address.startsWith('127.')) context.skip();
    const url = `https://${name}:${receiver.port}/named`;
    const refused = outboundSender(NO_EXCEPTIONS).post(url, {}, '{}');
    await expect(refused).rejects.toThrow(/refused destination: 127\.[\d.]+ is a loopback/);
    // Allowed by its range, the same name passes the guard and fails later, at TLS (the receiver is http).
    const allowed = outboundSender(LOOPBACK).post(url, {}, '{}');
    await expect(allowed).rejects.not.toThrow(/refused destination/);
    expect(receiver.at('/named')).toEqual([]);
  });

  it('refuses a cloud metadata address even when the allow-list names its range', async () => {
    const sender = outboundSender(parseAllowList(['169.254.0.0/16', 'fd00::/8']));
    await expect(sender.post('https://169.254.169.254/latest', {}, '{}')).rejects.toThrow(/metadata/);
    await expect(sender.post('https://[fd00:ec2::254]/latest', {}, '{}')).rejects.toThrow(/metadata/);
  });
});

describe('workers that stop, crash and run side by side', () => {
  it('loses nothing and delivers nothing twice when a worker stops mid-retry and another starts', async () => {
    let healthy = false;
    receiver.answer((path) => (path === '/flaky' && !healthy ? { status: 503 } : { status: 200 }));
    const endpoint = await endpointAt('/flaky');
    const { event_id } = await ping(endpoint);
    const t0 = Date.now();
    const first = worker();
    await first.runOnce(t0);
    await first.stop();
    healthy = true;
    const second = worker();
    await second.runOnce(t0 + 4_000);
    expect(receiver.at('/flaky')).toHaveLength(1);
    await second.runOnce(t0 + 5_000);
    await second.runOnce(t0 + 86_400_000);
    expect(receiver.at('/flaky').map((r) => [r.id, r.status])).toEqual([
      [`evt_${event_id}`, 503],
      [`evt_${event_id}`, 200],
    ]);
    expect(await onlyDelivery(endpoint)).toMatchObject({ status: 'succeeded', attempt_count: 2 });
  });

  it("takes back a crashed worker's claim once its lease ends, and delivers it once", async () => {
    const endpoint = await endpointAt('/crash');
    await ping(endpoint);
    const t0 = Date.now();
    const claimed = await claimDue(t.db, 'worker-that-crashes', new Date(t0), 60_000, 100);
    expect(claimed.map((d) => d.endpoint_id)).toEqual([endpoint]);
    expect(await onlyDelivery(endpoint)).toMatchObject({ status: 'delivering' });
    const survivor = worker();
    await survivor.runOnce(t0 + 59_000);
    expect(receiver.at('/crash')).toEqual([]);
    await survivor.runOnce(t0 + 60_000);
    await survivor.runOnce(t0 + 120_000);
    expect(receiver.at('/crash')).toHaveLength(1);
    expect(await onlyDelivery(endpoint)).toMatchObject({ status: 'succeeded', attempt_count: 2 });
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)(
    'delivers each event exactly once with two workers on two pools (PostgreSQL)',
    async () => {
      const endpoint = await endpointAt('/pair');
      for (let i = 0; i < 60; i++) await ping(endpoint);
      const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(t.db);
      const url = new URL(process.env.TEST_DATABASE_URL as string);
      url.pathname = `/${rows[0]?.name}`;
      const other = await connect({ databaseUrl: url.toString(), poolSize: 2 });
      try {
        const pair = [worker(), deliveryWorker({ db: other.db, allow: LOOPBACK, batchSize: 10 })];
        workers.push(pair[1] as DeliveryWorker);
        const drain = async (w: DeliveryWorker) => {
          while ((await w.runOnce()) > 0);
        };
        await Promise.all(pair.map(drain));
      } finally {
        await other.close();
      }
      const got = receiver.at('/pair');
      expect(got).toHaveLength(60);
      expect(new Set(got.map((r) => r.id)).size).toBe(60);
      expect(got.every((r) => r.verified)).toBe(true);
    },
  );
});

describe('the outbox and the change', () => {
  it('writes the event in the transaction of the change: a change that fails writes none', async () => {
    const admin = operatorPrincipal(org.orgId, org.adminId);
    const objectId = 987_654_321;
    const failing = inTransaction(t.db, async (trx) => {
      await recordChange(trx, admin, 'goal.updated', objectId, { name: { from: 'a', to: 'b' } });
      throw new Error('the command fails after recording its change');
    });
    await expect(failing).rejects.toThrow('fails after recording');
    const count = (table: 'events' | 'audit_events') =>
      t.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('object_id', '=', objectId)
        .executeTakeFirstOrThrow();
    expect(Number((await count('events')).n)).toBe(0);
    expect(Number((await count('audit_events')).n)).toBe(0);
  });

  it('lists a change made through the API as an event, with its request id', async () => {
    const res = await t.request(org.key, {
      method: 'POST',
      url: '/v1/goals',
      headers: { 'x-request-id': 'req-outbox-1' },
      payload: { name: 'Listed', owner_user_id: org.adminId, starts_on: '2020-01-01', ends_on: '2099-12-31' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const events = await call('GET', '/v1/events?type=goal.created&size=100');
    const event = events.json().data.find((e: { object_id: number }) => e.object_id === res.json().data.id);
    expect(event).toMatchObject({
      type: 'goal.created',
      object_type: 'goal',
      data: { object: 'goal', request_id: 'req-outbox-1', actor_user_id: org.adminId },
    });
  });
});
