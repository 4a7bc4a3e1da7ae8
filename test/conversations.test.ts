import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operatorPrincipal } from '../src/domain/access/principal.js';
import { createApiKey } from '../src/domain/keys/service.js';
import { expectError } from './envelope-assert.js';
import { type Member, type Org, startTestApp, type TestApp } from './harness.js';

/**
 * Conversations (issue 14): templates and their versions, deployments, anytime conversations, answers
 * checked against their questions, and who sees what — confidential answers to HR roles only, private
 * notes to their author only, drafts to their author only.
 */
let t: TestApp;
let org: Org;
let other: Org;
/** skip → manager → report, report2 in the same department; hr covers that department. */
let skip: Member;
let manager: Member;
let report: Member;
let report2: Member;
let outsider: Member;
let hr: Member;
let hrElsewhere: Member;
let admin: Member;
let departmentId: number;

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
const send = (key: string, method: Method, url: string, payload?: object) =>
  t.request(key, { method, url, ...(payload && { payload }) });

async function ok(key: string, method: Method, url: string, payload?: object, status = 200) {
  const res = await send(key, method, url, payload);
  expect(res.statusCode, `${method} ${url} → ${res.body.slice(0, 400)}`).toBe(status);
  return res.json().data;
}

const auditCount = async () =>
  (await send(org.key, 'GET', '/v1/audit-events?size=1')).json().total_count as number;
const conversationCount = async () =>
  (await send(org.key, 'GET', '/v1/conversations?size=1')).json().total_count as number;

/** A two-way anytime template: the report's second question is confidential. */
const anytimeTemplate = {
  name: 'Weekly 1:1',
  kind: 'anytime',
  format: 'two_way',
  manager_questions: [
    { text: 'What went well?', type: 'paragraph', limit: 20, required: true },
    { text: 'Rate the week', type: 'rating', stars: 4 },
  ],
  report_questions: [
    { text: 'How do you feel?', type: 'scale', scale_max: 5, labels: ['bad', 'meh', 'ok', 'good', 'great'] },
    { text: 'Anything for HR?', type: 'paragraph', confidential: true },
    { text: 'Pick one', type: 'single_select', options: ['a', 'b', 'c'] },
    { text: 'Pick some', type: 'multi_select', options: ['x', 'y', 'z'] },
  ],
  settings: { confirm_meeting: true, readers: { skip_level: true, admins: true } },
};

interface Q {
  id: number;
}
interface Template {
  id: number;
  version: number;
  manager_questions: Q[];
  report_questions: Q[];
}
const qid = (qs: Q[], i: number) => (qs[i] as Q).id;

beforeAll(async () => {
  t = await startTestApp();
  org = await t.createOrg();
  other = await t.createOrg();
  const dept = await ok(org.key, 'POST', '/v1/departments', { name: 'Engineering' }, 201);
  departmentId = dept.id;
  skip = await t.createMember(org);
  manager = await t.createMember(org, { fields: { manager_id: skip.id, department_id: departmentId } });
  report = await t.createMember(org, { fields: { manager_id: manager.id, department_id: departmentId } });
  report2 = await t.createMember(org, { fields: { manager_id: manager.id, department_id: departmentId } });
  outsider = await t.createMember(org);
  hr = await t.createMember(org, { role: 'hr_admin' });
  hrElsewhere = await t.createMember(org, { role: 'hr_admin' });
  admin = await t.createMember(org, { role: 'admin' });
  await ok(org.key, 'PUT', `/v1/users/${hr.id}/hr-scope`, { department_ids: [departmentId], group_ids: [] });
}, 120_000);
afterAll(() => t.close());

