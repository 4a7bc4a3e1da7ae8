import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from './envelope-assert.js';
import {
  feedbackCalls,
  feedbackPeople,
  goodAnswers,
  makeTemplate,
  type Template,
} from './feedback-fixtures.js';
import { type Org, startTestApp, type TestApp } from './harness.js';

/** Scheduled 360 and upward cycles, reminders and the feedback settings (docs/feedback.md). */

let t: TestApp;
let org: Org;
let people: Awaited<ReturnType<typeof feedbackPeople>>;
let named: Template;

beforeAll(async () => {
  t = await startTestApp();
  org = await t.createOrg();
  people = await feedbackPeople(t, org);
  named = await makeTemplate(t, people.admin.key, 'named');
});
afterAll(() => t.close());

const { send, refusedWithoutWriting, ...calls } = feedbackCalls(() => t);
const selfRequest = (key: string, providerIds: number[], template = named) =>
  calls.selfRequest(key, providerIds, template);

describe('feedback settings', () => {
  it('hold the anonymity threshold: 3 by default, never below, set by admins', async () => {
    expect((await send(people.outsider.key, 'GET', '/v1/settings/feedback')).json().data).toEqual({
      anonymity_threshold: 3,
    });
    await refusedWithoutWriting(
      people.outsider.key,
      'PUT',
      '/v1/settings/feedback',
      { anonymity_threshold: 5 },
      403,
      'insufficient_access',
    );
    await refusedWithoutWriting(
      people.admin.key,
      'PUT',
      '/v1/settings/feedback',
      { anonymity_threshold: 2 },
      400,
      'invalid_parameters',
    );
    const set = await send(people.admin.key, 'PUT', '/v1/settings/feedback', { anonymity_threshold: 3 });
    expect(set.json().data).toEqual({ anonymity_threshold: 3 });
  });
});

