import { afterAll, beforeAll, expect } from 'vitest';
import { type Member, type Org, startTestApp, type TestApp } from './harness.js';

/**
 * The organisation the conversation suites share (conversations, conversation-deployments,
 * conversation-edits): a reporting chain skip → manager → report (and report2) in one department that one
 * hr_admin covers, another hr_admin covering nothing, an admin, a member outside it all, and a second
 * organisation. The bindings are live: each suite calls useConversationWorld() and reads them in its tests.
 */
export let t: TestApp;
export let org: Org;
export let other: Org;
/** skip → manager → report, report2 in the same department; hr covers that department. */
export let skip: Member;
export let manager: Member;
export let report: Member;
export let report2: Member;
export let outsider: Member;
export let hr: Member;
export let hrElsewhere: Member;
export let admin: Member;
export let departmentId: number;

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
export const send = (key: string, method: Method, url: string, payload?: object) =>
  t.request(key, { method, url, ...(payload && { payload }) });

export async function ok(key: string, method: Method, url: string, payload?: object, status = 200) {
  const res = await send(key, method, url, payload);
  expect(res.statusCode, `${method} ${url} → ${res.body.slice(0, 400)}`).toBe(status);
  return res.json().data;
}

export const auditCount = async () =>
  (await send(org.key, 'GET', '/v1/audit-events?size=1')).json().total_count as number;
export const conversationCount = async () =>
  (await send(org.key, 'GET', '/v1/conversations?size=1')).json().total_count as number;

/** A two-way anytime template: the report's second question is confidential. */
export const anytimeTemplate = {
  name: 'Weekly 1:1',
  kind: 'anytime',
  format: 'two_way',
  manager_questions: [
    { text: 'What went well?', type: 'paragraph', limit: 20, required: true },
    { text: 'Rate the week', type: 'star_rating', stars: 4 },
  ],
  report_questions: [
    {
      text: 'How do you feel?',
      type: 'scale',
      scale_max: 5,
      labels: ['bad', 'meh', 'ok', 'good', 'great'].map((label, i) => ({ value: i + 1, label })),
    },
    { text: 'Anything for HR?', type: 'paragraph', confidential: true },
    { text: 'Pick one', type: 'single_select', options: ['a', 'b', 'c'] },
    { text: 'Pick some', type: 'multi_select', options: ['x', 'y', 'z'] },
  ],
  settings: { confirm_meeting: true, readers: { skip_level: true, admins: true } },
};

export interface Q {
  id: number;
}
export interface Template {
  id: number;
  version: number;
  manager_questions: Q[];
  report_questions: Q[];
}
export const qid = (qs: Q[], i: number) => (qs[i] as Q).id;

export function useConversationWorld() {
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
    await ok(org.key, 'PUT', `/v1/users/${hr.id}/hr-scope`, {
      department_ids: [departmentId],
      group_ids: [],
    });
  }, 120_000);
  afterAll(() => t.close());
}

/** An anytime conversation between manager and report on a fresh copy of the anytime template. */
export async function anytime(overrides: object = {}) {
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