describe('conversation templates', () => {
  it('are created by admins with ordered questions, settings and version 1, and read by everyone', async () => {
    const before = await auditCount();
    const created: Template & Record<string, unknown> = await ok(
      admin.key,
      'POST',
      '/v1/conversation-templates',
      anytimeTemplate,
      201,
    );
    expect(created).toMatchObject({
      name: 'Weekly 1:1',
      kind: 'anytime',
      format: 'two_way',
      version: 1,
      settings: {
        only_managers_start: false,
        confirm_meeting: true,
        allow_goals: false,
        readers: { skip_level: true, admins: true, hr_in_scope: true },
      },
      manager_questions: [
        { text: 'What went well?', type: 'paragraph', limit: 20, required: true, confidential: false },
        { text: 'Rate the week', type: 'rating', stars: 4, limit: null },
      ],
      report_questions: [
        { type: 'scale', scale_max: 5, labels: ['bad', 'meh', 'ok', 'good', 'great'] },
        { type: 'paragraph', confidential: true, limit: 10_000 },
        { type: 'single_select', options: ['a', 'b', 'c'] },
        { type: 'multi_select', options: ['x', 'y', 'z'] },
      ],
      deployments: [],
    });
    expect(await auditCount()).toBe(before + 1);
    const read = await ok(report.key, 'GET', `/v1/conversation-templates/${created.id}`);
    expect(read.report_questions.map((q: Q) => q.id)).toEqual(created.report_questions.map((q) => q.id));
    const listed = await send(report.key, 'GET', '/v1/conversation-templates?kind=anytime&q=weekly');
    expect(listed.json().data.map((x: Q) => x.id)).toContain(created.id);
  });

  it('refuse a member, an hr_admin, and every out-of-bounds question, writing nothing', async () => {
    for (const who of [report, hr]) {
      const res = await send(who.key, 'POST', '/v1/conversation-templates', anytimeTemplate);
      expectError(res, 403, 'insufficient_access', 'non-admin');
      expect(res.json().error_description).toBe('Only admins manage conversation templates and deployments.');
    }
    const before = await auditCount();
    const bad = (q: object) => ({ ...anytimeTemplate, manager_questions: [q] });
    const refused: [object, number][] = [
      [{ ...anytimeTemplate, name: 'x'.repeat(65) }, 400],
      [bad({ text: 'q', type: 'scale', scale_max: 26 }), 400],
      [bad({ text: 'q', type: 'scale', scale_max: 1 }), 400],
      [bad({ text: 'q', type: 'scale' }), 422],
      [bad({ text: 'q', type: 'scale', scale_max: 2, labels: ['a', 'b', 'c'] }), 422],
      [bad({ text: 'q', type: 'rating', stars: 6 }), 400],
      [bad({ text: 'q', type: 'single_select', options: ['only'] }), 422],
      [bad({ text: 'q', type: 'multi_select', options: ['a', 'a'] }), 422],
      [bad({ text: 'q', type: 'paragraph', options: ['a', 'b'] }), 422],
      [bad({ text: 'q', type: 'paragraph', limit: 10_001 }), 400],
      [{ ...anytimeTemplate, format: 'one_way' }, 422],
    ];
    for (const [body, status] of refused) {
      const res = await send(admin.key, 'POST', '/v1/conversation-templates', body);
      expectError(
        res,
        status,
        status === 400 ? 'invalid_parameters' : 'invalid_operation',
        JSON.stringify(body),
      );
    }
    expect(await auditCount()).toBe(before);
  });

  it('change in place while unused, and make a new version once a conversation uses them', async () => {
    const tpl: Template = await ok(admin.key, 'POST', '/v1/conversation-templates', anytimeTemplate, 201);
    const renamed = await ok(admin.key, 'PATCH', `/v1/conversation-templates/${tpl.id}`, {
      name: 'Renamed',
      report_questions: [{ text: 'Only this', type: 'paragraph' }],
    });
    expect(renamed).toMatchObject({ name: 'Renamed', version: 1, report_questions: [{ text: 'Only this' }] });
    const c = await ok(
      manager.key,
      'POST',
      '/v1/conversations',
      { template_id: tpl.id, report_id: report.id },
      201,
    );
    const changed = await ok(admin.key, 'PATCH', `/v1/conversation-templates/${tpl.id}`, {
      report_questions: [{ text: 'Something new', type: 'rating' }],
    });
    expect(changed).toMatchObject({ version: 2, report_questions: [{ text: 'Something new', stars: 5 }] });
    expect(changed.manager_questions.map((q: { text: string }) => q.text)).toEqual([
      'What went well?',
      'Rate the week',
    ]);
    const kept = await ok(manager.key, 'GET', `/v1/conversations/${c.id}`);
    expect(kept).toMatchObject({ template_version: 1, report_questions: [{ text: 'Only this' }] });
    // The same questions again change nothing, and settings change in place.
    const same = await ok(admin.key, 'PATCH', `/v1/conversation-templates/${tpl.id}`, {
      report_questions: [{ text: 'Something new', type: 'rating' }],
      settings: { only_managers_start: true },
    });
    expect(same).toMatchObject({ version: 2, settings: { only_managers_start: true } });
    const events = await send(org.key, 'GET', `/v1/audit-events?object_id=${tpl.id}&size=10`);
    expect(
      events
        .json()
        .data.map((e: { action: string }) => e.action)
        .sort(),
    ).toEqual([
      'conversation_template.created',
      'conversation_template.updated',
      'conversation_template.updated',
      'conversation_template.updated',
    ]);
  });

  it("answer another organisation's template with 404", async () => {
    const tpl: Template = await ok(other.key, 'POST', '/v1/conversation-templates', anytimeTemplate, 201);
    expectError(
      await send(org.key, 'GET', `/v1/conversation-templates/${tpl.id}`),
      404,
      'invalid_resource_id',
    );
    const patch = await send(org.key, 'PATCH', `/v1/conversation-templates/${tpl.id}`, { name: 'Mine' });
    expectError(patch, 404, 'invalid_resource_id');
    const start = await send(manager.key, 'POST', '/v1/conversations', {
      template_id: tpl.id,
      report_id: report.id,
    });
    expectError(start, 422, 'invalid_operation');
  });
});

/** An anytime conversation between manager and report on a fresh copy of the anytime template. */
async function anytime(overrides: object = {}) {
  const tpl: Template = await ok(
    admin.key,
    'POST',
    '/v1/conversation-templates',
    { ...anytimeTemplate, ...overrides },
    201,
  );
  const c = await ok(
    manager.key,
    'POST',
    '/v1/conversations',
    { template_id: tpl.id, report_id: report.id },
    201,
  );
  return { tpl, c };
}