describe('scheduled cycles (360 and upward)', () => {
  it('make one request per recipient with the providers chosen for them, read by the recipient, not the admin', async () => {
    const { admin, recipient, manager, providers } = people;
    const anon = await makeTemplate(t, admin.key, 'anonymous_to_all');
    const res = await send(admin.key, 'POST', '/v1/feedback-cycles', {
      name: 'H1 360',
      kind: '360',
      template_id: anon.id,
      due_on: '2099-06-30',
      assignments: [
        { recipient_id: recipient.id, provider_ids: [providers[0].id, providers[1].id, providers[2].id] },
        { recipient_id: manager.id, provider_ids: [providers[3].id] },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    const cycle = res.json().data;
    expect(cycle).toMatchObject({ kind: '360', requests: 2, asked: 4, submitted: 0, pending: 4 });
    const mine = (await send(recipient.key, 'GET', `/v1/feedback-requests?cycle_id=${cycle.id}`)).json();
    expect(mine.total_count).toBe(1);
    const request = mine.data[0];
    expect(request).toMatchObject({ kind: 'scheduled', cycle_id: cycle.id, recipient_user_id: recipient.id });
    expectError(
      await send(admin.key, 'GET', `/v1/feedback-requests/${request.id}`),
      404,
      'invalid_resource_id',
    );
    for (const p of [providers[0], providers[1], providers[2]]) {
      const answered = await send(p.key, 'POST', `/v1/feedback-requests/${request.id}/responses`, {
        answers: goodAnswers(anon),
      });
      expect(answered.statusCode, answered.body).toBe(201);
    }
    const results = (await send(recipient.key, 'GET', `/v1/feedback-requests/${request.id}/results`)).json()
      .data;
    expect(results).toMatchObject({ withheld: false, submitted: 3 });
    expect((await send(admin.key, 'GET', `/v1/feedback-cycles/${cycle.id}`)).json().data).toMatchObject({
      submitted: 3,
      pending: 1,
    });
  });

  it('ask upward feedback of direct reports only, all of them by default', async () => {
    const { admin, manager, recipient, providers } = people;
    const res = await send(admin.key, 'POST', '/v1/feedback-cycles', {
      name: 'Upward',
      kind: 'upward',
      template_id: named.id,
      assignments: [{ recipient_id: manager.id }],
    });
    expect(res.statusCode, res.body).toBe(201);
    const request = (
      await send(manager.key, 'GET', `/v1/feedback-requests?cycle_id=${res.json().data.id}`)
    ).json().data[0];
    expect(request.provider_ids).toEqual([recipient.id]);
    await refusedWithoutWriting(
      admin.key,
      'POST',
      '/v1/feedback-cycles',
      {
        name: 'Bad',
        kind: 'upward',
        template_id: named.id,
        assignments: [{ recipient_id: manager.id, provider_ids: [providers[0].id] }],
      },
      422,
      'invalid_operation',
    );
    await refusedWithoutWriting(
      admin.key,
      'POST',
      '/v1/feedback-cycles',
      {
        name: 'Bad',
        kind: 'upward',
        template_id: named.id,
        assignments: [{ recipient_id: providers[0].id }],
      },
      422,
      'invalid_operation',
    );
  });

  it('refuse members, a recipient twice, a 360 without providers, a past due date and self-feedback', async () => {
    const { admin, recipient, providers } = people;
    const body = (extra: object) => ({ name: 'Bad', kind: '360', template_id: named.id, ...extra });
    await refusedWithoutWriting(
      recipient.key,
      'POST',
      '/v1/feedback-cycles',
      { name: 1 },
      403,
      'insufficient_access',
    );
    for (const [payload, status, code] of [
      [
        body({
          assignments: [
            { recipient_id: recipient.id, provider_ids: [providers[0].id] },
            { recipient_id: recipient.id, provider_ids: [providers[1].id] },
          ],
        }),
        400,
        'invalid_parameters',
      ],
      [body({ assignments: [{ recipient_id: recipient.id }] }), 400, 'invalid_parameters'],
      [
        body({
          due_on: '2001-01-01',
          assignments: [{ recipient_id: recipient.id, provider_ids: [providers[0].id] }],
        }),
        400,
        'invalid_parameters',
      ],
      [
        body({ assignments: [{ recipient_id: recipient.id, provider_ids: [recipient.id] }] }),
        422,
        'invalid_operation',
      ],
      [body({ assignments: [] }), 400, 'invalid_parameters'],
    ] as const) {
      await refusedWithoutWriting(admin.key, 'POST', '/v1/feedback-cycles', payload, status, code);
    }
  });

  it('send reminders as events that say how many providers are pending, never who', async () => {
    const { admin, recipient, providers } = people;
    const created = await send(admin.key, 'POST', '/v1/feedback-cycles', {
      name: 'Reminded',
      kind: '360',
      template_id: named.id,
      assignments: [{ recipient_id: recipient.id, provider_ids: [providers[4].id, providers[5].id] }],
    });
    const cycleId = created.json().data.id;
    await refusedWithoutWriting(
      recipient.key,
      'POST',
      `/v1/feedback-cycles/${cycleId}/remind`,
      undefined,
      403,
      'insufficient_access',
    );
    const reminded = await send(admin.key, 'POST', `/v1/feedback-cycles/${cycleId}/remind`);
    expect(reminded.json().data).toEqual({ cycle_id: cycleId, reminded_requests: 1, pending_providers: 2 });
    const events = (
      await send(org.key, 'GET', '/v1/audit-events?action=feedback_request.reminder_due&size=100')
    ).json().data;
    const row = events.find((e: { changes: { cycle_id?: number } }) => e.changes.cycle_id === cycleId);
    expect(row.changes).toEqual({ cycle_id: cycleId, pending: 2 });

    const own = await selfRequest(recipient.key, [providers[4].id]);
    const url = `/v1/feedback-requests/${own.id}/remind`;
    await refusedWithoutWriting(providers[4].key, 'POST', url, undefined, 403, 'insufficient_access');
    expect((await send(recipient.key, 'POST', url)).statusCode).toBe(200);
    await send(providers[4].key, 'POST', `/v1/feedback-requests/${own.id}/decline`, { reason: 'Busy' });
    await refusedWithoutWriting(recipient.key, 'POST', url, undefined, 422, 'invalid_operation');
  });
});
