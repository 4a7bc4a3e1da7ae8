import { createHmac } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { useGoalWorld } from './goal-fixtures.js';
import type { Member, Org } from './harness.js';

/**
 * WorkBoard's stream management, `GET` and `POST /wb/apis/stream` with a bearer token (docs/webhooks.md,
 * "Datastreams"): made through the datastream service, listed as /v1/datastreams lists, pushed to at
 * WorkBoard's own `POST /wb/apis/stream/{stream_id}`.
 */
const { t, org, f, members } = useGoalWorld({ members: { owner: {}, peer: {}, lister: {} } });

let milestoneId: number;
let listerMilestoneId: number;
let other: Org;
let otherMilestoneId: number;
let testOwner: Member;

beforeAll(async () => {
  const goal = await f.createGoal(org.key, {
    name: 'Sales',
    owner_user_id: org.adminId,
    milestones: [{ name: 'Bookings', start_value: 0, target_value: 1000, owner_user_id: members.owner.id }],
  });
  milestoneId = goal.milestones[0].id;
  const ops = await f.createGoal(org.key, {
    name: 'Ops',
    owner_user_id: org.adminId,
    milestones: [{ name: 'Tickets', start_value: 0, target_value: 10, owner_user_id: members.lister.id }],
  });
  listerMilestoneId = ops.milestones[0].id;
  other = await t.createOrg();
  const theirs = await f.createGoal(other.key, {
    name: 'Theirs',
    owner_user_id: other.adminId,
    milestones: [{ name: 'Revenue', start_value: 0, target_value: 10, owner_user_id: other.adminId }],
  });
  otherMilestoneId = theirs.milestones[0].id;
  testOwner = await t.createMember(org, { mode: 'test' });
});

const wb = (key: string | null, method: 'GET' | 'POST', url: string, payload?: unknown) =>
  t.request(key, { method, url, ...(payload !== undefined && { payload: payload as object }) });

const create = (key: string, body: object) => wb(key, 'POST', '/wb/apis/stream', body);
const list = (key: string, query = '') => wb(key, 'GET', `/wb/apis/stream${query}`);

const expectWbError = (res: Awaited<ReturnType<typeof wb>>, status: number, code: string) => {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.json()).toEqual({
    success: false,
    error: code,
    error_description: expect.any(String),
    request_id: res.headers['x-request-id'],
  });
};