describe('anytime conversations', () => {
  it('start between a report and their manager, due 28 days after the start by default', async () => {
    const before = await auditCount();
    const { tpl, c } = await anytime();
    expect(c).toMatchObject({
      template_id: tpl.id,
      template_version: 1,
      deployment_id: null,
      manager_id: manager.id,
      report_id: report.id,
      status: 'not_started',
      my_side: 'manager',
      manager_answers: null,
      report_answers: null,
      my_draft: null,
      my_private_note: null,
    });
    const start = Date.parse(`${c.starts_on}T00:00:00Z`);
    expect(Date.parse(`${c.due_on}T00:00:00Z`) - start).toBe(28 * 86_400_000);
    expect(await auditCount()).toBe(before + 2);
    const byReport = await ok(
      report.key,
      'POST',
      '/v1/conversations',
      {
        template_id: tpl.id,
        report_id: report.id,
        starts_on: '2027-03-01',
        due_on: '2027-03-05',
      },
      201,
    );
    expect(byReport).toMatchObject({ manager_id: manager.id, my_side: 'report', due_on: '2027-03-05' });
  });

  it('refuse a pair that is not a reporting line, an outsider, due before start and a scheduled template', async () => {
    const { tpl } = await anytime();
    const scheduled: Template = await ok(
      admin.key,
      'POST',
      '/v1/conversation-templates',
      { ...anytimeTemplate, kind: 'scheduled' },
      201,
    );
    const before = await auditCount();
    const cases: [Member, object, number][] = [
      [outsider, { template_id: tpl.id, report_id: report.id }, 403],
      [skip, { template_id: tpl.id, report_id: report.id }, 403],
      [manager, { template_id: tpl.id, report_id: report.id, manager_id: skip.id }, 422],
      [manager, { template_id: tpl.id, report_id: outsider.id }, 422],
      [
        manager,
        { template_id: tpl.id, report_id: report.id, starts_on: '2027-03-10', due_on: '2027-03-09' },
        422,
      ],
      [manager, { template_id: scheduled.id, report_id: report.id }, 422],
    ];
    for (const [who, body, status] of cases) {
      const res = await send(who.key, 'POST', '/v1/conversations', body);
      expectError(
        res,
        status,
        status === 403 ? 'insufficient_access' : 'invalid_operation',
        JSON.stringify(body),
      );
    }
    const managersOnly = await anytime({ settings: { only_managers_start: true } });
    const res = await send(report.key, 'POST', '/v1/conversations', {
      template_id: managersOnly.tpl.id,
      report_id: report.id,
    });
    expectError(res, 403, 'insufficient_access', 'only managers start');
    expect(await auditCount()).toBe(before + 2);
  });

  it('check every answer against its question, and write nothing when one does not fit', async () => {
    const { tpl, c } = await anytime();
    const [m0, m1] = [qid(tpl.manager_questions, 0), qid(tpl.manager_questions, 1)];
    const [r0, r1, r2, r3] = [0, 1, 2, 3].map((i) => qid(tpl.report_questions, i)) as number[];
    const foreign = await anytime();
    const before = await auditCount();
    const refused: [Member, unknown[]][] = [
      [manager, [{ question_id: m0, value: 5 }]], // wrong type
      [manager, [{ question_id: m0, value: 'x'.repeat(21) }]], // over the limit
      [manager, [{ question_id: m1, value: 5 }]], // above 4 stars
      [manager, [{ question_id: m1, value: 0 }]],
      [manager, [{ question_id: r0, value: 3 }]], // the other side's question
      [manager, [{ question_id: qid(foreign.tpl.manager_questions, 1), value: 3 }]], // another template's
      [
        manager,
        [
          { question_id: m1, value: 2 },
          { question_id: m1, value: 3 },
        ],
      ], // twice
      [report, [{ question_id: r0, value: 6 }]], // out of range
      [report, [{ question_id: r0, value: 'great' }]],
      [report, [{ question_id: r2, value: 'd' }]], // unknown option
      [report, [{ question_id: r3, value: ['x', 'q'] }]],
      [report, [{ question_id: r3, value: ['x', 'x'] }]],
      [report, [{ question_id: r3, value: 'x' }]],
      [report, [{ question_id: r1, value: ['x'] }]],
    ];
    for (const [who, answers] of refused) {
      const res = await send(who.key, 'PUT', `/v1/conversations/${c.id}/draft`, { answers });
      expectError(res, 422, 'invalid_operation', JSON.stringify(answers));
    }
    expect(await auditCount()).toBe(before);
    const unchanged = await ok(manager.key, 'GET', `/v1/conversations/${c.id}`);
    expect(unchanged).toMatchObject({ status: 'not_started', my_draft: null });
    const saved = await ok(report.key, 'PUT', `/v1/conversations/${c.id}/draft`, {
      answers: [
        { question_id: r0, value: 4 },
        { question_id: r2, value: 'b' },
        { question_id: r3, value: ['z', 'x'] },
      ],
    });
    expect(saved).toMatchObject({
      status: 'in_progress',
      my_draft: [
        { question_id: r0, value: 4 },
        { question_id: r2, value: 'b' },
        { question_id: r3, value: ['z', 'x'] },
      ],
    });
    // The other participant never sees a draft.
    expect(await ok(manager.key, 'GET', `/v1/conversations/${c.id}`)).toMatchObject({
      my_draft: null,
      report_answers: null,
    });
  });

  it('share answers once both sides submitted; confidential answers and private notes stay out of reach', async () => {
    const { tpl, c } = await anytime();
    const [m0, m1] = [qid(tpl.manager_questions, 0), qid(tpl.manager_questions, 1)];
    const [r0, r1] = [qid(tpl.report_questions, 0), qid(tpl.report_questions, 1)];
    const url = `/v1/conversations/${c.id}`;
    await ok(report.key, 'PUT', `${url}/private-note`, { body: 'my secret worry' });
    await ok(manager.key, 'PUT', `${url}/private-note`, { body: 'manager only' });
    // A required question left out refuses the submission.
    const incomplete = await send(manager.key, 'POST', `${url}/submit`, {
      answers: [{ question_id: m1, value: 3 }],
    });
    expectError(incomplete, 422, 'invalid_operation', 'required question');
    const submitted = await ok(report.key, 'POST', `${url}/submit`, {
      answers: [
        { question_id: r0, value: 2 },
        { question_id: r1, value: 'I need help' },
      ],
    });
    expect(submitted).toMatchObject({ status: 'submitted', my_private_note: 'my secret worry' });
    expect(submitted.report_answers).toHaveLength(2);
    expect((await ok(manager.key, 'GET', url)).report_answers).toBeNull();
    // Submitted answers are final.
    expectError(
      await send(report.key, 'PUT', `${url}/draft`, { answers: [] }),
      422,
      'invalid_operation',
      'after submit',
    );
    await ok(manager.key, 'PUT', `${url}/draft`, { answers: [{ question_id: m0, value: 'Good week' }] });
    const shared = await ok(manager.key, 'POST', `${url}/submit`, {});
    expect(shared).toMatchObject({
      status: 'shared',
      manager_answers: [{ question_id: m0, value: 'Good week' }],
      report_answers: [{ question_id: r0, value: 2 }],
      my_private_note: 'manager only',
      my_draft: null,
    });
    expect(shared.shared_at).not.toBeNull();
    const asReport = await ok(report.key, 'GET', url);
    expect(asReport.manager_answers).toEqual([{ question_id: m0, value: 'Good week' }]);
    expect(asReport.report_answers).toHaveLength(2);
    expect(asReport.my_private_note).toBe('my secret worry');
    // HR in scope and super admins read confidential answers; skip-level and admins read the rest.
    for (const who of [hr.key, org.key]) {
      const seen = await ok(who, 'GET', url);
      expect(seen.report_answers).toEqual([
        { question_id: r0, value: 2 },
        { question_id: r1, value: 'I need help' },
      ]);
      expect(seen).toMatchObject({ my_side: null, my_private_note: null, my_draft: null });
    }
    for (const who of [skip.key, admin.key]) {
      expect((await ok(who, 'GET', url)).report_answers).toEqual([{ question_id: r0, value: 2 }]);
    }
    // No private note text in any answer or audit row.
    for (const who of [org.key, hr.key, skip.key, admin.key, manager.key]) {
      const body = (await send(who, 'GET', url)).body;
      expect(body).not.toContain('my secret worry');
    }
    const audit = (await send(org.key, 'GET', `/v1/audit-events?object_id=${c.id}&size=50`)).body;
    expect(audit).not.toContain('my secret worry');
    expect(audit).not.toContain('I need help');
    expect(audit).toContain('conversation.private_note_saved');
  });

  it('complete after both confirmed the meeting, when the template asks for it', async () => {
    const { tpl, c } = await anytime();
    const url = `/v1/conversations/${c.id}`;
    await ok(manager.key, 'POST', `${url}/submit`, {
      answers: [{ question_id: qid(tpl.manager_questions, 0), value: 'ok' }],
    });
    expectError(
      await send(manager.key, 'POST', `${url}/complete`),
      422,
      'invalid_operation',
      'before sharing',
    );
    await ok(report.key, 'POST', `${url}/submit`, { answers: [] });
    expectError(await send(manager.key, 'POST', `${url}/complete`), 422, 'invalid_operation', 'unconfirmed');
    await ok(manager.key, 'POST', `${url}/confirm-meeting`);
    const confirmed = await ok(report.key, 'POST', `${url}/confirm-meeting`);
    expect(confirmed.manager_confirmed_at).not.toBeNull();
    expect(confirmed.report_confirmed_at).not.toBeNull();
    const done = await ok(report.key, 'POST', `${url}/complete`);
    expect(done).toMatchObject({ status: 'completed' });
    expectError(
      await send(manager.key, 'PATCH', url, { shared_notes: 'late' }),
      422,
      'invalid_operation',
      'completed',
    );
    const events = await send(org.key, 'GET', `/v1/audit-events?object_id=${c.id}&size=50`);
    expect(
      events
        .json()
        .data.map((e: { action: string }) => e.action)
        .sort(),
    ).toEqual([
      'conversation.completed',
      'conversation.created',
      'conversation.meeting_confirmed',
      'conversation.meeting_confirmed',
      'conversation.submitted',
      'conversation.submitted',
    ]);
    const noConfirm = await anytime({ settings: { confirm_meeting: false } });
    expectError(
      await send(manager.key, 'POST', `/v1/conversations/${noConfirm.c.id}/confirm-meeting`),
      422,
      'invalid_operation',
      'template does not ask',
    );
  });

  it('keep the shared notes between the two, and conversations away from those the template does not let read', async () => {
    const { c } = await anytime({
      settings: { readers: { skip_level: false, admins: false, hr_in_scope: false } },
    });
    const url = `/v1/conversations/${c.id}`;
    const noted = await ok(report.key, 'PATCH', url, { shared_notes: 'agenda: growth' });
    expect(noted).toMatchObject({ shared_notes: 'agenda: growth', status: 'in_progress' });
    expect((await ok(manager.key, 'GET', url)).shared_notes).toBe('agenda: growth');
    for (const who of [outsider, skip, admin, hr, hrElsewhere, report2]) {
      expectError(await send(who.key, 'GET', url), 404, 'invalid_resource_id', `${who.email} reads`);
      expectError(
        await send(who.key, 'PATCH', url, { shared_notes: 'x' }),
        404,
        'invalid_resource_id',
        'writes',
      );
      const listed = await send(who.key, 'GET', `/v1/conversations?size=100`);
      expect(listed.json().data.map((x: Q) => x.id)).not.toContain(c.id);
    }
    // A super admin reads it but is not a participant: writing is refused.
    expect((await ok(org.key, 'GET', url)).shared_notes).toBe('agenda: growth');
    expectError(
      await send(org.key, 'PATCH', url, { shared_notes: 'x' }),
      403,
      'insufficient_access',
      'super admin writes',
    );
    // Another organisation's key: 404.
    expectError(await send(other.key, 'GET', url), 404, 'invalid_resource_id', 'other org');
  });
});

