import { createHmac, randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { beforeAll, describe, expect, it } from 'vitest';
import { useGoalWorld } from './goal-fixtures.js';

const { t, org, f, members } = useGoalWorld({ members: { owner: {}, peer: {} } });

interface Issued {
  id: number;
  url: string;
  signing_secret: string;
}

let milestoneId: number;
let otherMilestoneId: number;
/** Bound to the first milestone, and unbound (any milestone the owner may update). */
let bound: Issued;
let unbound: Issued;
const hashOf = (hook: Issued) => hook.url.split('/').pop() as string;

beforeAll(async () => {
  const goal = await f.createGoal(org.key, {
    name: 'Sales',
    owner_user_id: org.adminId,
    milestones: [
      { name: 'Bookings', start_value: 0, target_value: 1000, owner_user_id: members.owner.id },
      { name: 'Logos', start_value: 0, target_value: 10, owner_user_id: members.owner.id },
    ],
  });
  milestoneId = goal.milestones[0].id;
  otherMilestoneId = goal.milestones[1].id;
  const make = async (body: object) =>
    (await f.call(members.owner.key, 'POST', '/v1/metric-hooks', body)).json().data as Issued;
  // WorkBoard's senders do not sign: these hooks take the unsigned form (signed requests only by default).
  bound = await make({ name: 'Sheet', milestone_id: milestoneId, accepts_unsigned: true });
  unbound = await make({ name: 'Any', accepts_unsigned: true });
});

const post = (url: string, options: { payload?: string; headers?: Record<string, string> } = {}) =>
  t.app.inject({ method: 'POST', url, ...options });

const expectWbError = (res: Awaited<ReturnType<typeof post>>, status: number, code: string) => {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.json()).toEqual({
    success: false,
    error: code,
    error_description: expect.any(String),
    request_id: expect.any(String),
  });
};

const currentValue = async (id: number) =>
  (await f.call(org.key, 'GET', `/v1/milestones/${id}`)).json().data.current_value as number;

