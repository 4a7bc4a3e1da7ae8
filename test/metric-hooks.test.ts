import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { beforeAll, describe, expect, it } from 'vitest';
import { receiveHookUpdate } from '../src/domain/metric-hooks/receive.js';
import { useGoalWorld } from './goal-fixtures.js';

const { t, org, f, members } = useGoalWorld({
  members: { owner: {}, peer: {}, successor: {}, gone: {} },
});

interface Issued {
  id: number;
  url: string;
  signing_secret: string;
}

let goalId: number;
let milestoneId: number;
let otherMilestoneId: number;

beforeAll(async () => {
  // The admin's goal with two milestones owned by the owner: the owner may check in on both.
  const goal = await f.createGoal(org.key, {
    name: 'Revenue',
    owner_user_id: org.adminId,
    visibility: 'private',
    milestones: [
      { name: 'Monthly revenue', start_value: 0, target_value: 1000, owner_user_id: members.owner.id },
      { name: 'New customers', start_value: 0, target_value: 10, owner_user_id: members.owner.id },
    ],
  });
  goalId = goal.id;
  milestoneId = goal.milestones[0].id;
  otherMilestoneId = goal.milestones[1].id;
});

const createHook = async (key: string, body: object) => {
  const res = await f.call(key, 'POST', '/v1/metric-hooks', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json().data as Issued;
};

/** A request to a hook's URL, signed with the real standardwebhooks library unless told otherwise. */
function send(
  url: string,
  secret: string,
  body: object | string,
  options: { id?: string; at?: Date; headers?: Record<string, string> } = {},
) {
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  const id = options.id ?? `msg_${randomUUID()}`;
  const at = options.at ?? new Date();
  return t.app.inject({
    method: 'POST',
    url: new URL(url).pathname,
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign(id, at, payload),
      ...options.headers,
    },
    payload,
  });
}

const expectError = (
  res: { statusCode: number; json: () => Record<string, unknown> },
  status: number,
  code: string,
) => {
  expect(res.statusCode, JSON.stringify(res.json())).toBe(status);
  expect(res.json()).toMatchObject({ success: false, error: code });
  expect(res.json().request_id).toEqual(expect.any(String));
};

const hookOf = async (key: string, id: number) =>
  (await f.call(key, 'GET', `/v1/metric-hooks/${id}`)).json().data;
const milestoneValue = async (id: number) =>
  (await f.call(org.key, 'GET', `/v1/milestones/${id}`)).json().data.current_value as number;