describe('deployments', () => {
  const scheduled = { ...anytimeTemplate, name: 'Quarterly review', kind: 'scheduled' };
  const ids = (res: { json(): { data: Q[] } }) => res.json().data.map((x) => x.id);

  it('make one conversation per person of the population with their manager, in one step', async () => {
    const tpl: Template = await ok(admin.key, 'POST', '/v1/conversation-templates', scheduled, 201);
    const period = await ok(
      org.key,
      'POST',
      '/v1/periods',
      { name: 'Q1 2027', starts_on: '2027-01-01', ends_on: '2027-03-31' },
      201,
    );
    const before = await auditCount();
    const d = await ok(
      admin.key,
      'POST',
      '/v1/conversation-deployments',
      {
        template_id: tpl.id,
        period_id: period.id,
        starts_on: '2027-01-04',
        due_on: '2027-01-29',
        audience: 'departments',
        department_ids: [departmentId],
      },
      201,
    );
    expect(d).toMatchObject({
      template_id: tpl.id,
      template_version: 1,
      name: 'Quarterly review 2027-01-04',
      audience: 'departments',
      audience_ids: [departmentId],
      only_with_manager: true,
      conversation_count: 3,
    });
    expect(await auditCount()).toBe(before + 1);
    const listed = await send(org.key, 'GET', `/v1/conversations?deployment_id=${d.id}`);
    expect(listed.json().total_count).toBe(3);
    const pairs = listed
      .json()
      .data.map((c: { manager_id: number; report_id: number }) => [c.manager_id, c.report_id]);
    expect(pairs.sort()).toEqual(
      [
        [skip.id, manager.id],
        [manager.id, report.id],
        [manager.id, report2.id],
      ].sort(),
    );
    expect(listed.json().data[0]).toMatchObject({
      deployment_id: d.id,
      starts_on: '2027-01-04',
      due_on: '2027-01-29',
      status: 'not_started',
    });
    // The seed's way: the template list carries its deployments, whose id lists the conversations.
    const templates = await send(report.key, 'GET', '/v1/conversation-templates?kind=scheduled&size=100');
    const shown = templates.json().data.find((x: Q) => x.id === tpl.id);
    expect(shown.deployments).toEqual([
      expect.objectContaining({
        id: d.id,
        period_id: period.id,
        conversation_count: 3,
        starts_on: '2027-01-04',
      }),
    ]);
    // Each sees theirs: the report one, the manager three (one as report), hr in scope all, elsewhere none.
    expect(ids(await send(report.key, 'GET', `/v1/conversations?deployment_id=${d.id}`))).toHaveLength(1);
    expect(ids(await send(manager.key, 'GET', `/v1/conversations?deployment_id=${d.id}`))).toHaveLength(3);
    expect(ids(await send(hr.key, 'GET', `/v1/conversations?deployment_id=${d.id}`))).toHaveLength(3);
    expect(ids(await send(hrElsewhere.key, 'GET', `/v1/conversations?deployment_id=${d.id}`))).toHaveLength(
      0,
    );
    // Filters.
    const q = (query: string) => send(org.key, 'GET', `/v1/conversations?deployment_id=${d.id}&${query}`);
    expect((await q(`manager_id=${manager.id}`)).json().total_count).toBe(2);
    expect((await q(`person_id=${manager.id}`)).json().total_count).toBe(3);
    expect((await q(`report_id=${report.id}`)).json().total_count).toBe(1);
    expect((await q('status=not_started')).json().total_count).toBe(3);
    expect((await q('status=shared')).json().total_count).toBe(0);
    expect((await q(`template_id=${tpl.id}&period_id=${period.id}`)).json().total_count).toBe(3);
    expect((await q('due_from=2027-01-29&due_to=2027-01-29')).json().total_count).toBe(3);
    expect((await q('due_to=2027-01-28')).json().total_count).toBe(0);
    const paged = await q('size=2');
    expect(paged.json()).toMatchObject({ total_count: 3, size: 2 });
    expect(paged.json().next_cursor).not.toBeNull();
    const rest = await q(`size=2&cursor=${paged.json().next_cursor}`);
    expect(rest.json().data).toHaveLength(1);
    expectError(await q('size=101'), 400, 'invalid_parameters', 'size over 100');
  });

  it('add people who joined the population later, once each', async () => {
    const tpl: Template = await ok(admin.key, 'POST', '/v1/conversation-templates', scheduled, 201);
    const d = await ok(
      admin.key,
      'POST',
      '/v1/conversation-deployments',
      {
        template_id: tpl.id,
        starts_on: '2027-04-01',
        due_on: '2027-04-30',
        audience: 'departments',
        department_ids: [departmentId],
      },
      201,
    );
    const none = await ok(admin.key, 'POST', `/v1/conversation-deployments/${d.id}/sync`);
    expect(none).toMatchObject({ added: 0, deployment: { conversation_count: 3 } });
    const joiner = await t.createMember(org, {
      fields: { manager_id: manager.id, department_id: departmentId },
    });
    const synced = await ok(admin.key, 'POST', `/v1/conversation-deployments/${d.id}/sync`);
    expect(synced).toMatchObject({ added: 1, deployment: { conversation_count: 4 } });
    expect(synced.deployment.synced_at).not.toBeNull();
    const mine = await send(joiner.key, 'GET', `/v1/conversations?deployment_id=${d.id}`);
    expect(mine.json().data).toMatchObject([{ manager_id: manager.id, report_id: joiner.id }]);
    expect((await ok(admin.key, 'POST', `/v1/conversation-deployments/${d.id}/sync`)).added).toBe(0);
    const events = await send(org.key, 'GET', `/v1/audit-events?object_id=${d.id}&size=10`);
    expect(
      events
        .json()
        .data.map((e: { action: string }) => e.action)
        .sort(),
    ).toEqual(['conversation_deployment.created', 'conversation_deployment.synced']);
  });

  it('reach groups and lists of people, and people without a manager only when asked', async () => {
    const tpl: Template = await ok(admin.key, 'POST', '/v1/conversation-templates', scheduled, 201);
    const group = await ok(
      org.key,
      'POST',
      '/v1/groups',
      { name: 'Pilots', user_ids: [report.id, outsider.id] },
      201,
    );
    const base = { template_id: tpl.id, starts_on: '2027-05-01', due_on: '2027-05-01' };
    const byGroup = await ok(
      admin.key,
      'POST',
      '/v1/conversation-deployments',
      { ...base, audience: 'groups', group_ids: [group.id] },
      201,
    );
    expect(byGroup.conversation_count).toBe(1);
    const alone = await ok(
      admin.key,
      'POST',
      '/v1/conversation-deployments',
      {
        ...base,
        audience: 'people',
        user_ids: [outsider.id, report2.id],
        only_with_manager: false,
      },
      201,
    );
    expect(alone.conversation_count).toBe(2);
    const listed = await send(outsider.key, 'GET', `/v1/conversations?deployment_id=${alone.id}`);
    expect(listed.json().data).toMatchObject([{ manager_id: null, report_id: outsider.id }]);
    // Alone, the report's answers share the conversation at once, and only they confirm the meeting.
    const url = `/v1/conversations/${listed.json().data[0].id}`;
    const shared = await ok(outsider.key, 'POST', `${url}/submit`, { answers: [] });
    expect(shared).toMatchObject({ status: 'shared', manager_id: null, my_side: 'report' });
    expectError(await send(outsider.key, 'POST', `${url}/complete`), 422, 'invalid_operation', 'unconfirmed');
    await ok(outsider.key, 'POST', `${url}/confirm-meeting`);
    expect(await ok(outsider.key, 'POST', `${url}/complete`)).toMatchObject({ status: 'completed' });
    const everyone = await ok(
      admin.key,
      'POST',
      '/v1/conversation-deployments',
      { ...base, audience: 'everyone' },
      201,
    );
    expect(everyone.conversation_count).toBeGreaterThanOrEqual(3);
  });

  it('refuse an empty population, due before start, an anytime template and a member, writing nothing', async () => {
    const tpl: Template = await ok(admin.key, 'POST', '/v1/conversation-templates', scheduled, 201);
    const { tpl: anytimeTpl } = await anytime();
    const empty = await ok(org.key, 'POST', '/v1/departments', { name: 'Empty' }, 201);
    const base = { template_id: tpl.id, starts_on: '2027-06-01', due_on: '2027-06-30' };
    const before = await auditCount();
    const conversations = await conversationCount();
    const refused: [object, number][] = [
      [{ ...base, audience: 'departments', department_ids: [empty.id] }, 422],
      [{ ...base, audience: 'people', user_ids: [outsider.id] }, 422],
      [{ ...base, audience: 'departments' }, 422],
      [{ ...base, audience: 'departments', department_ids: [] }, 400],
      [{ ...base, audience: 'departments', department_ids: [987_654_321] }, 422],
      [{ ...base, audience: 'everyone', group_ids: [1] }, 422],
      [{ ...base, audience: 'groups', department_ids: [departmentId] }, 422],
      [{ ...base, audience: 'everyone', due_on: '2027-05-31' }, 422],
      [{ ...base, template_id: anytimeTpl.id, audience: 'everyone' }, 422],
      [{ ...base, template_id: 987_654_321, audience: 'everyone' }, 422],
      [{ ...base, period_id: 987_654_321, audience: 'everyone' }, 422],
    ];
    for (const [body, status] of refused) {
      const res = await send(admin.key, 'POST', '/v1/conversation-deployments', body);
      expectError(
        res,
        status,
        status === 400 ? 'invalid_parameters' : 'invalid_operation',
        JSON.stringify(body),
      );
    }
    for (const who of [manager, hr]) {
      const res = await send(who.key, 'POST', '/v1/conversation-deployments', {
        ...base,
        audience: 'everyone',
      });
      expectError(res, 403, 'insufficient_access', 'non-admin deploys');
    }
    expect(await auditCount()).toBe(before);
    expect(await conversationCount()).toBe(conversations);
    expect(
      (await send(org.key, 'GET', `/v1/conversation-deployments?template_id=${tpl.id}`)).json().total_count,
    ).toBe(0);
  });

  it('are read by id, and another organisation’s are 404', async () => {
    const tpl: Template = await ok(other.key, 'POST', '/v1/conversation-templates', scheduled, 201);
    const otherMember = await t.createMember(other);
    await t.createMember(other, { fields: { manager_id: otherMember.id } });
    const d = await ok(
      other.key,
      'POST',
      '/v1/conversation-deployments',
      {
        template_id: tpl.id,
        starts_on: '2027-01-01',
        due_on: '2027-01-02',
        audience: 'everyone',
      },
      201,
    );
    expect((await ok(other.key, 'GET', `/v1/conversation-deployments/${d.id}`)).conversation_count).toBe(1);
    expectError(
      await send(org.key, 'GET', `/v1/conversation-deployments/${d.id}`),
      404,
      'invalid_resource_id',
    );
    expectError(
      await send(org.key, 'POST', `/v1/conversation-deployments/${d.id}/sync`),
      404,
      'invalid_resource_id',
    );
    expect((await send(org.key, 'GET', `/v1/conversations?deployment_id=${d.id}`)).json().total_count).toBe(
      0,
    );
    const theirs = (await send(other.key, 'GET', `/v1/conversations?deployment_id=${d.id}`)).json().data[0];
    expectError(await send(org.key, 'GET', `/v1/conversations/${theirs.id}`), 404, 'invalid_resource_id');
    expectError(
      await send(org.key, 'POST', `/v1/conversations/${theirs.id}/submit`, {}),
      404,
      'invalid_resource_id',
    );
  });
});

