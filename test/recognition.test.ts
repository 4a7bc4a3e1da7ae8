import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from './envelope-assert.js';
import { type Member, type Org, startTestApp, type TestApp } from './harness.js';

/** Recognition (docs/recognition.md), through HTTP with real keys, on whichever engine the run uses. */
let t: TestApp;
let org: Org;
let other: Org;
/** How far the app's clock is ahead of the real one: edits past 24 hours are tried by moving it, not waiting. */
let shift = 0;
const HOUR = 3600_000;

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const call = (
  key: string,
  method: Method,
  url: string,
  payload?: unknown,
  headers?: Record<string, string>,
) => t.request(key, { method, url, ...(payload !== undefined && { payload: payload as object }), headers });

const auditCount = async () =>
  Number(
    (
      await t.db
        .selectFrom('audit_events')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
const recognitionCount = async () =>
  Number(
    (
      await t.db
        .selectFrom('recognitions')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

const give = async (key: string, body: Record<string, unknown>) => {
  const res = await call(key, 'POST', '/v1/recognition', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json().data;
};
const listedIds = async (key: string, query = '') => {
  const res = await call(key, 'GET', `/v1/recognition?size=100${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().data.map((r: { id: number }) => r.id);
};
const counts = async (key: string, userId: number) =>
  (await call(key, 'GET', `/v1/recognition/counts?user_id=${userId}`)).json().data;
const hashtags = async (key: string, query = '') =>
  (await call(key, 'GET', `/v1/recognition/hashtags?size=100${query}`)).json().data as {
    hashtag: string;
    count: number;
  }[];

/** A refusal with its code that wrote nothing: no recognition, no audit row. */
async function refused(
  send: () => Promise<Awaited<ReturnType<typeof call>>>,
  status: number,
  code: string,
  label: string,
) {
  const [audits, rows] = [await auditCount(), await recognitionCount()];
  expectError(await send(), status, code, label);
  expect(await auditCount(), `${label}: no audit row`).toBe(audits);
  expect(await recognitionCount(), `${label}: no recognition`).toBe(rows);
}

let giver: Member;
let receiver: Member;
let manager: Member;
let bystander: Member;
let admin: Member;
let department: number;

beforeAll(async () => {
  t = await startTestApp({ clock: () => Date.now() + shift });
  org = await t.createOrg();
  other = await t.createOrg();
  const dept = await call(org.key, 'POST', '/v1/departments', { name: 'Sales' });
  department = dept.json().data.id;
  manager = await t.createMember(org);
  giver = await t.createMember(org);
  receiver = await t.createMember(org, { fields: { manager_id: manager.id, department_id: department } });
  bystander = await t.createMember(org);
  admin = await t.createMember(org, { role: 'admin' });
});
afterAll(() => t.close());

describe('company values', () => {
  it('are read by everyone and created, changed and deleted by admins only', async () => {
    const made = await call(admin.key, 'POST', '/v1/company-values', { name: 'Ownership' });
    expect(made.statusCode, made.body).toBe(201);
    const id = made.json().data.id;
    expectError(
      await call(giver.key, 'POST', '/v1/company-values', { name: 'Mine' }),
      403,
      'insufficient_access',
    );
    expectError(
      await call(giver.key, 'PATCH', `/v1/company-values/${id}`, { name: 'x' }),
      403,
      'insufficient_access',
    );
    expectError(await call(giver.key, 'DELETE', `/v1/company-values/${id}`), 403, 'insufficient_access');
    expectError(
      await call(admin.key, 'POST', '/v1/company-values', { name: 'ownership' }),
      409,
      'duplicate_resource',
    );
    const renamed = await call(admin.key, 'PATCH', `/v1/company-values/${id}`, {
      description: 'Act like it',
    });
    expect(renamed.json().data).toMatchObject({ id, name: 'Ownership', description: 'Act like it' });
    const list = await call(giver.key, 'GET', '/v1/company-values');
    expect(list.json().data.map((v: { id: number }) => v.id)).toContain(id);
    expect((await call(admin.key, 'DELETE', `/v1/company-values/${id}`)).statusCode).toBe(200);
    expect((await call(giver.key, 'GET', `/v1/company-values/${id}`)).statusCode).toBe(404);
  });
});

describe('giving recognition', () => {
  it('records giver, receivers, message, hashtags, value and goal, and reads back', async () => {
    const value = (await call(admin.key, 'POST', '/v1/company-values', { name: 'Teamwork' })).json().data;
    const goal = (
      await call(giver.key, 'POST', '/v1/goals', {
        name: 'Ship it',
        starts_on: '2020-01-01',
        ends_on: '2099-12-31',
      })
    ).json().data;
    const made = await give(giver.key, {
      receiver_ids: [receiver.id, bystander.id],
      message: 'Great work on #Launch2026 and the #launch2026 demo, #Thanks! Not a tag: C#1',
      hashtags: ['#Customer_First', 'thanks'],
      company_value_id: value.id,
      goal_id: goal.id,
    });
    expect(made).toMatchObject({
      giver_id: giver.id,
      receiver_ids: [receiver.id, bystander.id].sort((a, b) => a - b),
      hashtags: ['customer_first', 'launch2026', 'thanks'],
      visibility: 'public',
      company_value: { id: value.id, name: 'Teamwork' },
      related_goal: { id: goal.id, name: 'Ship it' },
      reactions: [],
      comment_count: 0,
    });
    const read = await call(bystander.key, 'GET', `/v1/recognition/${made.id}`);
    expect(read.json().data).toEqual(made);
    expect(Date.parse(made.editable_until) - Date.parse(made.created_at)).toBe(24 * HOUR);
  });

  it('expands a team to its members at write time, leaving the giver out', async () => {
    const team = (await call(admin.key, 'POST', '/v1/teams', { name: 'Crew', kind: 'functional' })).json()
      .data;
    for (const m of [giver, receiver, bystander]) {
      await call(admin.key, 'PUT', `/v1/teams/${team.id}/members/${m.id}`, { team_role: 'member' });
    }
    const made = await give(giver.key, { team_id: team.id, message: 'Thanks, crew' });
    expect(made.receiver_ids).toEqual([receiver.id, bystander.id].sort((a, b) => a - b));
    expect(made.team_id).toBe(team.id);
    // A later member does not receive what was given before they joined.
    await call(admin.key, 'PUT', `/v1/teams/${team.id}/members/${manager.id}`, { team_role: 'member' });
    expect(
      (await call(giver.key, 'GET', `/v1/recognition/${made.id}`)).json().data.receiver_ids,
    ).not.toContain(manager.id);
  });

  it('honours Idempotency-Key on create', async () => {
    const headers = { 'idempotency-key': `rec-${Date.now()}` };
    const body = { receiver_ids: [receiver.id], message: 'Once only' };
    const first = await call(giver.key, 'POST', '/v1/recognition', body, headers);
    const again = await call(giver.key, 'POST', '/v1/recognition', body, headers);
    expect(first.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().data.id).toBe(first.json().data.id);
  });

  it('refuses each bad write with a clear code, writing nothing', async () => {
    const gone = await t.createMember(org);
    await call(org.key, 'POST', `/v1/users/${gone.id}/deactivate`);
    const value = (await call(admin.key, 'POST', '/v1/company-values', { name: 'Retired' })).json().data;
    await call(admin.key, 'DELETE', `/v1/company-values/${value.id}`);
    const hidden = (
      await call(receiver.key, 'POST', '/v1/goals', {
        name: 'Secret',
        starts_on: '2020-01-01',
        ends_on: '2099-12-31',
        visibility: 'private',
      })
    ).json().data;
    const post = (body: Record<string, unknown>) => () =>
      call(giver.key, 'POST', '/v1/recognition', { message: 'Thanks', ...body });
    await refused(post({ receiver_ids: [giver.id] }), 422, 'invalid_operation', 'self-recognition');
    await refused(
      post({ receiver_ids: [receiver.id, giver.id] }),
      422,
      'invalid_operation',
      'self among others',
    );
    await refused(post({ receiver_ids: [gone.id] }), 422, 'invalid_operation', 'deactivated receiver');
    await refused(post({ receiver_ids: [] }), 422, 'invalid_operation', 'no receiver');
    await refused(post({ receiver_ids: [987654321] }), 422, 'invalid_operation', 'unknown receiver');
    await refused(
      post({ receiver_ids: [receiver.id], message: 'x'.repeat(2001) }),
      400,
      'invalid_parameters',
      'message over 2,000',
    );
    await refused(
      post({ receiver_ids: [receiver.id], hashtags: ['no spaces'] }),
      400,
      'invalid_parameters',
      'bad hashtag',
    );
    await refused(
      post({ receiver_ids: [receiver.id], hashtags: ['x'.repeat(51)] }),
      400,
      'invalid_parameters',
      'hashtag too long',
    );
    await refused(
      post({ receiver_ids: [receiver.id], company_value_id: 987654321 }),
      422,
      'invalid_operation',
      'unknown value',
    );
    await refused(
      post({ receiver_ids: [receiver.id], company_value_id: value.id }),
      422,
      'invalid_operation',
      'deleted value',
    );
    await refused(
      post({ receiver_ids: [receiver.id], goal_id: hidden.id }),
      422,
      'invalid_operation',
      'a goal the giver may not see',
    );
    // 2,000 characters exactly is allowed.
    await give(giver.key, { receiver_ids: [receiver.id], message: 'y'.repeat(2000) });
  });

  it('refuses NUL, lone surrogates and ids beyond 2^53 with 400', async () => {
    const post = (body: Record<string, unknown>) => () =>
      call(giver.key, 'POST', '/v1/recognition', { receiver_ids: [receiver.id], message: 'ok', ...body });
    await refused(post({ message: 'nul \u0000 here' }), 400, 'invalid_parameters', 'NUL');
    await refused(post({ message: 'lone \ud800 surrogate' }), 400, 'invalid_parameters', 'lone surrogate');
    await refused(post({ hashtags: ['a\u0000b'] }), 400, 'invalid_parameters', 'NUL in a hashtag');
    // Sent as raw JSON: a JavaScript number cannot hold 2^53 + 1.
    const raw = (json: string) => () =>
      t.request(giver.key, {
        method: 'POST',
        url: '/v1/recognition',
        payload: json,
        headers: { 'content-type': 'application/json' },
      });
    await refused(
      raw('{"receiver_ids": [9007199254740993], "message": "ok"}'),
      400,
      'invalid_parameters',
      'id beyond 2^53',
    );
    await refused(
      raw(`{"receiver_ids": [${receiver.id}], "message": "ok", "company_value_id": 9007199254740993}`),
      400,
      'invalid_parameters',
      'value id beyond 2^53',
    );
    expectError(await call(giver.key, 'GET', '/v1/recognition/9007199254740993'), 400, 'invalid_parameters');
    expectError(
      await call(giver.key, 'GET', '/v1/recognition?receiver_id=9007199254740993'),
      400,
      'invalid_parameters',
    );
    expectError(await call(giver.key, 'GET', '/v1/recognition?hashtag=%00'), 400, 'invalid_parameters');
  });
});

describe('editing and deleting', () => {
  it('lets the giver edit within 24 hours only, recomputing hashtags', async () => {
    const made = await give(giver.key, { receiver_ids: [receiver.id], message: 'Nice #one' });
    const edit = (key: string, body: unknown) => call(key, 'PATCH', `/v1/recognition/${made.id}`, body);
    const before = await auditCount();
    expectError(await edit(receiver.key, { message: 'hijack' }), 403, 'insufficient_access', 'non-giver');
    expectError(
      await edit(admin.key, { message: 'hijack' }),
      403,
      'insufficient_access',
      'admin is no giver',
    );
    expect(await auditCount()).toBe(before);
    expect((await edit(giver.key, { message: 'Nice #one' })).statusCode).toBe(200);
    expect(await auditCount(), 'an edit that changes nothing writes nothing').toBe(before);
    shift = 23 * HOUR;
    const edited = await edit(giver.key, { message: 'Very nice #two', hashtags: ['extra'] });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json().data).toMatchObject({ message: 'Very nice #two', hashtags: ['extra', 'two'] });
    shift = 25 * HOUR;
    try {
      const audits = await auditCount();
      expectError(await edit(giver.key, { message: 'too late' }), 422, 'invalid_operation', 'after 24 h');
      expect(await auditCount()).toBe(audits);
      const read = await call(giver.key, 'GET', `/v1/recognition/${made.id}`);
      expect(read.json().data.message).toBe('Very nice #two');
    } finally {
      shift = 0;
    }
  });

  it('lets the giver or an admin delete, not another member; the audit log keeps it', async () => {
    const mine = await give(giver.key, { receiver_ids: [receiver.id], message: 'Bye #gone' });
    const audits = await auditCount();
    expectError(
      await call(bystander.key, 'DELETE', `/v1/recognition/${mine.id}`),
      403,
      'insufficient_access',
    );
    expectError(await call(receiver.key, 'DELETE', `/v1/recognition/${mine.id}`), 403, 'insufficient_access');
    expect(await auditCount()).toBe(audits);
    expect((await call(giver.key, 'DELETE', `/v1/recognition/${mine.id}`)).statusCode).toBe(200);
    expect((await call(giver.key, 'GET', `/v1/recognition/${mine.id}`)).statusCode).toBe(404);
    expect(await listedIds(giver.key)).not.toContain(mine.id);
    const moderated = await give(giver.key, { receiver_ids: [receiver.id], message: 'Moderated' });
    expect((await call(admin.key, 'DELETE', `/v1/recognition/${moderated.id}`)).statusCode).toBe(200);
    const log = (await call(org.key, 'GET', `/v1/audit-events?object_id=${mine.id}&size=100`)).json().data;
    const deleted = log.find((e: { action: string }) => e.action === 'recognition.deleted');
    expect(deleted?.changes).toMatchObject({ message: 'Bye #gone', receiver_ids: [receiver.id] });
  });
});

describe('privacy', () => {
  it('shows a private recognition to giver, receivers, their managers and admins only', async () => {
    const secret = await give(giver.key, {
      receiver_ids: [receiver.id],
      message: 'Quiet thanks #hushhush',
      visibility: 'private',
    });
    for (const [who, key] of [
      ['giver', giver.key],
      ['receiver', receiver.key],
      ["receiver's manager", manager.key],
      ['admin', admin.key],
      ['super admin', org.key],
    ] as const) {
      expect((await call(key, 'GET', `/v1/recognition/${secret.id}`)).statusCode, who).toBe(200);
      expect(await listedIds(key), who).toContain(secret.id);
    }
    expectError(await call(bystander.key, 'GET', `/v1/recognition/${secret.id}`), 404, 'invalid_resource_id');
    expect(await listedIds(bystander.key)).not.toContain(secret.id);
    expect(await listedIds(bystander.key, `&receiver_id=${receiver.id}`)).not.toContain(secret.id);
    expect((await hashtags(bystander.key)).map((h) => h.hashtag)).not.toContain('hushhush');
    expect((await hashtags(receiver.key)).find((h) => h.hashtag === 'hushhush')?.count).toBe(1);
    const seen = await counts(receiver.key, receiver.id);
    const unseen = await counts(bystander.key, receiver.id);
    expect(seen.received - unseen.received).toBe(1);
    expect((await counts(giver.key, giver.id)).given - (await counts(bystander.key, giver.id)).given).toBe(1);
    for (const path of ['reactions', 'comments']) {
      expect((await call(bystander.key, 'GET', `/v1/recognition/${secret.id}/${path}`)).statusCode).toBe(404);
    }
    const reacted = await call(bystander.key, 'POST', `/v1/recognition/${secret.id}/reactions`, {
      kind: 'like',
    });
    expectError(reacted, 404, 'invalid_resource_id');
    expectError(
      await call(bystander.key, 'DELETE', `/v1/recognition/${secret.id}`),
      404,
      'invalid_resource_id',
    );
  });

  it('never reveals a related goal its reader may not see', async () => {
    const goal = (
      await call(giver.key, 'POST', '/v1/goals', {
        name: 'Private plan',
        starts_on: '2020-01-01',
        ends_on: '2099-12-31',
        visibility: 'private',
      })
    ).json().data;
    const made = await give(giver.key, {
      receiver_ids: [receiver.id],
      message: 'For the plan',
      goal_id: goal.id,
    });
    expect(made.related_goal).toEqual({ id: goal.id, name: 'Private plan' });
    const seenByOther = (await call(bystander.key, 'GET', `/v1/recognition/${made.id}`)).json().data;
    expect(seenByOther.related_goal).toBeNull();
    const listed = (await call(bystander.key, 'GET', `/v1/recognition?giver_id=${giver.id}&size=100`)).json()
      .data;
    expect(listed.find((r: { id: number }) => r.id === made.id).related_goal).toBeNull();
    expect(JSON.stringify(seenByOther)).not.toContain('Private plan');
    expect((await call(admin.key, 'GET', `/v1/recognition/${made.id}`)).json().data.related_goal?.id).toBe(
      goal.id,
    );
  });

  it("answers another organisation's ids with 404, writing nothing", async () => {
    const made = await give(giver.key, { receiver_ids: [receiver.id], message: 'Ours' });
    const stranger = await t.createMember(other);
    const strangersColleague = await t.createMember(other);
    const value = (await call(admin.key, 'POST', '/v1/company-values', { name: 'Ours only' })).json().data;
    const audits = await auditCount();
    for (const [method, url, body] of [
      ['GET', `/v1/recognition/${made.id}`],
      ['PATCH', `/v1/recognition/${made.id}`, { message: 'x' }],
      ['DELETE', `/v1/recognition/${made.id}`],
      ['GET', `/v1/recognition/${made.id}/comments`],
      ['POST', `/v1/recognition/${made.id}/comments`, { body: 'x' }],
      ['POST', `/v1/recognition/${made.id}/reactions`, { kind: 'like' }],
      ['GET', `/v1/company-values/${value.id}`],
      ['PATCH', `/v1/company-values/${value.id}`, { name: 'x' }],
      ['DELETE', `/v1/company-values/${value.id}`],
    ] as [Method, string, unknown?][]) {
      expectError(await call(other.key, method, url, body), 404, 'invalid_resource_id', `${method} ${url}`);
    }
    expect(await listedIds(other.key)).not.toContain(made.id);
    expectError(
      await call(stranger.key, 'POST', '/v1/recognition', { receiver_ids: [receiver.id], message: 'x' }),
      422,
      'invalid_operation',
    );
    expectError(
      await call(stranger.key, 'POST', '/v1/recognition', {
        receiver_ids: [strangersColleague.id],
        message: 'x',
        company_value_id: value.id,
      }),
      422,
      'invalid_operation',
    );
    expect(await auditCount()).toBe(audits);
  });
});

describe('lists and counts', () => {
  it('filters by receiver, giver, hashtag, value, department, period and dates', async () => {
    const value = (await call(admin.key, 'POST', '/v1/company-values', { name: 'Curiosity' })).json().data;
    const a = await give(giver.key, {
      receiver_ids: [receiver.id],
      message: 'Asked the right question #curious',
      company_value_id: value.id,
    });
    const b = await give(bystander.key, { receiver_ids: [manager.id], message: 'Thanks #curious' });
    const c = await give(manager.key, { receiver_ids: [bystander.id], message: 'Cheers #other' });
    const ids = (q: string) => listedIds(bystander.key, q);
    expect(await ids(`&receiver_id=${receiver.id}`)).toContain(a.id);
    expect(await ids(`&receiver_id=${receiver.id}`)).not.toContain(b.id);
    expect(await ids(`&giver_id=${bystander.id}`)).toEqual(expect.arrayContaining([b.id]));
    expect(await ids(`&giver_id=${bystander.id}`)).not.toContain(a.id);
    expect(await ids('&hashtag=%23Curious')).toEqual(expect.arrayContaining([a.id, b.id]));
    expect(await ids('&hashtag=curious')).not.toContain(c.id);
    expect(await ids(`&company_value_id=${value.id}`)).toEqual([a.id]);
    expect(await ids(`&department_id=${department}`)).toContain(a.id);
    expect(await ids(`&department_id=${department}`)).not.toContain(c.id);
    const future = new Date(Date.now() + 48 * HOUR).toISOString();
    expect(await ids(`&created_from=${encodeURIComponent(future)}`)).toEqual([]);
    expect(await ids(`&created_to=${encodeURIComponent(future)}`)).toEqual(
      expect.arrayContaining([a.id, b.id, c.id]),
    );
    const day = (offset: number) => new Date(Date.now() + offset * 24 * HOUR).toISOString().slice(0, 10);
    const now = (
      await call(admin.key, 'POST', '/v1/periods', { name: 'Now', starts_on: day(-1), ends_on: day(1) })
    ).json().data;
    const later = (
      await call(admin.key, 'POST', '/v1/periods', { name: 'Later', starts_on: day(10), ends_on: day(20) })
    ).json().data;
    expect(await ids(`&period_id=${now.id}`)).toEqual(expect.arrayContaining([a.id, b.id, c.id]));
    expect(await ids(`&period_id=${later.id}`)).toEqual([]);
    expectError(
      await call(giver.key, 'GET', '/v1/recognition?hashtag=two%20words'),
      400,
      'invalid_parameters',
    );
  });

  it('counts hashtags over a range and what each person gave and received', async () => {
    const someone = await t.createMember(org);
    const before = await counts(bystander.key, someone.id);
    expect(before).toEqual({ user_id: someone.id, given: 0, received: 0 });
    await give(someone.key, { receiver_ids: [receiver.id], message: 'One #rangetest' });
    await give(giver.key, { receiver_ids: [someone.id], message: 'Two #rangetest #solo' });
    await give(bystander.key, { receiver_ids: [someone.id], message: 'Three #RangeTest' });
    expect(await counts(bystander.key, someone.id)).toEqual({ user_id: someone.id, given: 1, received: 2 });
    expect((await call(someone.key, 'GET', '/v1/recognition/counts')).json().data.user_id).toBe(someone.id);
    const tags = await hashtags(bystander.key);
    expect(tags.find((h) => h.hashtag === 'rangetest')?.count).toBe(3);
    expect(tags.find((h) => h.hashtag === 'solo')?.count).toBe(1);
    const future = encodeURIComponent(new Date(Date.now() + HOUR).toISOString());
    expect(await hashtags(bystander.key, `&from=${future}`)).toEqual([]);
    const past = encodeURIComponent(new Date(Date.now() - HOUR).toISOString());
    expect((await hashtags(bystander.key, `&to=${past}`)).map((h) => h.hashtag)).not.toContain('rangetest');
    expectError(
      await call(bystander.key, 'GET', '/v1/recognition/counts?user_id=987654321'),
      404,
      'invalid_resource_id',
    );
  });
});

describe('reactions and comments', () => {
  it('allows one reaction per person per kind, taken back only by its author', async () => {
    const made = await give(giver.key, { receiver_ids: [receiver.id], message: 'React to me' });
    const react = (key: string, kind: string) =>
      call(key, 'POST', `/v1/recognition/${made.id}/reactions`, { kind });
    const first = await react(bystander.key, 'clap');
    expect(first.statusCode).toBe(201);
    const again = await react(bystander.key, 'clap');
    expect(again.statusCode).toBe(200);
    expect(again.json().data.id).toBe(first.json().data.id);
    expect((await react(bystander.key, 'heart')).statusCode).toBe(201);
    expect((await react(receiver.key, 'clap')).statusCode).toBe(201);
    expectError(await react(receiver.key, 'shrug'), 400, 'invalid_parameters');
    const read = (await call(giver.key, 'GET', `/v1/recognition/${made.id}`)).json().data;
    expect(read.reactions).toEqual([
      { kind: 'clap', count: 2 },
      { kind: 'heart', count: 1 },
    ]);
    const reactionId = first.json().data.id;
    const url = `/v1/recognition/${made.id}/reactions/${reactionId}`;
    expectError(await call(giver.key, 'DELETE', url), 403, 'insufficient_access');
    expect((await call(bystander.key, 'DELETE', url)).statusCode).toBe(200);
    const listed = (await call(giver.key, 'GET', `/v1/recognition/${made.id}/reactions`)).json();
    expect(listed.total_count).toBe(2);
  });

  it('lets readers comment; the author or an admin deletes a comment', async () => {
    const made = await give(giver.key, { receiver_ids: [receiver.id], message: 'Discuss' });
    const post = (key: string, body: string) =>
      call(key, 'POST', `/v1/recognition/${made.id}/comments`, { body });
    const mine = (await post(receiver.key, 'Thank you!')).json().data;
    const theirs = (await post(bystander.key, 'Well deserved')).json().data;
    expect(mine).toMatchObject({ recognition_id: made.id, author_user_id: receiver.id, body: 'Thank you!' });
    const del = (key: string, id: number) => call(key, 'DELETE', `/v1/recognition/${made.id}/comments/${id}`);
    expectError(await del(giver.key, mine.id), 403, 'insufficient_access');
    expect((await del(receiver.key, mine.id)).statusCode).toBe(200);
    expect((await del(admin.key, theirs.id)).statusCode).toBe(200);
    expect((await call(giver.key, 'GET', `/v1/recognition/${made.id}/comments`)).json().data).toEqual([]);
    expectError(await post(receiver.key, 'z'.repeat(2001)), 400, 'invalid_parameters');
  });
});