describe('WorkBoard metric webhook: the three ways senders post', () => {
  it('takes JSON, with metric_data as a numeric string, and answers WorkBoard’s envelope', async () => {
    const res = await post(`/wb/apis/hook/${hashOf(unbound)}`, {
      headers: { 'content-type': 'application/json', host: 'metrics.example.org' },
      payload: JSON.stringify({
        metric_id: String(milestoneId),
        metric_data: '120.5',
        metric_comment: 'ERP',
      }),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      success: true,
      data: {
        totalCount: 1,
        hook: [{ metric_id: String(milestoneId), metric_data: '120.5', metric_comment: 'ERP' }],
      },
    });
    expect(await currentValue(milestoneId)).toBe(120.5);
    // As if the creator checked in: the history names them.
    const history = (await f.call(org.key, 'GET', `/v1/milestones/${milestoneId}/checkins`)).json().data;
    expect(history[0]).toMatchObject({ user_id: members.owner.id, comment: 'ERP', value: 120.5 });
  });

  it('takes form fields', async () => {
    const res = await post(`/wb/apis/hook/${hashOf(unbound)}`, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ metric_id: String(otherMilestoneId), metric_data: '7' }).toString(),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(await currentValue(otherMilestoneId)).toBe(7);
  });

  it('takes everything in the query string with no body', async () => {
    const query = new URLSearchParams({
      metric_id: String(milestoneId),
      metric_data: '300',
      metric_comment: 'cron',
    });
    const res = await post(`/wb/apis/hook/${hashOf(bound)}?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(await currentValue(milestoneId)).toBe(300);
  });

  it('adds to the value when a sender says action=add', async () => {
    const before = await currentValue(otherMilestoneId);
    const res = await post(
      `/wb/apis/hook/${hashOf(unbound)}?metric_id=${otherMilestoneId}&metric_data=2&action=add`,
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(await currentValue(otherMilestoneId)).toBe(before + 2);
  });
});

describe('WorkBoard metric webhook: refusals, always JSON', () => {
  it('answers an empty hash and an unknown one with invalid_webhook_url', async () => {
    expectWbError(await post('/wb/apis/hook/?metric_id=1&metric_data=1'), 404, 'invalid_webhook_url');
    expectWbError(await post('/wb/apis/hook'), 404, 'invalid_webhook_url');
    expectWbError(await post(`/wb/apis/hook/hk_${'x'.repeat(43)}?metric_data=1`), 404, 'invalid_webhook_url');
    expectWbError(await post(`/wb/apis/hook/${'a'.repeat(40)}`), 404, 'invalid_webhook_url');
  });

  it('answers a paused hook as an unknown one', async () => {
    const paused = (await f.call(members.owner.key, 'POST', '/v1/metric-hooks', { name: 'Paused' })).json()
      .data;
    await f.call(members.owner.key, 'PATCH', `/v1/metric-hooks/${paused.id}`, { enabled: false });
    expectWbError(await post(`/wb/apis/hook/${hashOf(paused)}?metric_data=1`), 404, 'invalid_webhook_url');
  });

  it('refuses a bad action, a non-number, a missing value and an unknown or foreign metric', async () => {
    const before = await currentValue(milestoneId);
    const hash = hashOf(unbound);
    for (const query of [
      `metric_id=${milestoneId}&metric_data=1&action=delete`,
      `metric_id=${milestoneId}&metric_data=1%2C250`,
      `metric_id=${milestoneId}`,
      `metric_id=999999999&metric_data=1`,
      `metric_id=abc&metric_data=1`,
      'metric_data=1',
    ]) {
      expectWbError(await post(`/wb/apis/hook/${hash}?${query}`), 400, 'invalid_webhook_action');
    }
    expectWbError(
      await post(`/wb/apis/hook/${hashOf(bound)}?metric_id=${otherMilestoneId}&metric_data=1`),
      400,
      'invalid_webhook_action',
    );
    expectWbError(
      await post(`/wb/apis/hook/${hash}`, {
        headers: { 'content-type': 'application/json' },
        payload: '{"metric',
      }),
      400,
      'invalid_webhook_action',
    );
    expect(await currentValue(milestoneId)).toBe(before);
    const read = (await f.call(members.owner.key, 'GET', `/v1/metric-hooks/${unbound.id}`)).json().data;
    expect(read.failure_count).toBeGreaterThanOrEqual(7);
    expect(read.last_failure).toMatch(/^invalid_webhook_action/);
  });

  it("refuses a milestone the hook's creator may not update", async () => {
    const goal = await f.createGoal(org.key, {
      name: 'Admin only',
      owner_user_id: org.adminId,
      milestones: [{ name: 'Cash', start_value: 0, target_value: 5 }],
    });
    const res = await post(
      `/wb/apis/hook/${hashOf(unbound)}?metric_id=${goal.milestones[0].id}&metric_data=3`,
    );
    expect([400, 403]).toContain(res.statusCode);
    expect(await currentValue(goal.milestones[0].id)).toBe(0);
  });
});

describe('WorkBoard metric webhook signed per Standard Webhooks', () => {
  const signed = (secret: string, body: string, id = `msg_${randomUUID()}`) => {
    const at = new Date();
    return {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign(id, at, body),
    };
  };

  it('refuses the unsigned form on a hook that takes signed requests only, until its owner allows it', async () => {
    const strict = (
      await f.call(members.owner.key, 'POST', '/v1/metric-hooks', {
        name: 'Strict',
        milestone_id: milestoneId,
      })
    ).json().data as Issued & { accepts_unsigned: boolean };
    expect(strict.accepts_unsigned).toBe(false);
    const before = await currentValue(milestoneId);
    const url = `/wb/apis/hook/${hashOf(strict)}`;
    expectWbError(await post(`${url}?metric_data=7`), 401, 'invalid_webhook_secret');
    expect(await currentValue(milestoneId)).toBe(before);
    const read = (await f.call(members.owner.key, 'GET', `/v1/metric-hooks/${strict.id}`)).json().data;
    // Refused by the hook's own check: no use.
    expect(read).toMatchObject({
      failure_count: 1,
      last_failure: expect.stringMatching(/signed requests only/),
      last_used_at: null,
    });

    const payload = JSON.stringify({ metric_data: 7 });
    expect((await post(url, { headers: signed(strict.signing_secret, payload), payload })).statusCode).toBe(
      200,
    );
    expect(await currentValue(milestoneId)).toBe(7);

    const allowed = await f.call(members.owner.key, 'PATCH', `/v1/metric-hooks/${strict.id}`, {
      accepts_unsigned: true,
    });
    expect(allowed.json().data.accepts_unsigned).toBe(true);
    expect((await post(`${url}?metric_data=8`)).statusCode).toBe(200);
    expect(await currentValue(milestoneId)).toBe(8);
  });

  it('counts an unsigned update it took but could not apply as a use and a failure', async () => {
    const hook = (
      await f.call(members.owner.key, 'POST', '/v1/metric-hooks', {
        name: 'Sheet for one metric',
        milestone_id: milestoneId,
        accepts_unsigned: true,
      })
    ).json().data as Issued;
    const url = `/wb/apis/hook/${hashOf(hook)}`;
    expectWbError(
      await post(`${url}?metric_data=3&metric_id=${otherMilestoneId}`),
      400,
      'invalid_webhook_action',
    );
    const read = (await f.call(members.owner.key, 'GET', `/v1/metric-hooks/${hook.id}`)).json().data;
    expect(read).toMatchObject({
      failure_count: 1,
      last_failure: expect.stringContaining('invalid_webhook_action'),
    });
    expect(read.last_used_at).not.toBeNull();
  });

  it('accepts a good signature once and refuses its replay and a bad signature', async () => {
    const payload = JSON.stringify({ metric_data: 640 });
    const headers = signed(bound.signing_secret, payload);
    const url = `/wb/apis/hook/${hashOf(bound)}`;
    expect((await post(url, { headers, payload })).statusCode).toBe(200);
    expect(await currentValue(milestoneId)).toBe(640);
    expectWbError(await post(url, { headers, payload }), 401, 'invalid_webhook_secret');
    const forged = signed(unbound.signing_secret, JSON.stringify({ metric_data: 1 }));
    expectWbError(
      await post(url, { headers: forged, payload: JSON.stringify({ metric_data: 1 }) }),
      401,
      'invalid_webhook_secret',
    );
    expect(await currentValue(milestoneId)).toBe(640);
  });
});

interface IssuedStream {
  id: number;
  url: string;
  stream_key: string;
  secret: string;
}

describe('WorkBoard datastreams', () => {
  let stream: IssuedStream;
  beforeAll(async () => {
    const res = await f.call(members.owner.key, 'POST', '/v1/datastreams', {
      name: 'CRM pipeline',
      milestone_id: otherMilestoneId,
      connector_id: 'crm-1',
    });
    expect(res.statusCode, res.body).toBe(201);
    stream = res.json().data;
  });

  /** The form WorkBoard's Apps Script sends: `data` holding the JSON, signed over the raw body. */
  const formPush = (value: unknown, connector = 'crm-1', comment?: string) =>
    new URLSearchParams({
      data: JSON.stringify({
        stream: {
          connector: {
            connector_id: connector,
            connector_data: { value },
            ...(comment && { connector_attributes: { source: 'crm', comment } }),
          },
        },
      }),
    }).toString();
  const hmac = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('hex');
  const push = (payload: string, signature: string, key = stream.stream_key) =>
    post(`/wb/apis/stream/${key}`, {
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-stream-signature': signature },
      payload,
    });

  it('shows the key and secret once, then only their traces, to its creator and admins', async () => {
    expect(stream.url).toMatch(/\/wb\/apis\/stream\/ds_[\w-]{43}$/);
    expect(stream.secret).toMatch(/^dss_[\w-]{43}$/);
    const listed = (key: string) => f.call(key, 'GET', '/v1/datastreams').then((r) => r.json().data);
    const own = await listed(members.owner.key);
    expect(own.map((s: { id: number }) => s.id)).toEqual([stream.id]);
    expect(JSON.stringify(own)).not.toContain(stream.secret);
    expect(JSON.stringify(own)).not.toContain(stream.stream_key);
    expect((await listed(org.key)).map((s: { id: number }) => s.id)).toContain(stream.id);
    expect(await listed(members.peer.key)).toEqual([]);
    const foreign = await f.call(members.peer.key, 'DELETE', `/v1/datastreams/${stream.id}`);
    expect(foreign.statusCode).toBe(404);
  });

  it('takes a signed form push and checks it in as the creator', async () => {
    const payload = formPush('42.5', 'crm-1', 'nightly');
    const res = await push(payload, hmac(stream.secret, payload));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      success: true,
      data: { totalCount: 1, stream: [{ stream_id: String(stream.id), stream_last_data_value: '42.5' }] },
    });
    expect(await currentValue(otherMilestoneId)).toBe(42.5);
    const history = (await f.call(org.key, 'GET', `/v1/milestones/${otherMilestoneId}/checkins`)).json().data;
    expect(history[0]).toMatchObject({ user_id: members.owner.id, value: 42.5, comment: 'nightly' });
    const [listed] = (await f.call(members.owner.key, 'GET', '/v1/datastreams')).json().data;
    expect(listed).toMatchObject({ last_value: 42.5, failure_count: 0 });
  });

  it('takes a JSON body and the static signature WorkBoard’s senders send', async () => {
    const payload = JSON.stringify({
      data: { stream: { connector: { connector_id: 'crm-1', connector_data: { value: 44 } } } },
    });
    const res = await post(`/wb/apis/stream/${stream.stream_key}`, {
      headers: { 'content-type': 'application/json', 'x-stream-signature': stream.secret },
      payload,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(await currentValue(otherMilestoneId)).toBe(44);
  });

  it('refuses a bad or missing signature, an unknown key and a bad body, and counts the refusals', async () => {
    const payload = formPush(99);
    expectWbError(await push(payload, hmac('dss_wrong', payload)), 401, 'invalid_webhook_secret');
    expectWbError(await push(payload, hmac(stream.secret, formPush(98))), 401, 'invalid_webhook_secret');
    expectWbError(
      await post(`/wb/apis/stream/${stream.stream_key}`, {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload,
      }),
      401,
      'invalid_webhook_secret',
    );
    expectWbError(
      await push(payload, hmac(stream.secret, payload), `ds_${'x'.repeat(43)}`),
      404,
      'invalid_webhook_url',
    );
    expectWbError(await post('/wb/apis/stream/'), 404, 'invalid_webhook_url');
    for (const bad of [formPush('lots'), formPush(5, 'other-connector'), 'data=%7Bnot-json', 'nothing=1']) {
      expectWbError(await push(bad, hmac(stream.secret, bad)), 400, 'invalid_webhook_action');
    }
    expect(await currentValue(otherMilestoneId)).toBe(44);
    const [listed] = (await f.call(members.owner.key, 'GET', '/v1/datastreams')).json().data;
    expect(listed.failure_count).toBe(7);
    expect(listed.last_failure).toMatch(/^invalid_webhook_action/);
    expect(JSON.stringify(listed)).not.toContain(stream.secret);
  });

  it('stops taking values once deleted', async () => {
    const res = await f.call(members.owner.key, 'DELETE', `/v1/datastreams/${stream.id}`);
    expect(res.statusCode, res.body).toBe(200);
    const payload = formPush(1);
    expectWbError(await push(payload, hmac(stream.secret, payload)), 404, 'invalid_webhook_url');
    const events = (await f.call(org.key, 'GET', '/v1/audit-events?object_type=datastream')).json().data;
    expect(events.map((e: { action: string }) => e.action).sort()).toEqual([
      'datastream.created',
      'datastream.deleted',
    ]);
  });
});