describe('edit requests', () => {
  it('reopen submitted answers only once an approver says yes', async () => {
    const { tpl, c } = await anytime();
    const r0 = qid(tpl.report_questions, 0);
    const url = `/v1/conversations/${c.id}`;
    expectError(
      await send(report.key, 'POST', `${url}/edit-requests`, {}),
      422,
      'invalid_operation',
      'nothing submitted',
    );
    await ok(report.key, 'POST', `${url}/submit`, { answers: [{ question_id: r0, value: 2 }] });
    const edit = { answers: [{ question_id: r0, value: 5 }] };
    expectError(
      await send(report.key, 'PUT', `${url}/draft`, edit),
      422,
      'invalid_operation',
      'edit without request',
    );
    const request = await ok(report.key, 'POST', `${url}/edit-requests`, { reason: 'Wrong score' }, 201);
    expect(request).toMatchObject({
      conversation_id: c.id,
      side: 'report',
      requested_by: report.id,
      status: 'pending',
      reason: 'Wrong score',
    });
    expectError(
      await send(report.key, 'POST', `${url}/edit-requests`, {}),
      422,
      'invalid_operation',
      'second pending',
    );
    // Still no edit while pending; the participants and approvers see the request, nobody else.
    expectError(await send(report.key, 'PUT', `${url}/draft`, edit), 422, 'invalid_operation', 'pending');
    for (const who of [report, manager, admin, hr]) {
      const listed = await send(who.key, 'GET', `/v1/conversation-edit-requests?conversation_id=${c.id}`);
      expect(
        listed.json().data.map((x: Q) => x.id),
        who.email,
      ).toEqual([request.id]);
    }
    for (const who of [outsider, hrElsewhere, skip]) {
      expectError(
        await send(who.key, 'GET', `/v1/conversation-edit-requests/${request.id}`),
        404,
        'invalid_resource_id',
      );
    }
    // Neither participant decides it: the requester never, the manager is no approver.
    const approve = `/v1/conversation-edit-requests/${request.id}/approve`;
    expectError(await send(report.key, 'POST', approve, {}), 403, 'insufficient_access', 'own request');
    expectError(await send(manager.key, 'POST', approve, {}), 403, 'insufficient_access', 'manager');
    expectError(
      await send(hrElsewhere.key, 'POST', approve, {}),
      404,
      'invalid_resource_id',
      'hr out of scope',
    );
    const approved = await ok(hr.key, 'POST', approve, { note: 'ok' });
    expect(approved).toMatchObject({ status: 'approved', decided_by: hr.id, decision_note: 'ok' });
    expectError(await send(admin.key, 'POST', approve, {}), 422, 'invalid_operation', 'decided twice');
    const reopened = await ok(report.key, 'GET', url);
    expect(reopened).toMatchObject({
      status: 'in_progress',
      report_submitted_at: null,
      report_answers: null,
      my_draft: [{ question_id: r0, value: 2 }],
    });
    await ok(report.key, 'PUT', `${url}/draft`, edit);
    expect(await ok(report.key, 'POST', `${url}/submit`, {})).toMatchObject({
      status: 'submitted',
      report_answers: [{ question_id: r0, value: 5 }],
    });
    // A denial leaves the answers as they are.
    const second = await ok(report.key, 'POST', `${url}/edit-requests`, {}, 201);
    const denied = await ok(admin.key, 'POST', `/v1/conversation-edit-requests/${second.id}/deny`, {});
    expect(denied.status).toBe('denied');
    expect((await ok(report.key, 'GET', url)).report_answers).toEqual([{ question_id: r0, value: 5 }]);
    const events = await send(
      org.key,
      'GET',
      '/v1/audit-events?object_type=conversation_edit_request&size=100',
    );
    const mine = events
      .json()
      .data.filter((e: { object_id: number }) => [request.id, second.id].includes(e.object_id));
    expect(mine.map((e: { action: string }) => e.action).sort()).toEqual([
      'conversation_edit_request.approved',
      'conversation_edit_request.created',
      'conversation_edit_request.created',
      'conversation_edit_request.denied',
    ]);
  });
});

