import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT';
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
