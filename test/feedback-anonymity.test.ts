import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from './envelope-assert.js';
import { feedbackPeople, goodAnswers, makeTemplate, type Template } from './feedback-fixtures.js';
import { type Member, type Org, startTestApp, type TestApp } from './harness.js';

/**
 * Issue 14, item 5: an anonymous provider is revealed to nobody but themselves. One test per channel a
 * reader could learn it through (docs/feedback.md, "How anonymity is guaranteed"); each would fail if a
 * provider leaked through it.
 */
let t: TestApp;
let org: Org;
let people: Awaited<ReturnType<typeof feedbackPeople>>;
let anon: Template;
let toRecipient: Template;
const lines: string[] = [];

beforeAll(async () => {
  t = await startTestApp({
    logger: {
      level: 'trace',
      stream: { write: (chunk: string) => lines.push(...chunk.split('\n').filter(Boolean)) },
    },
  });
  org = await t.createOrg();
  people = await feedbackPeople(t, org);
  anon = await makeTemplate(t, people.admin.key, 'anonymous_to_all');
  toRecipient = await makeTemplate(t, people.admin.key, 'anonymous_to_recipient');
}, 300_000);
afterAll(() => t?.close());

type Method = 'GET' | 'POST' | 'PUT';
const send = (key: string, method: Method, url: string, payload?: object) =>
  t.request(key, { method, url, ...(payload && { payload }) });