describe('participants and goals', () => {
  it('let admins and HR in scope replace the manager before the manager submitted', async () => {
    const { c } = await anytime();
    const url = `/v1/conversations/${c.id}`;
    await ok(manager.key, 'PUT', `${url}/draft`, { answers: [] });
    for (const who of [manager, report, hrElsewhere]) {
      const res = await send(who.key, 'POST', `${url}/reassign`, { manager_id: skip.id });
      expect([403, 404], `${who.email}: ${res.body}`).toContain(res.statusCode);
    }
    expectError(
      await send(hr.key, 'POST', `${url}/reassign`, { manager_id: report.id }),
      422,
      'invalid_operation',
      'self',
    );
    const moved = await ok(hr.key, 'POST', `${url}/reassign`, { manager_id: skip.id });
    expect(moved).toMatchObject({ manager_id: skip.id, report_id: report.id });
    expect(await ok(skip.key, 'GET', url)).toMatchObject({ my_side: 'manager', my_draft: null });
    expectError(await send(manager.key, 'GET', url), 404, 'invalid_resource_id', 'the previous manager');
    await ok(skip.key, 'POST', `${url}/submit`, {
      answers: [{ question_id: moved.manager_questions[0].id, value: 'fine' }],
    });
    const late = await send(admin.key, 'POST', `${url}/reassign`, { manager_id: manager.id });
    expectError(late, 422, 'invalid_operation', 'after the manager submitted');
    const events = await send(
      org.key,
      'GET',
      `/v1/audit-events?object_id=${c.id}&action=conversation.manager_reassigned`,
    );
    expect(events.json().data[0].changes).toEqual({ manager_id: { from: manager.id, to: skip.id } });
  });

  it('link goals both participants see, where the template allows them', async () => {
    const goal = async (key: string, body: object) =>
      ok(key, 'POST', '/v1/goals', { starts_on: '2027-01-01', ends_on: '2027-12-31', ...body }, 201);
    const shared = await goal(report.key, { name: 'Ship it' });
    const secret = await goal(outsider.key, { name: 'Hidden', visibility: 'private' });
    const { c } = await anytime({ settings: { allow_goals: true } });
    const url = `/v1/conversations/${c.id}`;
    const linked = await ok(manager.key, 'POST', `${url}/goals`, { goal_id: shared.id });
    expect(linked.goal_ids).toEqual([shared.id]);
    expect((await ok(report.key, 'GET', url)).goal_ids).toEqual([shared.id]);
    expectError(
      await send(report.key, 'POST', `${url}/goals`, { goal_id: secret.id }),
      422,
      'invalid_operation',
      'hidden goal',
    );
    expectError(
      await send(org.key, 'POST', `${url}/goals`, { goal_id: shared.id }),
      403,
      'insufficient_access',
      'not a participant',
    );
    const unlinked = await ok(report.key, 'DELETE', `${url}/goals/${shared.id}`);
    expect(unlinked.goal_ids).toEqual([]);
    expectError(
      await send(report.key, 'DELETE', `${url}/goals/${shared.id}`),
      404,
      'invalid_resource_id',
      'twice',
    );
    const closed = await anytime();
    const refused = await send(manager.key, 'POST', `/v1/conversations/${closed.c.id}/goals`, {
      goal_id: shared.id,
    });
    expectError(refused, 422, 'invalid_operation', 'template without goals');
  });
});

