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

describe('feedback templates', () => {
  it('are created by admins with question ids and defaults, and read by everyone', async () => {
    const res = await send(people.admin.key, 'POST', '/v1/feedback-templates', {
      name: 'Defaults',
      questions: [
        { type: 'paragraph', text: 'Anything else?' },
        { type: 'star_rating', text: 'Stars' },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    const tpl = res.json().data;
    expect(tpl).toMatchObject({ anonymity: 'named', managers_can_read: true, archived: false });
    expect(tpl.questions[0]).toMatchObject({ type: 'paragraph', limit: 10_000, required: false });
    expect(tpl.questions[1]).toMatchObject({ type: 'star_rating', stars: 5 });
    expect(tpl.questions[0].id).not.toBe(tpl.questions[1].id);
    const listed = await send(people.outsider.key, 'GET', '/v1/feedback-templates?q=defaults');
    expect(listed.json().data.map((x: { id: number }) => x.id)).toEqual([tpl.id]);
    const created = await send(
      org.key,
      'GET',
      `/v1/audit-events?action=feedback_template.created&object_id=${tpl.id}`,
    );
    expect(created.json().total_count).toBe(1);
  });

  it('are refused to members before their body is read, and nothing is written', async () => {
    const res = await refusedWithoutWriting(
      people.manager.key,
      'POST',
      '/v1/feedback-templates',
      { name: 5 },
      403,
      'insufficient_access',
    );
    expect(res.json().error_description).toBe('Only admins manage feedback templates and settings.');
    await refusedWithoutWriting(
      people.recipient.key,
      'PATCH',
      `/v1/feedback-templates/${named.id}`,
      { name: 'x' },
      403,
      'insufficient_access',
    );
  });

  it('refuse questions that do not fit their type, naming the field', async () => {
    for (const questions of [
      [{ type: 'paragraph', text: 'Q', options: ['a', 'b'] }],
      [{ type: 'scale', text: 'Q' }],
      [{ type: 'scale', text: 'Q', scale_max: 26 }],
      [{ type: 'scale', text: 'Q', scale_max: 5, labels: [{ value: 6, label: 'Six' }] }],
      [{ type: 'star_rating', text: 'Q', stars: 6 }],
      [{ type: 'single_select', text: 'Q', options: ['only'] }],
      [{ type: 'multi_select', text: 'Q', options: ['a', 'a'] }],
      [{ type: 'paragraph', text: 'Q', limit: 10_001 }],
      [],
    ]) {
      const res = await refusedWithoutWriting(
        people.admin.key,
        'POST',
        '/v1/feedback-templates',
        { name: 'Bad', questions },
        400,
        'invalid_parameters',
      );
      expect(res.json().details, JSON.stringify(questions)).toBeDefined();
    }
  });

  it('refuse a second template of the same name (409) and change one in place', async () => {
    const tpl = await makeTemplate(t, people.admin.key);
    const name = (await send(org.key, 'GET', `/v1/feedback-templates/${tpl.id}`)).json().data.name;
    await refusedWithoutWriting(
      people.admin.key,
      'POST',
      '/v1/feedback-templates',
      { name: name.toUpperCase(), questions: [{ type: 'paragraph', text: 'Q' }] },
      409,
      'duplicate_resource',
    );
    const changed = await send(people.admin.key, 'PATCH', `/v1/feedback-templates/${tpl.id}`, {
      description: 'For launches',
      managers_can_read: false,
    });
    expect(changed.json().data).toMatchObject({ description: 'For launches', managers_can_read: false });
  });
});

describe('feedback requests', () => {
  it('self-requested: asks providers with a due date; the request shows who was asked and how many answered', async () => {
    const { recipient, providers } = people;
    const request = await selfRequest(recipient.key, [providers[0].id, providers[1].id]);
    expect(request).toMatchObject({
      kind: 'self_requested',
      counts: { asked: 2, submitted: 0, declined: 0, pending: 2 },
    });
    const got = (await send(recipient.key, 'GET', `/v1/feedback-requests/${request.id}`)).json().data;
    expect(got).toMatchObject({
      recipient_user_id: recipient.id,
      requester_user_id: recipient.id,
      due_on: '2099-01-31',
      status: 'open',
      provider_ids: [providers[0].id, providers[1].id].sort((a, b) => a - b),
      your_status: null,
    });
    expect(got.questions).toHaveLength(5);
    // A provider sees the request and their own status, not who else was asked.
    const asProvider = (await send(providers[0].key, 'GET', `/v1/feedback-requests/${request.id}`)).json()
      .data;
    expect(asProvider).toMatchObject({
      your_status: 'pending',
      provider_ids: null,
      counts: null,
      providers: null,
    });
    const mine = await send(providers[0].key, 'GET', `/v1/feedback-requests?provider_id=${providers[0].id}`);
    expect(mine.json().data.map((r: { id: number }) => r.id)).toContain(request.id);
  });

  it('manager-requested: about a report only, on a template managers may read', async () => {
    const { manager, recipient, outsider, providers } = people;
    const res = await send(manager.key, 'POST', '/v1/feedback-requests', {
      recipient_id: recipient.id,
      template_id: named.id,
      provider_ids: [providers[2].id],
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().data).toMatchObject({ kind: 'manager_requested', requester_user_id: manager.id });
    await refusedWithoutWriting(
      outsider.key,
      'POST',
      '/v1/feedback-requests',
      { recipient_id: recipient.id, template_id: named.id, provider_ids: [providers[2].id] },
      403,
      'insufficient_access',
    );
    const closed = await makeTemplate(t, people.admin.key, 'named', { managers_can_read: false });
    await refusedWithoutWriting(
      manager.key,
      'POST',
      '/v1/feedback-requests',
      { recipient_id: recipient.id, template_id: closed.id, provider_ids: [providers[2].id] },
      422,
      'invalid_operation',
    );
  });

  it('refuse a provider asked twice, the recipient as a provider, a past due date and unknown people', async () => {
    const { recipient, providers } = people;
    const request = await selfRequest(recipient.key, [providers[0].id]);
    await refusedWithoutWriting(
      recipient.key,
      'POST',
      `/v1/feedback-requests/${request.id}/providers`,
      { provider_ids: [providers[1].id, providers[0].id] },
      409,
      'duplicate_resource',
    );
    for (const [body, status, code] of [
      [
        { template_id: named.id, provider_ids: [providers[1].id, providers[1].id] },
        400,
        'invalid_parameters',
      ],
      [{ template_id: named.id, provider_ids: [recipient.id] }, 422, 'invalid_operation'],
      [
        { template_id: named.id, provider_ids: [providers[1].id], due_on: '2001-01-01' },
        400,
        'invalid_parameters',
      ],
      [{ template_id: named.id, provider_ids: [987_654_321] }, 422, 'invalid_operation'],
      [{ template_id: 987_654_321, provider_ids: [providers[1].id] }, 404, 'invalid_resource_id'],
    ] as const) {
      await refusedWithoutWriting(recipient.key, 'POST', '/v1/feedback-requests', body, status, code);
    }
    const more = await send(recipient.key, 'POST', `/v1/feedback-requests/${request.id}/providers`, {
      provider_ids: [providers[1].id],
    });
    expect(more.json().data.counts.asked).toBe(2);
  });

  it('are cancelled by their requester only; a cancelled request takes no answer', async () => {
    const { recipient, providers, manager } = people;
    const request = await selfRequest(recipient.key, [providers[0].id]);
    const url = `/v1/feedback-requests/${request.id}/cancel`;
    await refusedWithoutWriting(providers[0].key, 'POST', url, undefined, 403, 'insufficient_access');
    await refusedWithoutWriting(manager.key, 'POST', url, undefined, 403, 'insufficient_access');
    await refusedWithoutWriting(people.outsider.key, 'POST', url, undefined, 404, 'invalid_resource_id');
    const cancelled = await send(recipient.key, 'POST', url);
    expect(cancelled.json().data).toMatchObject({ status: 'cancelled', cancelled_at: expect.any(String) });
    await refusedWithoutWriting(recipient.key, 'POST', url, undefined, 422, 'invalid_operation');
    await refusedWithoutWriting(
      providers[0].key,
      'POST',
      `/v1/feedback-requests/${request.id}/responses`,
      { answers: goodAnswers(named) },
      422,
      'invalid_operation',
    );
  });

  it('are declined by a provider with a reason, which a named request shows with the name', async () => {
    const { recipient, providers } = people;
    const request = await selfRequest(recipient.key, [providers[3].id]);
    const url = `/v1/feedback-requests/${request.id}/decline`;
    await refusedWithoutWriting(recipient.key, 'POST', url, { reason: 'No' }, 403, 'insufficient_access');
    const declined = await send(providers[3].key, 'POST', url, { reason: 'I have not worked with them' });
    expect(declined.json().data.your_status).toBe('declined');
    const seen = (await send(recipient.key, 'GET', `/v1/feedback-requests/${request.id}`)).json().data;
    expect(seen.providers).toEqual([
      { user_id: providers[3].id, status: 'declined', decline_reason: 'I have not worked with them' },
    ]);
    await refusedWithoutWriting(providers[3].key, 'POST', url, { reason: 'again' }, 422, 'invalid_operation');
    await refusedWithoutWriting(
      providers[3].key,
      'POST',
      `/v1/feedback-requests/${request.id}/responses`,
      { answers: goodAnswers(named) },
      422,
      'invalid_operation',
    );
  });
});

describe('feedback responses', () => {
  it('are validated against the questions asked: each bad answer is a 400 naming it, and nothing is written', async () => {
    const { recipient, providers } = people;
    const request = await selfRequest(recipient.key, [providers[0].id]);
    const other = await makeTemplate(t, people.admin.key);
    const url = `/v1/feedback-requests/${request.id}/responses`;
    const q = named.q;
    const cases: [string, unknown][] = [
      ['wrong type', [{ question_id: q.paragraph, value: 5 }]],
      [
        'scale out of range',
        [
          { question_id: q.paragraph, value: 'ok' },
          { question_id: q.scale, value: 6 },
        ],
      ],
      [
        'scale of zero',
        [
          { question_id: q.paragraph, value: 'ok' },
          { question_id: q.scale, value: 0 },
        ],
      ],
      [
        'too many stars',
        [
          { question_id: q.paragraph, value: 'ok' },
          { question_id: q.stars, value: 4 },
        ],
      ],
      [
        'unknown option',
        [
          { question_id: q.paragraph, value: 'ok' },
          { question_id: q.single, value: 'Maybe' },
        ],
      ],
      [
        'unknown option in a list',
        [
          { question_id: q.paragraph, value: 'ok' },
          { question_id: q.multi, value: ['Focus', 'Luck'] },
        ],
      ],
      ['over the limit', [{ question_id: q.paragraph, value: 'x'.repeat(201) }]],
      [
        'a question of another template',
        [
          { question_id: q.paragraph, value: 'ok' },
          { question_id: other.q.scale, value: 3 },
        ],
      ],
      ['a required question left out', [{ question_id: q.scale, value: 3 }]],
      [
        'the same question twice',
        [
          { question_id: q.paragraph, value: 'ok' },
          { question_id: q.paragraph, value: 'ok' },
        ],
      ],
      ['no answer', []],
    ];
    // The same sentences as conversations' (src/domain/questions/ decides them for both).
    const sentences: Record<string, string> = {
      'wrong type': 'a paragraph question takes text',
      'scale out of range': 'must be between 1 and 5',
      'scale of zero': 'must be between 1 and 5',
      'too many stars': 'must be between 1 and 3 stars',
      'unknown option': '"Maybe" is not one of the question\'s options',
      'unknown option in a list': '"Luck" is not one of the question\'s options',
      'over the limit': "is longer than the question's limit of 200 characters",
      'a question of another template': 'is not one of the questions asked here',
      'a required question left out': `question ${q.paragraph} is required`,
      'the same question twice': 'is answered twice',
      'no answer': 'at least one question must be answered',
    };
    for (const [label, answers] of cases) {
      const res = await refusedWithoutWriting(
        providers[0].key,
        'POST',
        url,
        { answers },
        400,
        'invalid_parameters',
      );
      const problems = res.json().details.map((d: { problem: string }) => d.problem);
      expect(problems, label).toContain(sentences[label]);
    }
  });

  it('are given once by a provider who was asked, and read back by them, the recipient, the manager and HR in scope', async () => {
    const { recipient, providers, manager, boss, hr, outsider, admin } = people;
    const request = await selfRequest(recipient.key, [providers[0].id]);
    const url = `/v1/feedback-requests/${request.id}/responses`;
    const res = await send(providers[0].key, 'POST', url, { answers: goodAnswers(named) });
    expect(res.statusCode, res.body).toBe(201);
    const response = res.json().data;
    expect(response).toMatchObject({
      request_id: request.id,
      provider_user_id: providers[0].id,
      recipient_user_id: recipient.id,
      anonymity: 'named',
    });
    expect(response.answers).toEqual(goodAnswers(named));
    await refusedWithoutWriting(
      providers[0].key,
      'POST',
      url,
      { answers: goodAnswers(named) },
      409,
      'duplicate_resource',
    );
    await refusedWithoutWriting(
      manager.key,
      'POST',
      url,
      { answers: goodAnswers(named) },
      403,
      'insufficient_access',
    );
    await refusedWithoutWriting(
      outsider.key,
      'POST',
      url,
      { answers: goodAnswers(named) },
      404,
      'invalid_resource_id',
    );
    for (const reader of [providers[0], recipient, manager, boss, hr]) {
      const one = await send(reader.key, 'GET', `/v1/feedback/${response.id}`);
      expect(one.statusCode, `reader ${reader.id}`).toBe(200);
      const listed = await send(reader.key, 'GET', `/v1/feedback?request_id=${request.id}`);
      expect(listed.json().data.map((r: { id: number }) => r.id)).toEqual([response.id]);
    }
    for (const stranger of [outsider, admin, providers[1]]) {
      expectError(await send(stranger.key, 'GET', `/v1/feedback/${response.id}`), 404, 'invalid_resource_id');
      expect(
        (await send(stranger.key, 'GET', `/v1/feedback?request_id=${request.id}`)).json().total_count,
      ).toBe(0);
    }
    expectError(await send(org.key, 'GET', `/v1/feedback/${response.id}`), 404, 'invalid_resource_id');
    const results = (await send(recipient.key, 'GET', `/v1/feedback-requests/${request.id}/results`)).json()
      .data;
    expect(results).toMatchObject({ submitted: 1, withheld: false, anonymous_to_you: false });
    expect(results.questions[1]).toMatchObject({ answered: 1, average: 4 });
    expect(results.questions[3].options).toEqual([
      { option: 'Yes', count: 1 },
      { option: 'No', count: 0 },
    ]);
    const audit = await send(
      org.key,
      'GET',
      `/v1/audit-events?action=feedback.submitted&object_id=${response.id}`,
    );
    expect(audit.json().data[0]).toMatchObject({ actor_user_id: providers[0].id });
  });

  it('are hidden from managers where the template says so, and HR in scope still reads them', async () => {
    const closed = await makeTemplate(t, people.admin.key, 'named', { managers_can_read: false });
    const { recipient, providers, manager, hr } = people;
    const request = await selfRequest(recipient.key, [providers[1].id], closed);
    const res = await send(providers[1].key, 'POST', `/v1/feedback-requests/${request.id}/responses`, {
      answers: goodAnswers(closed),
    });
    const id = res.json().data.id;
    expectError(await send(manager.key, 'GET', `/v1/feedback/${id}`), 404, 'invalid_resource_id');
    expectError(
      await send(manager.key, 'GET', `/v1/feedback-requests/${request.id}`),
      404,
      'invalid_resource_id',
    );
    expect((await send(hr.key, 'GET', `/v1/feedback/${id}`)).statusCode).toBe(200);
  });
});

describe('unprompted feedback', () => {
  it('is given as a paragraph or as answers to a named template, always named', async () => {
    const { providers, recipient, manager } = people;
    const free = await send(providers[4].key, 'POST', '/v1/feedback', {
      recipient_id: recipient.id,
      body: 'Great demo today.',
    });
    expect(free.statusCode, free.body).toBe(201);
    expect(free.json().data).toMatchObject({
      request_id: null,
      body: 'Great demo today.',
      anonymity: 'named',
    });
    const templated = await send(providers[4].key, 'POST', '/v1/feedback', {
      recipient_id: recipient.id,
      template_id: named.id,
      answers: goodAnswers(named),
    });
    expect(templated.statusCode, templated.body).toBe(201);
    const listed = await send(manager.key, 'GET', `/v1/feedback?provider_id=${providers[4].id}`);
    expect(listed.json().total_count).toBe(2);
  });

  it('refuses an anonymous template, both or neither of body and template, bad answers and oneself', async () => {
    const { providers, recipient } = people;
    const anonymous = await makeTemplate(t, people.admin.key, 'anonymous_to_all');
    for (const [body, status, code] of [
      [
        { recipient_id: recipient.id, template_id: anonymous.id, answers: goodAnswers(anonymous) },
        422,
        'invalid_operation',
      ],
      [
        { recipient_id: recipient.id, template_id: named.id, answers: goodAnswers(named), body: 'x' },
        400,
        'invalid_parameters',
      ],
      [{ recipient_id: recipient.id }, 400, 'invalid_parameters'],
      [
        {
          recipient_id: recipient.id,
          template_id: named.id,
          answers: [{ question_id: named.q.scale, value: 9 }],
        },
        400,
        'invalid_parameters',
      ],
      [{ recipient_id: providers[4].id, body: 'Me' }, 422, 'invalid_operation'],
      [{ recipient_id: recipient.id, body: 'x'.repeat(10_001) }, 400, 'invalid_parameters'],
      [{ recipient_id: 987_654_321, body: 'Who?' }, 422, 'invalid_operation'],
    ] as const) {
      await refusedWithoutWriting(providers[4].key, 'POST', '/v1/feedback', body, status, code);
    }
  });
});

describe('another organisation', () => {
  it("cannot read or act on this organisation's feedback: 404, nothing written", async () => {
    const other = await t.createOrg();
    const stranger = await t.createMember(other);
    const request = await selfRequest(people.recipient.key, [people.providers[5].id]);
    const answered = await send(
      people.providers[5].key,
      'POST',
      `/v1/feedback-requests/${request.id}/responses`,
      {
        answers: goodAnswers(named),
      },
    );
    const responseId = answered.json().data.id;
    for (const key of [other.key, stranger.key]) {
      for (const [method, url, body] of [
        ['GET', `/v1/feedback-requests/${request.id}`, undefined],
        ['GET', `/v1/feedback-requests/${request.id}/results`, undefined],
        ['POST', `/v1/feedback-requests/${request.id}/cancel`, undefined],
        ['POST', `/v1/feedback-requests/${request.id}/decline`, { reason: 'x' }],
        ['GET', `/v1/feedback/${responseId}`, undefined],
        ['GET', `/v1/feedback-templates/${named.id}`, undefined],
      ] as const) {
        await refusedWithoutWriting(key, method, url, body, 404, 'invalid_resource_id');
      }
      await refusedWithoutWriting(
        key,
        'POST',
        '/v1/feedback-requests',
        { template_id: named.id, provider_ids: [people.providers[0].id] },
        404,
        'invalid_resource_id',
      );
    }
  });
});

describe('input PostgreSQL cannot store', () => {
  it('is a 400 that writes nothing: NUL and lone surrogates in answers and bodies, ids past 2^53', async () => {
    const { recipient, providers } = people;
    const request = await selfRequest(recipient.key, [providers[5].id]);
    const url = `/v1/feedback-requests/${request.id}/responses`;
    for (const [target, body] of [
      [url, { answers: [{ question_id: named.q.paragraph, value: 'a\u0000b' }] }],
      [
        url,
        {
          answers: [
            { question_id: named.q.paragraph, value: 'ok' },
            { question_id: named.q.multi, value: ['\ud800'] },
          ],
        },
      ],
      [url, { answers: [{ question_id: 2 ** 63, value: 'ok' }] }],
      ['/v1/feedback', { recipient_id: recipient.id, body: 'lone \udc00 surrogate' }],
      ['/v1/feedback-requests', { template_id: named.id, provider_ids: [2 ** 53] }],
      [`/v1/feedback-requests/${request.id}/decline`, { reason: 'nul \u0000' }],
    ] as const) {
      await refusedWithoutWriting(providers[5].key, 'POST', target, body, 400, 'invalid_parameters');
    }
  });
});

describe('Idempotency-Key on feedback creates', () => {
  it('replays an answer sent twice with the same key, and writes it once', async () => {
    const { recipient, providers } = people;
    const request = await selfRequest(recipient.key, [providers[2].id]);
    const post = () =>
      t.request(providers[2].key, {
        method: 'POST',
        url: `/v1/feedback-requests/${request.id}/responses`,
        headers: { 'idempotency-key': `answer-${request.id}` },
        payload: { answers: goodAnswers(named) },
      });
    const first = await post();
    expect(first.statusCode, first.body).toBe(201);
    const again = await post();
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().data).toEqual(first.json().data);
    expect(
      (await send(recipient.key, 'GET', `/v1/feedback?request_id=${request.id}`)).json().total_count,
    ).toBe(1);
  });
});

describe('filters by manager', () => {
  it("list the requests and feedback about a manager's direct reports, within what the caller may read", async () => {
    const { recipient, manager, boss, providers, outsider } = people;
    const request = await selfRequest(recipient.key, [providers[3].id]);
    const given = await send(providers[3].key, 'POST', `/v1/feedback-requests/${request.id}/responses`, {
      answers: goodAnswers(named),
    });
    const ids = async (key: string, url: string) =>
      (await send(key, 'GET', url)).json().data.map((r: { id: number }) => r.id);
    expect(await ids(boss.key, `/v1/feedback-requests?manager_id=${manager.id}&size=100`)).toContain(
      request.id,
    );
    expect(await ids(boss.key, `/v1/feedback?manager_id=${manager.id}&size=100`)).toContain(
      given.json().data.id,
    );
    expect(await ids(boss.key, `/v1/feedback?manager_id=${boss.id}&size=100`)).not.toContain(
      given.json().data.id,
    );
    expect(await ids(outsider.key, `/v1/feedback?manager_id=${manager.id}`)).toEqual([]);
  });
});
