import { describe, expect, it } from 'vitest';
import {
  admin,
  anytime,
  anytimeTemplate,
  auditCount,
  hr,
  hrElsewhere,
  manager,
  ok,
  org,
  other,
  outsider,
  type Q,
  qid,
  report,
  report2,
  send,
  skip,
  type Template,
  useConversationWorld,
} from './conversation-fixtures.js';
import { expectError } from './envelope-assert.js';
import type { Member } from './harness.js';

/**
 * Conversations (issue 14): templates and their versions, anytime conversations, answers checked against
 * their questions, and who sees what — confidential answers to HR roles only, private notes and drafts to
 * their author only. Deployments: conversation-deployments.test.ts; edit requests, reassignment and goals:
 * conversation-edits.test.ts.
 */
useConversationWorld();

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
        { text: 'Rate the week', type: 'star_rating', stars: 4 },
      ],
      report_questions: [
        { type: 'scale', scale_max: 5, labels: anytimeTemplate.report_questions[0]?.labels },
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
      [bad({ text: 'q', type: 'scale' }), 400],
      [bad({ text: 'q', type: 'scale', scale_max: 2, labels: [{ value: 3, label: 'c' }] }), 400],
      [bad({ text: 'q', type: 'star_rating', stars: 6 }), 400],
      [bad({ text: 'q', type: 'rating' }), 400],
      [bad({ text: 'q', type: 'single_select', options: ['only'] }), 400],
      [bad({ text: 'q', type: 'multi_select', options: ['a', 'a'] }), 400],
      [bad({ text: 'q', type: 'paragraph', options: ['a', 'b'] }), 400],
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
      report_questions: [{ text: 'Something new', type: 'star_rating' }],
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
      report_questions: [{ text: 'Something new', type: 'star_rating' }],
      settings: { only_managers_start: true },
    });
    expect(same).toMatchObject({ version: 2, settings: { only_managers_start: true } });
    // Still none once version 2 is in use: the questions read back from the database compare as sent.
    await ok(manager.key, 'POST', '/v1/conversations', { template_id: tpl.id, report_id: report.id }, 201);
    const resent = await ok(admin.key, 'PATCH', `/v1/conversation-templates/${tpl.id}`, {
      report_questions: [{ text: 'Something new', type: 'star_rating' }],
    });
    expect(resent).toMatchObject({ version: 2 });
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
    // Each refusal and the sentence its details give (the same in feedback: src/domain/questions/).
    const refused: [Member, unknown[], string][] = [
      [manager, [{ question_id: m0, value: 5 }], 'a paragraph question takes text'],
      [
        manager,
        [{ question_id: m0, value: 'x'.repeat(21) }],
        "is longer than the question's limit of 20 characters",
      ],
      [manager, [{ question_id: m0, value: '  ' }], 'is empty'],
      [manager, [{ question_id: m1, value: 5 }], 'must be between 1 and 4 stars'],
      [manager, [{ question_id: m1, value: 0 }], 'must be between 1 and 4 stars'],
      [manager, [{ question_id: m1, value: 'five' }], 'a star rating takes a whole number of stars'],
      [manager, [{ question_id: r0, value: 3 }], 'is not one of the questions asked here'], // the other side's
      [
        manager,
        [{ question_id: qid(foreign.tpl.manager_questions, 1), value: 3 }],
        'is not one of the questions asked here',
      ], // another template's
      [
        manager,
        [
          { question_id: m1, value: 2 },
          { question_id: m1, value: 3 },
        ],
        'is answered twice',
      ],
      [report, [{ question_id: r0, value: 6 }], 'must be between 1 and 5'],
      [report, [{ question_id: r0, value: 'great' }], 'a scale question takes a whole number'],
      [report, [{ question_id: r2, value: 'd' }], '"d" is not one of the question\'s options'],
      [report, [{ question_id: r3, value: ['x', 'q'] }], '"q" is not one of the question\'s options'],
      [report, [{ question_id: r3, value: ['x', 'x'] }], 'names the same option twice'],
      [report, [{ question_id: r3, value: 'x' }], 'a multi-select question takes a list of its options'],
      [report, [{ question_id: r1, value: ['x'] }], 'a paragraph question takes text'],
    ];
    for (const [who, answers, problem] of refused) {
      const res = await send(who.key, 'PUT', `/v1/conversations/${c.id}/draft`, { answers });
      expectError(res, 400, 'invalid_parameters', JSON.stringify(answers));
      expect(res.json().details, JSON.stringify(answers)).toContainEqual({
        field: expect.stringMatching(/^answers\[\d\]\.(value|question_id)$/),
        problem,
      });
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
    expectError(incomplete, 400, 'invalid_parameters', 'required question');
    expect(incomplete.json().details).toEqual([{ field: 'answers', problem: `question ${m0} is required` }]);
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