describe('input at the edges', () => {
  it('replays a deployment sent twice with one Idempotency-Key, making its conversations once', async () => {
    const tpl: Template = await ok(
      admin.key,
      'POST',
      '/v1/conversation-templates',
      { ...anytimeTemplate, kind: 'scheduled' },
      201,
    );
    const body = { template_id: tpl.id, starts_on: '2027-09-01', due_on: '2027-09-30', audience: 'everyone' };
    const headers = { 'idempotency-key': 'deploy-once' };
    const first = await t.request(admin.key, {
      method: 'POST',
      url: '/v1/conversation-deployments',
      payload: body,
      headers,
    });
    const again = await t.request(admin.key, {
      method: 'POST',
      url: '/v1/conversation-deployments',
      payload: body,
      headers,
    });
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().data.id).toBe(first.json().data.id);
    const listed = await send(org.key, 'GET', `/v1/conversation-deployments?template_id=${tpl.id}`);
    expect(listed.json().total_count).toBe(1);
  });

  it('refuses what PostgreSQL cannot store, and a default due date past year 9999, with a 4xx', async () => {
    const { tpl, c } = await anytime();
    const before = await auditCount();
    const url = `/v1/conversations/${c.id}`;
    const r1 = qid(tpl.report_questions, 1);
    const cases: [Member, Method, string, object, number][] = [
      [report, 'PUT', `${url}/draft`, { answers: [{ question_id: r1, value: 'a\u0000b' }] }, 400],
      [report, 'PUT', `${url}/private-note`, { body: '\ud800' }, 400],
      [report, 'PUT', `${url}/draft`, { answers: [{ question_id: 2 ** 53, value: 'x' }] }, 400],
      [report, 'PUT', `${url}/draft`, { answers: [{ question_id: r1, value: 1e300 }] }, 400],
      [report, 'PATCH', url, { shared_notes: 'x'.repeat(10_001) }, 400],
      [
        manager,
        'POST',
        '/v1/conversations',
        { template_id: tpl.id, report_id: report.id, starts_on: '0000-01-01' },
        400,
      ],
      [
        manager,
        'POST',
        '/v1/conversations',
        { template_id: tpl.id, report_id: report.id, starts_on: '9999-12-31' },
        422,
      ],
      [admin, 'POST', '/v1/conversation-templates', { ...anytimeTemplate, name: 'x\u0000' }, 400],
    ];
    for (const [who, method, where, body, status] of cases) {
      const res = await send(who.key, method, where, body);
      expect(res.statusCode, `${where} ${JSON.stringify(body).slice(0, 80)}: ${res.body.slice(0, 200)}`).toBe(
        status,
      );
    }
    expect(await auditCount()).toBe(before);
  });
});