describe('managing metric webhooks', () => {
  it('shows the URL and signing secret once, then only their traces', async () => {
    const hook = await createHook(members.owner.key, { name: 'ERP revenue', milestone_id: milestoneId });
    expect(hook.url).toMatch(/\/v1\/hooks\/hk_[\w-]{43}$/);
    expect(hook.signing_secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const read = await hookOf(members.owner.key, hook.id);
    expect(read).toMatchObject({
      name: 'ERP revenue',
      created_by: members.owner.id,
      milestone_id: milestoneId,
      enabled: true,
      failure_count: 0,
      last_used_at: null,
      url_last_four: hook.url.slice(-4),
    });
    expect(JSON.stringify(read)).not.toContain(hook.signing_secret);
    expect(JSON.stringify(read)).not.toContain(hook.url.split('/').pop());
  });

  it('lists its own hooks to a person and every hook to an admin; others get 404', async () => {
    const own = await createHook(members.peer.key, { name: 'Peer any' });
    const listed = (key: string) =>
      f
        .call(key, 'GET', '/v1/metric-hooks?size=100')
        .then((r) => r.json().data.map((h: { id: number }) => h.id));
    expect(await listed(members.peer.key)).toEqual([own.id]);
    expect(await listed(org.key)).toContain(own.id);
    expect(await listed(members.owner.key)).not.toContain(own.id);
    for (const [method, url, payload] of [
      ['GET', `/v1/metric-hooks/${own.id}`, undefined],
      ['PATCH', `/v1/metric-hooks/${own.id}`, { enabled: false }],
      ['POST', `/v1/metric-hooks/${own.id}/rotate`, undefined],
      ['DELETE', `/v1/metric-hooks/${own.id}`, undefined],
    ] as const) {
      expectError(await f.call(members.owner.key, method, url, payload), 404, 'invalid_resource_id');
    }
    expect((await hookOf(org.key, own.id)).enabled).toBe(true);
  });

  it('refuses binding a milestone the creator may not update', async () => {
    const res = await f.call(members.peer.key, 'POST', '/v1/metric-hooks', {
      name: 'Not mine',
      milestone_id: milestoneId,
    });
    expect([403, 404]).toContain(res.statusCode);
  });

  it("answers another organisation's hook with 404 and changes nothing", async () => {
    const hook = await createHook(members.owner.key, { name: 'Org A', milestone_id: milestoneId });
    const orgB = await t.createOrg();
    for (const [method, url, payload] of [
      ['GET', `/v1/metric-hooks/${hook.id}`, undefined],
      ['PATCH', `/v1/metric-hooks/${hook.id}`, { enabled: false }],
      ['POST', `/v1/metric-hooks/${hook.id}/rotate`, undefined],
      ['DELETE', `/v1/metric-hooks/${hook.id}`, undefined],
    ] as const) {
      expectError(await f.call(orgB.key, method, url, payload), 404, 'invalid_resource_id');
    }
    // Org B's admin binding org A's milestone: as if it did not exist.
    const bound = await f.call(orgB.key, 'POST', '/v1/metric-hooks', {
      name: 'x',
      milestone_id: milestoneId,
    });
    expectError(bound, 404, 'invalid_resource_id');
    const res = await send(hook.url, hook.signing_secret, { action: 'set', value: 5 });
    expect(res.statusCode, res.body).toBe(200);
  });

  it('records its changes in the audit log', async () => {
    const hook = await createHook(members.owner.key, { name: 'Audited', milestone_id: milestoneId });
    await f.call(members.owner.key, 'PATCH', `/v1/metric-hooks/${hook.id}`, {
      enabled: false,
      name: 'Renamed',
    });
    await f.call(members.owner.key, 'POST', `/v1/metric-hooks/${hook.id}/rotate`);
    await f.call(members.owner.key, 'DELETE', `/v1/metric-hooks/${hook.id}`);
    const events = (await f.call(org.key, 'GET', `/v1/audit-events?object_type=metric_hook&size=100`)).json()
      .data;
    const mine = events.filter((e: { object_id: number }) => e.object_id === hook.id);
    expect(mine.map((e: { action: string }) => e.action).sort()).toEqual([
      'metric_hook.created',
      'metric_hook.deleted',
      'metric_hook.rotated',
      'metric_hook.updated',
    ]);
    expect(JSON.stringify(mine)).not.toContain(hook.signing_secret);
  });

  it('replays a create under its Idempotency-Key without the secrets', async () => {
    const headers = { 'idempotency-key': `hook-${randomUUID()}` };
    const payload = { name: 'Idempotent', milestone_id: milestoneId };
    const first = await t.request(members.owner.key, {
      method: 'POST',
      url: '/v1/metric-hooks',
      headers,
      payload,
    });
    const again = await t.request(members.owner.key, {
      method: 'POST',
      url: '/v1/metric-hooks',
      headers,
      payload,
    });
    expect(first.json().data.signing_secret).toMatch(/^whsec_/);
    expect(again.json().data).toMatchObject({ id: first.json().data.id, url: null, signing_secret: null });
  });
});

describe('receiving signed updates', () => {
  let hook: Issued;
  beforeAll(async () => {
    hook = await createHook(members.owner.key, { name: 'Bound', milestone_id: milestoneId });
  });

  it("checks in as the creator: the value, the goal's progress, the history and the audit log", async () => {
    const res = await send(hook.url, hook.signing_secret, {
      action: 'set',
      value: 400,
      comment: 'From the ERP',
    });
    expect(res.statusCode, res.body).toBe(200);
    const checkin = res.json().data.checkin;
    expect(checkin).toMatchObject({
      milestone_id: milestoneId,
      user_id: members.owner.id,
      api_key_id: null,
      value: 400,
      comment: 'From the ERP',
      request_id: res.headers['x-request-id'],
    });
    expect(await milestoneValue(milestoneId)).toBe(400);
    const history = (await f.call(org.key, 'GET', `/v1/goals/${goalId}/checkins?size=100`)).json().data;
    expect(history.map((c: { id: number }) => c.id)).toContain(checkin.id);
    const audit = (await f.call(org.key, 'GET', `/v1/goals/${goalId}/history?size=100`)).json().data;
    const row = audit.find(
      (e: { action: string; changes: { checkin_id?: number } }) => e.changes.checkin_id === checkin.id,
    );
    expect(row).toMatchObject({ action: 'milestone.checked_in', actor_user_id: members.owner.id });
    expect((await f.getGoal(org.key, goalId)).progress).toBeGreaterThan(0);
    const after = await hookOf(members.owner.key, hook.id);
    expect(after.last_used_at).not.toBeNull();
  });

  it('adds to the value, comments and sets confidence', async () => {
    await send(hook.url, hook.signing_secret, { action: 'set', value: 100 });
    const added = await send(hook.url, hook.signing_secret, { action: 'add', value: 25.5 });
    expect(added.statusCode, added.body).toBe(200);
    expect(await milestoneValue(milestoneId)).toBe(125.5);
    const commented = await send(hook.url, hook.signing_secret, { action: 'comment', comment: 'Quiet week' });
    expect(commented.json().data.checkin).toMatchObject({ value: null, comment: 'Quiet week' });
    const confident = await send(hook.url, hook.signing_secret, { action: 'confidence', confidence: 0.7 });
    expect(confident.json().data.checkin).toMatchObject({ confidence: 0.7 });
    expect(await milestoneValue(milestoneId)).toBe(125.5);
  });

  it('answers an unknown URL with invalid_webhook_url', async () => {
    const unknown = hook.url.replace(/hk_.*/, `hk_${'A'.repeat(43)}`);
    expectError(
      await send(unknown, hook.signing_secret, { action: 'set', value: 1 }),
      404,
      'invalid_webhook_url',
    );
    expectError(
      await send(`${hook.url}x`, hook.signing_secret, { action: 'set', value: 1 }),
      404,
      'invalid_webhook_url',
    );
  });

  it('refuses missing headers, a wrong signature, a stale or future timestamp and a replay, counting each', async () => {
    const before = (await hookOf(members.owner.key, hook.id)).failure_count;
    const body = { action: 'set', value: 1 };
    const unsigned = await t.app.inject({
      method: 'POST',
      url: new URL(hook.url).pathname,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${org.key}` },
      payload: body,
    });
    expectError(unsigned, 401, 'invalid_webhook_secret');
    const otherSecret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    expectError(await send(hook.url, otherSecret, body), 401, 'invalid_webhook_secret');
    const tampered = await send(hook.url, hook.signing_secret, body, {
      headers: { 'webhook-signature': 'v1,AAAA' },
    });
    expectError(tampered, 401, 'invalid_webhook_secret');
    const stale = new Date(Date.now() - 6 * 60_000);
    expectError(
      await send(hook.url, hook.signing_secret, body, { at: stale }),
      401,
      'invalid_webhook_secret',
    );
    const future = new Date(Date.now() + 6 * 60_000);
    expectError(
      await send(hook.url, hook.signing_secret, body, { at: future }),
      401,
      'invalid_webhook_secret',
    );
    const id = `msg_${randomUUID()}`;
    expect((await send(hook.url, hook.signing_secret, body, { id })).statusCode).toBe(200);
    const replay = await send(hook.url, hook.signing_secret, body, { id });
    expectError(replay, 401, 'invalid_webhook_secret');
    expect(replay.json().error_description).toContain('replay');
    const after = await hookOf(members.owner.key, hook.id);
    expect(after.failure_count).toBe(before + 6);
    expect(after.last_failure).toContain('invalid_webhook_secret');
  });

  it('refuses an unknown action or a bad body with invalid_webhook_action, writing no check-in', async () => {
    const count = async () =>
      (await f.call(org.key, 'GET', `/v1/milestones/${milestoneId}/checkins?size=1`)).json().total_count;
    const before = await count();
    for (const body of [
      { action: 'multiply', value: 2 },
      { action: 'set' },
      { action: 'set', value: '12' },
      { action: 'set', value: 1, extra: true },
      { action: 'comment', value: 3, comment: 'x' },
      { action: 'confidence', confidence: 2 },
      { action: 'set', value: 1, milestone_id: otherMilestoneId },
      'not json',
      '[]',
      '{"action":"comment","comment":"a\\u0000b"}',
      '{"action":"comment","comment":"\\ud800"}',
    ]) {
      expectError(await send(hook.url, hook.signing_secret, body), 400, 'invalid_webhook_action');
    }
    expect(await count()).toBe(before);
  });

  it('applies one message once when it arrives twice at the same moment', async () => {
    const count = async () =>
      (await f.call(org.key, 'GET', `/v1/milestones/${milestoneId}/checkins?size=1`)).json().total_count;
    const before = await count();
    const id = `msg_${randomUUID()}`;
    const both = await Promise.all(
      [0, 1].map(() => send(hook.url, hook.signing_secret, { action: 'add', value: 1 }, { id })),
    );
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 401]);
    expect(await count()).toBe(before + 1);
  });

  it('adds exactly under concurrency: 20 adds of 1 at once raise the value by 20', async () => {
    const goal = await f.createGoal(org.key, {
      name: 'Busy counter',
      owner_user_id: org.adminId,
      milestones: [{ name: 'Orders', start_value: 0, target_value: 100, owner_user_id: members.owner.id }],
    });
    const id = goal.milestones[0].id;
    const counter = await createHook(members.owner.key, { name: 'Order feed', milestone_id: id });
    expect((await send(counter.url, counter.signing_secret, { action: 'set', value: 5 })).statusCode).toBe(
      200,
    );
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        send(counter.url, counter.signing_secret, { action: 'add', value: 1 }),
      ),
    );
    expect(answers.map((r) => r.statusCode)).toEqual(Array(20).fill(200));
    expect(await milestoneValue(id)).toBe(25);
    // Each check-in records the value it gave: each add saw the one before it.
    const values = answers.map((r) => r.json().data.checkin.value as number).sort((a, b) => a - b);
    expect(values).toEqual(Array.from({ length: 20 }, (_, i) => 6 + i));
    const audit = (await f.call(org.key, 'GET', `/v1/goals/${goal.id}/history?size=100`)).json().data;
    const last = audit.find(
      (e: { action: string; changes: { current_value?: { to: number } } }) =>
        e.action === 'milestone.checked_in' && e.changes.current_value?.to === 25,
    );
    expect(last.changes.current_value).toEqual({ from: 24, to: 25 });
  });

  it('takes the body as text/plain too, as some senders send it', async () => {
    const res = await send(
      hook.url,
      hook.signing_secret,
      { action: 'set', value: 7 },
      {
        headers: { 'content-type': 'text/plain' },
      },
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(await milestoneValue(milestoneId)).toBe(7);
  });

  it('lets the sender retry a message that was refused for its content', async () => {
    const id = `msg_${randomUUID()}`;
    const refused = await send(hook.url, hook.signing_secret, { action: 'set' }, { id });
    expectError(refused, 400, 'invalid_webhook_action');
    // Same id, a fixed body, a fresh signature: not a replay, since nothing was applied.
    expect((await send(hook.url, hook.signing_secret, { action: 'set', value: 3 }, { id })).statusCode).toBe(
      200,
    );
  });

  it('answers a paused hook with invalid_webhook_url until it is resumed', async () => {
    await f.call(members.owner.key, 'PATCH', `/v1/metric-hooks/${hook.id}`, { enabled: false });
    expectError(
      await send(hook.url, hook.signing_secret, { action: 'set', value: 9 }),
      404,
      'invalid_webhook_url',
    );
    await f.call(members.owner.key, 'PATCH', `/v1/metric-hooks/${hook.id}`, { enabled: true });
    expect((await send(hook.url, hook.signing_secret, { action: 'set', value: 9 })).statusCode).toBe(200);
  });

  it('after a rotation refuses the old URL and the old secret', async () => {
    const rotated = (await f.call(members.owner.key, 'POST', `/v1/metric-hooks/${hook.id}/rotate`)).json()
      .data;
    expect(rotated.url).not.toBe(hook.url);
    expect(rotated.signing_secret).not.toBe(hook.signing_secret);
    expectError(
      await send(hook.url, hook.signing_secret, { action: 'set', value: 2 }),
      404,
      'invalid_webhook_url',
    );
    expectError(
      await send(rotated.url, hook.signing_secret, { action: 'set', value: 2 }),
      401,
      'invalid_webhook_secret',
    );
    expect((await send(rotated.url, rotated.signing_secret, { action: 'set', value: 2 })).statusCode).toBe(
      200,
    );
    hook = { ...hook, url: rotated.url, signing_secret: rotated.signing_secret };
  });

  it('is gone once deleted', async () => {
    const doomed = await createHook(members.owner.key, { name: 'Doomed', milestone_id: milestoneId });
    await f.call(members.owner.key, 'DELETE', `/v1/metric-hooks/${doomed.id}`);
    expectError(
      await send(doomed.url, doomed.signing_secret, { action: 'set', value: 1 }),
      404,
      'invalid_webhook_url',
    );
  });
});

describe('what a hook records of the requests it gets', () => {
  const fresh = () =>
    createHook(members.owner.key, { name: `Records ${randomUUID()}`, milestone_id: milestoneId });
  const wrongSecret = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;

  it('lets a forged request claim no message id and count as no use', async () => {
    const hook = await fresh();
    const id = `msg_${randomUUID()}`;
    expectError(
      await send(hook.url, wrongSecret, { action: 'set', value: 11 }, { id }),
      401,
      'invalid_webhook_secret',
    );
    expect(await hookOf(members.owner.key, hook.id)).toMatchObject({ last_used_at: null, failure_count: 1 });
    // The rightful sender's message with that id is still new.
    const res = await send(hook.url, hook.signing_secret, { action: 'set', value: 11 }, { id });
    expect(res.statusCode, res.body).toBe(200);
    const after = await hookOf(members.owner.key, hook.id);
    expect(after.last_used_at).not.toBeNull();
    expect(after.failure_count).toBe(1);
  });

  it('records no use for a replay', async () => {
    const hook = await fresh();
    const id = `msg_${randomUUID()}`;
    expect((await send(hook.url, hook.signing_secret, { action: 'set', value: 12 }, { id })).statusCode).toBe(
      200,
    );
    const used = (await hookOf(members.owner.key, hook.id)).last_used_at;
    expectError(
      await send(hook.url, hook.signing_secret, { action: 'set', value: 12 }, { id }),
      401,
      'invalid_webhook_secret',
    );
    expect(await hookOf(members.owner.key, hook.id)).toMatchObject({ last_used_at: used, failure_count: 1 });
  });

  it('counts an update it took but could not apply as a use and a failure, and releases its id', async () => {
    const hook = await fresh();
    const id = `msg_${randomUUID()}`;
    const refused = await send(
      hook.url,
      hook.signing_secret,
      { action: 'set', value: 13, milestone_id: otherMilestoneId },
      { id },
    );
    expectError(refused, 400, 'invalid_webhook_action');
    const after = await hookOf(members.owner.key, hook.id);
    expect(after).toMatchObject({
      failure_count: 1,
      last_failure: expect.stringContaining('invalid_webhook_action'),
    });
    expect(after.last_used_at).not.toBeNull();
    expect(Date.parse(after.last_failure_at)).toBeGreaterThanOrEqual(Date.parse(after.last_used_at));
    expect((await send(hook.url, hook.signing_secret, { action: 'set', value: 13 }, { id })).statusCode).toBe(
      200,
    );
  });

  it('forgets message ids once they are too old to pass the timestamp check, not before', async () => {
    const hook = await fresh();
    const token = hook.url.split('/').pop() as string;
    const remembered = async () =>
      (
        await t.db
          .selectFrom('metric_hook_messages')
          .select('message_id')
          .where('hook_id', '=', hook.id)
          .orderBy('message_id')
          .execute()
      ).map((row) => row.message_id);
    // Taken at a moment of the test's choosing: the receiver's clock is its `now`.
    const takeAt = (at: number, id: string) => {
      const body = JSON.stringify({ action: 'set', value: 14 });
      const headers = {
        id,
        timestamp: String(Math.floor(at / 1000)),
        signature: new Webhook(hook.signing_secret).sign(id, new Date(at), body),
      };
      return receiveHookUpdate(t.db, { token, headers, body, requestId: id }, (text) => JSON.parse(text), at);
    };
    const start = Date.now();
    await takeAt(start, 'msg_a');
    await takeAt(start + 4 * 60_000, 'msg_b');
    // Four minutes on, msg_a could still pass the timestamp check: it is remembered, and its replay refused.
    expect(await remembered()).toEqual(['msg_a', 'msg_b']);
    await expect(takeAt(start + 4 * 60_000, 'msg_a')).rejects.toMatchObject({
      code: 'invalid_webhook_secret',
    });
    // Eleven minutes on, it could not: the next message taken forgets it.
    await takeAt(start + 11 * 60_000, 'msg_c');
    expect(await remembered()).toEqual(['msg_b', 'msg_c']);
  });
});

describe('a hook for any milestone its creator may update', () => {
  it('needs milestone_id, and takes any milestone the creator may update', async () => {
    const hook = await createHook(members.owner.key, { name: 'Any' });
    expectError(
      await send(hook.url, hook.signing_secret, { action: 'set', value: 1 }),
      400,
      'invalid_webhook_action',
    );
    const res = await send(hook.url, hook.signing_secret, {
      action: 'set',
      value: 4,
      milestone_id: otherMilestoneId,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(await milestoneValue(otherMilestoneId)).toBe(4);
  });

  it("refuses a milestone the creator may not update, and another organisation's", async () => {
    const hook = await createHook(members.peer.key, { name: 'Peer any' });
    const res = await send(hook.url, hook.signing_secret, {
      action: 'set',
      value: 1,
      milestone_id: milestoneId,
    });
    expectError(res, 404, 'invalid_resource_id');
    const orgB = await t.createOrg();
    const goalB = await f.createGoal(orgB.key, {
      name: 'B',
      owner_user_id: orgB.adminId,
      milestones: [{ name: 'B metric', start_value: 0, target_value: 1 }],
    });
    const cross = await send(hook.url, hook.signing_secret, {
      action: 'set',
      value: 1,
      milestone_id: goalB.milestones[0].id,
    });
    expectError(cross, 404, 'invalid_resource_id');
    expect((await hookOf(members.peer.key, hook.id)).failure_count).toBe(2);
  });
});

describe('a creator who lost the right', () => {
  it('fails cleanly once the milestone is given to someone else, and counts the failure', async () => {
    const goal = await f.createGoal(org.key, {
      name: 'Handed over',
      owner_user_id: org.adminId,
      visibility: 'public',
      milestones: [{ name: 'Metric', start_value: 0, target_value: 10, owner_user_id: members.owner.id }],
    });
    const id = goal.milestones[0].id;
    const hook = await createHook(members.owner.key, { name: 'Mine for now', milestone_id: id });
    expect((await send(hook.url, hook.signing_secret, { action: 'set', value: 1 })).statusCode).toBe(200);
    const moved = await f.call(org.key, 'PATCH', `/v1/milestones/${id}`, {
      owner_user_id: members.successor.id,
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expectError(
      await send(hook.url, hook.signing_secret, { action: 'set', value: 2 }),
      403,
      'insufficient_access',
    );
    expect(await milestoneValue(id)).toBe(1);
    const after = await hookOf(members.owner.key, hook.id);
    expect(after.failure_count).toBe(1);
    expect(after.last_failure).toContain('insufficient_access');
  });

  it('fails cleanly once the creator is deactivated', async () => {
    const goal = await f.createGoal(org.key, {
      name: 'Left',
      owner_user_id: org.adminId,
      milestones: [{ name: 'Metric', start_value: 0, target_value: 10, owner_user_id: members.gone.id }],
    });
    const hook = await createHook(members.gone.key, { name: 'Leaver', milestone_id: goal.milestones[0].id });
    await f.call(org.key, 'POST', `/v1/users/${members.gone.id}/deactivate`);
    const res = await send(hook.url, hook.signing_secret, { action: 'set', value: 3 });
    expectError(res, 403, 'user_deactivated');
    expect(await milestoneValue(goal.milestones[0].id)).toBe(0);
    expect((await hookOf(org.key, hook.id)).failure_count).toBe(1);
  });

  it("is refused until the creator accepts the organisation's new privacy notice, as their keys are", async () => {
    // An organisation of its own: a new notice version asks everyone in it again.
    const other = await t.createOrg();
    const creator = await t.createMember(other);
    const goal = await f.createGoal(other.key, {
      name: 'Noticed',
      owner_user_id: other.adminId,
      milestones: [{ name: 'Metric', start_value: 0, target_value: 10, owner_user_id: creator.id }],
    });
    const id = goal.milestones[0].id;
    const hook = await createHook(creator.key, { name: 'Consenting', milestone_id: id });
    expect((await send(hook.url, hook.signing_secret, { action: 'set', value: 1 })).statusCode).toBe(200);
    const put = await f.call(other.key, 'PUT', '/v1/privacy-notice', { text: 'We now keep your metrics.' });
    expect(put.statusCode, put.body).toBe(200);
    const version = put.json().data.version as number;

    const message = `msg_${randomUUID()}`;
    const refused = await send(hook.url, hook.signing_secret, { action: 'set', value: 2 }, { id: message });
    expectError(refused, 403, 'privacy_notice_not_accepted');
    expectError(await f.call(creator.key, 'GET', '/v1/me'), 403, 'privacy_notice_not_accepted');
    const value = async () =>
      (await f.call(other.key, 'GET', `/v1/milestones/${id}`)).json().data.current_value as number;
    expect(await value()).toBe(1);
    const failed = await hookOf(other.key, hook.id);
    expect(failed.failure_count).toBe(1);
    expect(failed.last_failure).toContain('privacy_notice_not_accepted');

    // The creator signs in and accepts the version shown; the refused message may then be sent again.
    const session = await t.signIn(other.key, creator);
    const accepted = await t.app.inject({
      method: 'POST',
      url: '/auth/notice',
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, accept: 'application/json' },
      payload: { version: String(version) },
    });
    expect(accepted.statusCode, accepted.body).toBe(204);
    const again = await send(hook.url, hook.signing_secret, { action: 'set', value: 2 }, { id: message });
    expect(again.statusCode, again.body).toBe(200);
    expect(await value()).toBe(2);
  });
});