const streamCount = async () =>
  Number(
    (
      await t.db
        .selectFrom('datastreams')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

const formPush = (value: number) =>
  `data=${encodeURIComponent(JSON.stringify({ stream: { connector: { connector_id: 'crm', connector_data: { value } } } }))}`;

describe('POST /wb/apis/stream', () => {
  it('creates a stream on the metric, answers its push key and secret once, and a WorkBoard push works with them', async () => {
    const res = await create(members.owner.key, {
      stream_name: 'CRM pipeline',
      metric_id: String(milestoneId),
      stream_description: 'Open pipeline, daily',
      stream_data_type: 'currency',
      stream_frequency: 'daily',
      stream_category: 'Sales',
      stream_permission: [{ id: String(members.owner.id), type: 'user' }],
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toEqual({
      success: true,
      message: expect.any(String),
      data: {
        totalCount: 1,
        stream: {
          stream_id: expect.stringMatching(/^ds_[\w-]{43}$/),
          stream_private_key: expect.stringMatching(/^dss_[\w-]{43}$/),
          stream_name: 'CRM pipeline',
          stream_frequency: 'daily',
          stream_category: 'Sales',
          stream_data_type: 'currency',
          stream_description: 'Open pipeline, daily',
          stream_active: '1',
          stream_connector_id: null,
          stream_data_last_updated: null,
          stream_last_data_value: null,
        },
      },
    });
    const { stream_id, stream_private_key } = body.data.stream;

    // WorkBoard's script, host changed: the static signature is the private key itself.
    const push = await t.app.inject({
      method: 'POST',
      url: `/wb/apis/stream/${stream_id}`,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-stream-signature': stream_private_key,
      },
      payload: formPush(250),
    });
    expect(push.statusCode, push.body).toBe(200);
    const milestone = (await f.call(org.key, 'GET', `/v1/milestones/${milestoneId}`)).json().data;
    expect(milestone.current_value).toBe(250);
    // And the HMAC form WorkBoard documents as the signature.
    const json = JSON.stringify({ data: { stream: { connector: { connector_data: { value: '260' } } } } });
    const signed = await t.app.inject({
      method: 'POST',
      url: `/wb/apis/stream/${stream_id}`,
      headers: {
        'content-type': 'application/json',
        'x-stream-signature': createHmac('sha256', stream_private_key).update(json).digest('hex'),
      },
      payload: json,
    });
    expect(signed.statusCode, signed.body).toBe(200);

    // Audited as any stream, without its secret.
    const events = (await f.call(org.key, 'GET', '/v1/audit-events?object_type=datastream')).json().data;
    expect(events.map((e: { action: string }) => e.action)).toContain('datastream.created');
    expect(JSON.stringify(events)).not.toContain(stream_private_key);
  });

  it('takes metric_id as a number, and the WorkBoard fields are optional', async () => {
    const res = await create(members.owner.key, { stream_name: 'Bare', metric_id: milestoneId });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data.stream).toMatchObject({
      stream_name: 'Bare',
      stream_frequency: '',
      stream_category: '',
      stream_data_type: '',
      stream_description: '',
    });
  });

  it('takes an empty stream_permission: it grants no one', async () => {
    const body = { stream_name: 'Unshared', metric_id: milestoneId, stream_permission: [] };
    expect((await create(members.owner.key, body)).statusCode).toBe(200);
  });

  it('refuses a body without stream_name, and makes nothing', async () => {
    const before = await streamCount();
    expectWbError(
      await create(members.owner.key, { metric_id: milestoneId }),
      400,
      'missing_required_parameters',
    );
    expect(await streamCount()).toBe(before);
  });

  it('refuses a body without metric_id, naming it, and makes nothing', async () => {
    const before = await streamCount();
    const res = await create(members.owner.key, { stream_name: 'Org-level', stream_frequency: 'daily' });
    expectWbError(res, 400, 'missing_required_parameters');
    expect(res.json().error_description).toContain('metric_id');
    expect(await streamCount()).toBe(before);
  });

  it.each([
    ['a data type WorkBoard does not document', { stream_data_type: 'ratio' }],
    ['a frequency WorkBoard does not document', { stream_frequency: 'hourly' }],
    ['a permission type WorkBoard does not document', { stream_permission: [{ id: '1', type: 'group' }] }],
    ['a name too long', { stream_name: 'x'.repeat(101) }],
    ['an empty name', { stream_name: '' }],
    ['a category too long', { stream_category: 'x'.repeat(101) }],
    ['a metric_id beyond bigint', { metric_id: '99999999999999999999' }],
    ['a metric_id of zero', { metric_id: 0 }],
    ['a NUL in the name', { stream_name: 'a\u0000b' }],
    ['a lone surrogate in the description', { stream_description: 'a\ud800b' }],
    ['an unknown field', { stream_key: 'ds_mine' }],
  ])('refuses %s with 400 invalid_parameters, and makes nothing', async (_, change) => {
    const before = await streamCount();
    const body = { stream_name: 'Bad', metric_id: milestoneId, ...change };
    expectWbError(await create(members.owner.key, body), 400, 'invalid_parameters');
    expect(await streamCount()).toBe(before);
  });

  it('refuses a permission that would share the stream with anyone else, and makes nothing', async () => {
    const before = await streamCount();
    for (const permission of [
      { id: String(members.peer.id), type: 'user' },
      { id: '7', type: 'team' },
      { id: String(org.orgId), type: 'org' },
    ]) {
      const body = { stream_name: 'Shared', metric_id: milestoneId, stream_permission: [permission] };
      const res = await create(members.owner.key, body);
      expectWbError(res, 400, 'invalid_parameters');
      expect(res.json().error_description).toContain('stream_permission');
    }
    expect(await streamCount()).toBe(before);
  });

  it('refuses a metric the caller may not check in on, and another organisation’s, as the service does', async () => {
    const before = await streamCount();
    const peer = await create(members.peer.key, { stream_name: 'Not mine', metric_id: milestoneId });
    // The peer sees the goal (visible to the organisation) but may not check in on its milestone.
    expectWbError(peer, 403, 'insufficient_access');
    expectWbError(
      await create(members.owner.key, { stream_name: 'Theirs', metric_id: otherMilestoneId }),
      404,
      'invalid_resource_id',
    );
    expect(await streamCount()).toBe(before);
  });

  it('refuses a live metric with a test key', async () => {
    const before = await streamCount();
    const res = await create(testOwner.key, { stream_name: 'Test', metric_id: milestoneId });
    expectWbError(res, 404, 'invalid_resource_id');
    expect(await streamCount()).toBe(before);
  });

  it('refuses a request without a bearer token, or with a wrong one', async () => {
    expectWbError(
      await create('', { stream_name: 'x', metric_id: milestoneId }),
      401,
      'missing_access_token',
    );
    expectWbError(
      await create('tw_live_nope', { stream_name: 'x', metric_id: milestoneId }),
      401,
      'invalid_access_token',
    );
    expectWbError(await list(''), 401, 'missing_access_token');
  });
});

describe('GET /wb/apis/stream', () => {
  let mine: { stream_id: string; stream_private_key: string };
  let mineId: number;
  beforeAll(async () => {
    const made = await create(members.lister.key, {
      stream_name: 'Listed',
      metric_id: listerMilestoneId,
      stream_data_type: 'percentage',
      stream_frequency: 'weekly',
      stream_category: 'Ops',
      stream_description: 'Weekly',
    });
    expect(made.statusCode, made.body).toBe(200);
    mine = made.json().data.stream;
    const [row] = (await f.call(members.lister.key, 'GET', '/v1/datastreams')).json().data;
    mineId = row.id;
  });

  it("lists the caller's own streams in WorkBoard's shape, with the fields as given and no key", async () => {
    const res = await list(members.lister.key);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      success: true,
      message: expect.any(String),
      data: {
        totalCount: 1,
        stream: [
          {
            stream_id: String(mineId),
            stream_private_key: '',
            stream_name: 'Listed',
            stream_frequency: 'weekly',
            stream_category: 'Ops',
            stream_data_type: 'percentage',
            stream_description: 'Weekly',
            stream_active: '1',
            stream_connector_id: null,
            stream_data_last_updated: null,
            stream_last_data_value: null,
          },
        ],
      },
    });
    expect(res.body).not.toContain(mine.stream_id);
    expect(res.body).not.toContain(mine.stream_private_key);
  });

  it('shows the last push', async () => {
    const pushed = await t.app.inject({
      method: 'POST',
      url: `/wb/apis/stream/${mine.stream_id}`,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-stream-signature': mine.stream_private_key,
      },
      payload: formPush(7),
    });
    expect(pushed.statusCode, pushed.body).toBe(200);
    const [row] = (await list(members.lister.key)).json().data.stream;
    expect(row.stream_last_data_value).toBe('7');
    expect(row.stream_data_last_updated).toMatch(/^\d{10}$/);
  });

  it('says "0" in stream_active for a paused stream', async () => {
    const pause = (paused: boolean) =>
      t.db.updateTable('datastreams').set({ paused }).where('id', '=', mineId).execute();
    await pause(true);
    try {
      const [row] = (await list(members.lister.key)).json().data.stream;
      expect(row.stream_active).toBe('0');
    } finally {
      await pause(false);
    }
  });

  it("does not show a member someone else's streams; an org admin sees every stream of the organisation", async () => {
    const peer = (await list(members.peer.key)).json().data;
    expect(peer).toEqual({ totalCount: 0, stream: [] });
    const admin = (await list(org.key)).json().data;
    const ids = admin.stream.map((s: { stream_id: string }) => s.stream_id);
    expect(ids).toContain(String(mineId));
    expect(admin.totalCount).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(admin)).not.toMatch(/dss?_/);
  });

  it("does not show another organisation's admin, or a test key, this organisation's live streams", async () => {
    const theirs = (await list(other.key)).json().data;
    expect(theirs).toEqual({ totalCount: 0, stream: [] });
    const test = (await list(testOwner.key)).json().data;
    expect(test).toEqual({ totalCount: 0, stream: [] });
  });

  it('pages with limit and offset, and refuses a limit out of range', async () => {
    const all = (await list(org.key)).json().data;
    const first = (await list(org.key, '?limit=1')).json().data;
    expect(first.stream).toHaveLength(1);
    expect(first.totalCount).toBe(all.totalCount);
    const second = (await list(org.key, '?limit=1&offset=1')).json().data;
    expect(second.stream[0].stream_id).toBe(all.stream[1].stream_id);
    expectWbError(await list(org.key, '?limit=101'), 400, 'invalid_parameters');
    expectWbError(await list(org.key, '?offset=-1'), 400, 'invalid_parameters');
    expectWbError(await list(org.key, '?sort=name'), 400, 'invalid_parameters');
  });
});

describe('POST /wb/apis/stream/{stream_id}: connector_id as WorkBoard documents it', () => {
  it('is optional for a stream made for no connector, and required by one made for a connector', async () => {
    const free = (await create(members.owner.key, { stream_name: 'Free', metric_id: milestoneId })).json()
      .data.stream;
    const withoutConnector = JSON.stringify({
      data: { stream: { connector: { connector_data: { value: '12' } } } },
    });
    const send = (key: string, secret: string) =>
      t.app.inject({
        method: 'POST',
        url: `/wb/apis/stream/${key}`,
        headers: { 'content-type': 'application/json', 'x-stream-signature': secret },
        payload: withoutConnector,
      });
    expect((await send(free.stream_id, free.stream_private_key)).statusCode).toBe(200);

    const bound = (
      await f.call(members.owner.key, 'POST', '/v1/datastreams', {
        name: 'CRM only',
        milestone_id: milestoneId,
        connector_id: 'crm',
      })
    ).json().data;
    expectWbError(await send(bound.stream_key, bound.secret), 400, 'invalid_webhook_action');
  });
});