describe('the test sandbox', () => {
  it('is reset with its templates, deployments and conversations gone', async () => {
    const { plaintext: testKey } = await createApiKey(t.db, operatorPrincipal(org.orgId, org.adminId), {
      user: org.adminId,
      name: 'conversations sandbox',
      mode: 'test',
    });
    await ok(testKey, 'POST', '/v1/sandbox/reset');
    const tpl: Template = await ok(
      testKey,
      'POST',
      '/v1/conversation-templates',
      { ...anytimeTemplate, kind: 'scheduled' },
      201,
    );
    const d = await ok(
      testKey,
      'POST',
      '/v1/conversation-deployments',
      {
        template_id: tpl.id,
        starts_on: '2027-01-01',
        due_on: '2027-01-31',
        audience: 'everyone',
      },
      201,
    );
    expect(d.conversation_count).toBeGreaterThan(0);
    const live = (await send(org.key, 'GET', `/v1/conversation-deployments/${d.id}`)).statusCode;
    expect(live, 'a test-mode deployment is not seen with a live key').toBe(404);
    await ok(testKey, 'POST', '/v1/sandbox/reset');
    expect((await send(testKey, 'GET', '/v1/conversations?size=1')).json().total_count).toBe(0);
    expect((await send(testKey, 'GET', '/v1/conversation-templates?size=1')).json().total_count).toBe(0);
  });
});