async function request(asker: Member, providers: Member[], template: Template) {
  const res = await send(asker.key, 'POST', '/v1/feedback-requests', {
    template_id: template.id,
    provider_ids: providers.map((p) => p.id),
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().data.id as number;
}

async function answer(provider: Member, requestId: number, template: Template, text: string) {
  const res = await send(provider.key, 'POST', `/v1/feedback-requests/${requestId}/responses`, {
    answers: goodAnswers(template, text),
  });
  expect(res.statusCode, res.body).toBe(201);
  return { id: res.json().data.id as number, requestId: res.headers['x-request-id'] as string };
}

/** Everyone but the providers: the recipient, their managers, HR in scope, admins and the super admin. */
const readers = () => [
  people.recipient,
  people.manager,
  people.boss,
  people.hr,
  people.admin,
  { id: org.adminId, key: org.key, email: '' },
];

/** A request anonymous to all, answered by providers 0–2 and declined by 3: its pool is final. */
let scene: { requestId: number; responses: { id: number; requestId: string }[] } | undefined;
async function answeredRequest() {
  if (scene) return scene;
  const [p0, p1, p2, p3] = people.providers;
  const requestId = await request(people.recipient, [p0, p1, p2, p3], anon);
  const responses = [
    await answer(p0, requestId, anon, 'Calm under pressure'),
    await answer(p1, requestId, anon, 'Asks good questions'),
    await answer(p2, requestId, anon, 'Brings snacks'),
  ];
  const declined = await send(p3.key, 'POST', `/v1/feedback-requests/${requestId}/decline`, {
    reason: 'Away',
  });
  expect(declined.statusCode).toBe(200);
  scene = { requestId, responses };
  return scene;
}

describe('anonymity: the response body', () => {
  it('shows an anonymous response to its provider only; every other reader gets it pooled, without names', async () => {
    const { requestId, responses } = await answeredRequest();
    const [p0] = people.providers;
    const own = await send(p0.key, 'GET', `/v1/feedback/${responses[0]?.id}`);
    expect(own.json().data).toMatchObject({ provider_user_id: p0.id, anonymity: 'anonymous_to_all' });
    expectError(await send(p0.key, 'GET', `/v1/feedback/${responses[1]?.id}`), 404, 'invalid_resource_id');
    for (const reader of readers()) {
      for (const { id } of responses) {
        expectError(await send(reader.key, 'GET', `/v1/feedback/${id}`), 404, 'invalid_resource_id');
      }
      const listed = await send(reader.key, 'GET', `/v1/feedback?request_id=${requestId}`);
      expect(listed.json(), `reader ${reader.id}`).toMatchObject({ data: [], total_count: 0 });
    }
    for (const reader of [people.recipient, people.manager, people.boss, people.hr]) {
      const seen = (await send(reader.key, 'GET', `/v1/feedback-requests/${requestId}`)).json().data;
      expect(seen.providers, `reader ${reader.id}`).toBeNull();
      expect(seen.counts).toEqual({ asked: 4, submitted: 3, declined: 1, pending: 0 });
      expect(seen.decline_reasons).toEqual(['Away']);
      const results = (await send(reader.key, 'GET', `/v1/feedback-requests/${requestId}/results`)).json()
        .data;
      expect(results).toMatchObject({ withheld: false, anonymous_to_you: true, submitted: 3 });
      expect(JSON.stringify(results)).not.toMatch(/provider|user_id|"id"/);
    }
  });
});

describe('anonymity: list filters by provider', () => {
  it('answer the same for a provider who wrote an anonymous answer, one who did not, and one never asked', async () => {
    await answeredRequest();
    const [p0, , , p3, p4] = people.providers;
    for (const reader of readers()) {
      const by = async (providerId: number) => {
        const body = (await send(reader.key, 'GET', `/v1/feedback?provider_id=${providerId}`)).json();
        return { data: body.data, total_count: body.total_count };
      };
      const wrote = await by(p0.id);
      expect(wrote, `reader ${reader.id}: wrote vs asked`).toEqual(await by(p3.id));
      expect(wrote, `reader ${reader.id}: wrote vs never asked`).toEqual(await by(p4.id));
      expect(wrote.total_count).toBe(0);
    }
    // Filtering requests by provider means "was asked", which the requester chose: answering changes nothing.
    const asked = async (providerId: number) =>
      (await send(people.recipient.key, 'GET', `/v1/feedback-requests?provider_id=${providerId}`)).json()
        .total_count;
    expect(await asked(p0.id)).toBe(await asked(p3.id));
  });
});

describe('anonymity: ordering', () => {
  it('gives responses random ids and pools texts in text order, whatever order they came in', async () => {
    const { responses } = await answeredRequest();
    for (const { id } of responses) expect(id).toBeGreaterThanOrEqual(2 ** 52);
    const [p0, p1, p2] = people.providers;
    const texts = ['Brings snacks', 'Asks good questions', 'Calm under pressure'];
    const first = await request(people.recipient, [p0, p1, p2], anon);
    for (const [i, p] of [p0, p1, p2].entries()) await answer(p, first, anon, texts[i] as string);
    const second = await request(people.recipient, [p0, p1, p2], anon);
    for (const [i, p] of [p2, p1, p0].entries()) await answer(p, second, anon, texts[i] as string);
    const pooled = async (id: number) =>
      (await send(people.recipient.key, 'GET', `/v1/feedback-requests/${id}/results`)).json().data.questions;
    const a = await pooled(first);
    expect(a[0].texts).toEqual([...texts].sort());
    expect(a).toEqual(await pooled(second));
  });
});

describe('anonymity: counts', () => {
  it("never count an anonymous answer where a reader could tell whose it is: only the request's totals move", async () => {
    const [, , , , p4, p5] = people.providers;
    const totals = async () => {
      const out: number[] = [];
      for (const reader of readers()) {
        out.push((await send(reader.key, 'GET', '/v1/feedback')).json().total_count);
        out.push((await send(reader.key, 'GET', `/v1/feedback?provider_id=${p4.id}`)).json().total_count);
      }
      return out;
    };
    const requestId = await request(people.recipient, [p4, p5], anon);
    const before = await totals();
    await answer(p4, requestId, anon, 'Quiet leader');
    expect(await totals()).toEqual(before);
    const seen = (await send(people.recipient.key, 'GET', `/v1/feedback-requests/${requestId}`)).json().data;
    expect(seen).toMatchObject({ counts: { asked: 2, submitted: 1 }, providers: null });
    // The provider's own list counts it.
    expect((await send(p4.key, 'GET', `/v1/feedback?request_id=${requestId}`)).json().total_count).toBe(1);
  });
});

describe('anonymity: the audit log, read by a super admin', () => {
  it('names no actor, key or request id for an anonymous answer or decline, and keeps only the day', async () => {
    const [p0, p1] = people.providers;
    // A named change just before, so that an id in sequence would sit right after it.
    const named = await send(p0.key, 'POST', '/v1/feedback', {
      recipient_id: people.recipient.id,
      body: 'Thanks!',
    });
    expect(named.statusCode).toBe(201);
    const requestId = await request(people.manager, [p0, p1], anon);
    const answered = await answer(p0, requestId, anon, 'Direct and kind');
    const declined = await send(p1.key, 'POST', `/v1/feedback-requests/${requestId}/decline`, {
      reason: 'Too new',
    });
    expect(declined.statusCode).toBe(200);

    const audit = async (query: string) =>
      (await send(org.key, 'GET', `/v1/audit-events?size=100&${query}`)).json();
    const submitted = (await audit(`action=feedback.submitted&object_id=${answered.id}`)).data;
    const declines = (await audit(`action=feedback_request.declined&object_id=${requestId}`)).data;
    for (const row of [...submitted, ...declines]) {
      expect(row).toMatchObject({ actor_user_id: null, api_key_id: null, request_id: null });
      expect(row.occurred_at).toMatch(/T00:00:00\.000Z$/);
      expect(row.id).toBeGreaterThanOrEqual(2 ** 52);
      expect(JSON.stringify(row.changes)).not.toContain(String(p0.id));
    }
    expect(submitted).toHaveLength(1);
    expect(declines).toHaveLength(1);
    for (const p of [p0, p1]) {
      const theirs = (await audit(`actor_user_id=${p.id}`)).data.map((r: { action: string }) => r.action);
      expect(theirs).not.toContain('feedback.submitted');
      expect(theirs).not.toContain('feedback_request.declined');
    }
    expect((await audit(`request_id=${answered.requestId}`)).total_count).toBe(0);
    // The provider's named change is the newest row of the sequence: the anonymous one is not beside it.
    const namedRow = (await audit(`request_id=${named.headers['x-request-id']}`)).data[0];
    const next = (await audit(`since=${namedRow.occurred_at}`)).data.map((r: { id: number }) => r.id);
    expect(next[next.indexOf(namedRow.id) + 1]).not.toBe(submitted[0].id);
  });
});

describe('anonymity: error messages', () => {
  it('answer the same whether or not the provider wrote, and for a response that does not exist', async () => {
    const [p0, p1] = people.providers;
    const requestId = await request(people.recipient, [p0, p1], anon);
    const errorOf = async (key: string, method: Method, url: string, payload?: object) => {
      const { error, error_description, message } = (await send(key, method, url, payload)).json();
      return { error, error_description, message };
    };
    const probes = () =>
      Promise.all(
        readers().flatMap((r) => [
          errorOf(r.key, 'POST', `/v1/feedback-requests/${requestId}/responses`, {
            answers: goodAnswers(anon),
          }),
          errorOf(r.key, 'POST', `/v1/feedback-requests/${requestId}/decline`, { reason: 'x' }),
        ]),
      );
    const before = await probes();
    const { id } = await answer(p0, requestId, anon, 'Reliable');
    expect(await probes()).toEqual(before);
    for (const reader of readers()) {
      expect(await errorOf(reader.key, 'GET', `/v1/feedback/${id}`)).toEqual(
        await errorOf(reader.key, 'GET', `/v1/feedback/${id + 1}`),
      );
    }
  });
});

describe('anonymity: the request log at trace', () => {
  it("logs a feedback route by its pattern, without the caller's address or any id", async () => {
    const [p0, p1] = people.providers;
    const requestId = await request(people.recipient, [p0, p1], anon);
    const { requestId: reqId, id } = await answer(p0, requestId, anon, 'Steady');
    await send(p0.key, 'GET', `/v1/feedback/${id}`);
    const ofAnswer = lines.filter((l) => l.includes(`"reqId":"${reqId}"`));
    expect(ofAnswer.length).toBeGreaterThan(0);
    const feedbackLines = lines.filter((l) => /"url":"\/v1\/feedback(-requests)?[/"?]/.test(l));
    expect(feedbackLines.length).toBeGreaterThan(4);
    for (const line of feedbackLines) {
      expect(line).not.toMatch(new RegExp(`[/=]${requestId}\\b`));
      expect(line).not.toContain(String(id));
      expect(line).not.toContain('remoteAddress');
    }
    expect(ofAnswer.some((l) => l.includes('"url":"/v1/feedback-requests/:id/responses"'))).toBe(true);
  });
});

describe('anonymity: the threshold', () => {
  it('withholds pooled answers below the threshold with the reason, and follows the organisation setting', async () => {
    const [p0, p1, p2] = people.providers;
    const requestId = await request(people.recipient, [p0, p1, p2], anon);
    const results = async () =>
      (await send(people.recipient.key, 'GET', `/v1/feedback-requests/${requestId}/results`)).json().data;
    await answer(p0, requestId, anon, 'One');
    await answer(p1, requestId, anon, 'Two');
    const below = await results();
    expect(below).toMatchObject({ withheld: true, submitted: 2, threshold: 3 });
    expect(below.withheld_reason).toContain('3 providers');
    expect(below.questions.every((q: { answered: number }) => q.answered === 0)).toBe(true);
    await answer(p2, requestId, anon, 'Three');
    expect((await results()).questions[0].texts).toEqual(['One', 'Three', 'Two']);
    await send(people.admin.key, 'PUT', '/v1/settings/feedback', { anonymity_threshold: 4 });
    expect(await results()).toMatchObject({ withheld: true, threshold: 4 });
    await send(people.admin.key, 'PUT', '/v1/settings/feedback', { anonymity_threshold: 3 });
  });
});

describe('anonymity to the recipient', () => {
  it('hides providers from the recipient and shows them to managers and HR, as the template says', async () => {
    const [p0, p1] = people.providers;
    const requestId = await request(people.recipient, [p0, p1], toRecipient);
    const { id } = await answer(p0, requestId, toRecipient, 'Good mentor');
    await send(p1.key, 'POST', `/v1/feedback-requests/${requestId}/decline`, { reason: 'On leave' });
    const asRecipient = (await send(people.recipient.key, 'GET', `/v1/feedback-requests/${requestId}`)).json()
      .data;
    expect(asRecipient).toMatchObject({ providers: null, decline_reasons: ['On leave'] });
    expectError(await send(people.recipient.key, 'GET', `/v1/feedback/${id}`), 404, 'invalid_resource_id');
    expect(
      (await send(people.recipient.key, 'GET', `/v1/feedback-requests/${requestId}/results`)).json().data,
    ).toMatchObject({ withheld: true, anonymous_to_you: true });
    for (const overseer of [people.manager, people.hr]) {
      const seen = (await send(overseer.key, 'GET', `/v1/feedback-requests/${requestId}`)).json().data;
      expect(seen.providers).toContainEqual({ user_id: p0.id, status: 'submitted', decline_reason: null });
      expect((await send(overseer.key, 'GET', `/v1/feedback/${id}`)).json().data.provider_user_id).toBe(
        p0.id,
      );
    }
  });

  it('hides them from an HR admin who is the recipient, even with themselves in scope', async () => {
    const hr = await t.createMember(org, { role: 'hr_admin' });
    const group = await send(org.key, 'POST', '/v1/groups', { name: `Self ${hr.id}`, user_ids: [hr.id] });
    await send(org.key, 'PUT', `/v1/users/${hr.id}/hr-scope`, {
      department_ids: [],
      group_ids: [group.json().data.id],
    });
    const [p0, p1] = people.providers;
    const requestId = await request(hr, [p0, p1], toRecipient);
    const { id } = await answer(p0, requestId, toRecipient, 'Fair');
    expectError(await send(hr.key, 'GET', `/v1/feedback/${id}`), 404, 'invalid_resource_id');
    expect(
      (await send(hr.key, 'GET', `/v1/feedback-requests/${requestId}`)).json().data.providers,
    ).toBeNull();
  });
});

describe('anonymity: pools that differ by one provider', () => {
  it('refuses asking more people on an anonymous request once answers came in, so no two pools single one out', async () => {
    const [p0, p1, p2, p3] = people.providers;
    const requestId = await request(people.recipient, [p0, p1, p2], anon);
    for (const [i, p] of [p0, p1, p2].entries()) await answer(p, requestId, anon, `Answer ${i}`);
    const before = (await send(people.recipient.key, 'GET', `/v1/feedback-requests/${requestId}`)).json()
      .data;
    const res = await send(people.recipient.key, 'POST', `/v1/feedback-requests/${requestId}/providers`, {
      provider_ids: [p3.id],
    });
    expectError(res, 422, 'invalid_operation');
    const after = (await send(people.recipient.key, 'GET', `/v1/feedback-requests/${requestId}`)).json().data;
    expect(after.provider_ids).toEqual(before.provider_ids);
    // Before any answer, asking more people is fine: no pool has been seen yet.
    const fresh = await request(people.recipient, [p0], anon);
    const more = await send(people.recipient.key, 'POST', `/v1/feedback-requests/${fresh}/providers`, {
      provider_ids: [p1.id],
    });
    expect(more.statusCode).toBe(200);
  });
});

describe('anonymity: a pool never changes once shown', () => {
  it('waits for everyone (or the due date) after the threshold, and takes no answer after the due date', async () => {
    const [p0, p1, p2, p3] = people.providers;
    const requestId = await request(people.recipient, [p0, p1, p2, p3], anon);
    for (const [i, p] of [p0, p1, p2].entries()) await answer(p, requestId, anon, `Pooled ${i}`);
    const results = async () =>
      (await send(people.recipient.key, 'GET', `/v1/feedback-requests/${requestId}/results`)).json().data;
    const waiting = await results();
    expect(waiting).toMatchObject({ withheld: true, submitted: 3 });
    expect(waiting.withheld_reason).toContain('every provider has answered or declined');
    // The due date passes (behind the app's back, as time would): the pool is final and shown.
    await t.db
      .updateTable('feedback_requests')
      .set({ due_on: '2001-01-01' })
      .where('id', '=', requestId)
      .execute();
    const shown = await results();
    expect(shown).toMatchObject({ withheld: false, submitted: 3 });
    const late = await send(p3.key, 'POST', `/v1/feedback-requests/${requestId}/responses`, {
      answers: goodAnswers(anon, 'Late'),
    });
    expectError(late, 422, 'invalid_operation');
    expect(await results()).toEqual(shown);
  });
});

describe('anonymity: cancelling closes the pool', () => {
  it('shows a pool over the threshold once its requester cancels, and takes no answer after', async () => {
    const [p0, p1, p2, p3] = people.providers;
    const requestId = await request(people.recipient, [p0, p1, p2, p3], anon);
    for (const [i, p] of [p0, p1, p2].entries()) await answer(p, requestId, anon, `Closed ${i}`);
    const url = `/v1/feedback-requests/${requestId}`;
    expect((await send(people.recipient.key, 'GET', `${url}/results`)).json().data.withheld).toBe(true);
    expect((await send(people.recipient.key, 'POST', `${url}/cancel`)).statusCode).toBe(200);
    const shown = (await send(people.recipient.key, 'GET', `${url}/results`)).json().data;
    expect(shown).toMatchObject({ withheld: false, submitted: 3 });
    expect(shown.questions[0].texts).toEqual(['Closed 0', 'Closed 1', 'Closed 2']);
    const late = await send(p3.key, 'POST', `${url}/responses`, { answers: goodAnswers(anon) });
    expectError(late, 422, 'invalid_operation');
  });
});
