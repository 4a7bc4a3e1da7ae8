import { expect } from 'vitest';
import { expectError } from './envelope-assert.js';
import type { Member, Org, TestApp } from './harness.js';

/**
 * The people of a feedback suite, made through the real services: a boss over a manager over the recipient,
 * providers, an outsider, an org admin, and an HR admin whose scope (a group) holds the recipient.
 */
export async function feedbackPeople(t: TestApp, org: Org) {
  const boss = await t.createMember(org);
  const manager = await t.createMember(org, { fields: { manager_id: boss.id } });
  const recipient = await t.createMember(org, { fields: { manager_id: manager.id } });
  const made: Member[] = [];
  for (let i = 0; i < 6; i++) made.push(await t.createMember(org));
  const providers = made as [Member, Member, Member, Member, Member, Member];
  const outsider = await t.createMember(org);
  const admin = await t.createMember(org, { role: 'admin' });
  const hr = await t.createMember(org, { role: 'hr_admin' });
  const group = await t.request(org.key, {
    method: 'POST',
    url: '/v1/groups',
    payload: { name: `Scope ${recipient.id}`, user_ids: [recipient.id] },
  });
  expect(group.statusCode).toBe(201);
  const scope = await t.request(org.key, {
    method: 'PUT',
    url: `/v1/users/${hr.id}/hr-scope`,
    payload: { department_ids: [], group_ids: [group.json().data.id] },
  });
  expect(scope.statusCode).toBe(200);
  return { boss, manager, recipient, providers, outsider, admin, hr };
}

export type Anonymity = 'named' | 'anonymous_to_recipient' | 'anonymous_to_all';

let made = 0;
/** A template with a paragraph, a 1–5 scale, 3 stars and a single- and a multi-select question. */
export async function makeTemplate(
  t: TestApp,
  adminKey: string,
  anonymity: Anonymity = 'named',
  extra: Record<string, unknown> = {},
) {
  const res = await t.request(adminKey, {
    method: 'POST',
    url: '/v1/feedback-templates',
    payload: {
      name: `Template ${++made} ${anonymity}`,
      anonymity,
      questions: [
        { type: 'paragraph', text: 'What went well?', limit: 200, required: true },
        { type: 'scale', text: 'Communication', scale_max: 5, labels: [{ value: 1, label: 'Poor' }] },
        { type: 'star_rating', text: 'Overall', stars: 3 },
        { type: 'single_select', text: 'Again?', options: ['Yes', 'No'] },
        { type: 'multi_select', text: 'Strengths', options: ['Focus', 'Craft', 'Care'] },
      ],
      ...extra,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  const data = res.json().data as { id: number; questions: { id: number; type: string }[] };
  const [paragraph, scale, stars, single, multi] = data.questions.map((q) => q.id) as number[];
  return { id: data.id, q: { paragraph, scale, stars, single, multi } as Record<string, number> };
}

export type Template = Awaited<ReturnType<typeof makeTemplate>>;

/** A full, valid set of answers to makeTemplate's questions. */
export const goodAnswers = (tpl: Template, text = 'Clear writing') => [
  { question_id: tpl.q.paragraph, value: text },
  { question_id: tpl.q.scale, value: 4 },
  { question_id: tpl.q.stars, value: 3 },
  { question_id: tpl.q.single, value: 'Yes' },
  { question_id: tpl.q.multi, value: ['Focus', 'Care'] },
];

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT';

/** The calls a feedback suite makes, bound to its app: requests, and refusals that must write nothing. */
export function feedbackCalls(app: () => TestApp) {
  const send = (key: string, method: Method, url: string, payload?: object) =>
    app().request(key, { method, url, ...(payload && { payload }) });

  /** What a refused write must leave alone: every feedback table and the audit log. */
  async function counts() {
    const tables = [
      'feedback_templates',
      'feedback_cycles',
      'feedback_requests',
      'feedback_providers',
      'feedback_responses',
      'audit_events',
    ] as const;
    const out: Record<string, number> = {};
    for (const table of tables) {
      const row = await app()
        .db.selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      out[table] = Number(row.n);
    }
    return out;
  }

  async function refusedWithoutWriting(
    key: string,
    method: Method,
    url: string,
    payload: object | undefined,
    status: number,
    code: string,
  ) {
    const before = await counts();
    const res = await send(key, method, url, payload);
    expectError(res, status, code, `${method} ${url}`);
    expect(await counts(), `${method} ${url} wrote nothing`).toEqual(before);
    return res;
  }

  async function selfRequest(key: string, providerIds: number[], template: Template) {
    const res = await send(key, 'POST', '/v1/feedback-requests', {
      template_id: template.id,
      provider_ids: providerIds,
      due_on: '2099-01-31',
      message: 'How did the launch go?',
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().data as { id: number; kind: string; counts: Record<string, number> };
  }

  return { send, refusedWithoutWriting, selfRequest };
}
