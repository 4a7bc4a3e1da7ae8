import { describe, expect, it } from 'vitest';
import {
  admin,
  departmentId,
  manager,
  ok,
  org,
  report,
  send,
  skip,
  type Template,
  useConversationWorld,
} from './conversation-fixtures.js';
import { expectError } from './envelope-assert.js';

/**
 * A conversation's mapped questions feed talent records (docs/conversations.md, "Talent records"): the
 * manager's submitted option becomes the proposed value in each open cycle where they are the report's
 * manager of record, with a history row, in the submission's transaction; nothing else is touched.
 */
useConversationWorld();

const PERFORMANCE = ['35 - Below Expectations', '50 - Meets Expectations', '65 - Exceeds Expectations'];
const POTENTIAL = ['Low', 'Medium', 'High'];

const mappedTemplate = (overrides: object = {}) => ({
  name: 'Half-year review',
  kind: 'anytime',
  format: 'two_way',
  manager_questions: [
    { text: 'Notes', type: 'paragraph' },
    {
      text: 'Performance',
      type: 'single_select',
      options: [...PERFORMANCE, 'Too early to say'],
      talent_field: 'performance',
    },
    { text: 'Potential', type: 'single_select', options: POTENTIAL, talent_field: 'potential' },
  ],
  report_questions: [{ text: 'How was it?', type: 'paragraph' }],
  ...overrides,
});

interface Rec {
  id: number;
  user_id: number;
  proposed_performance: string | null;
  proposed_potential: string | null;
}

/** A cycle over the world's department, moved to `state`; the report's record URL. */
async function cycleIn(state: 'open' | 'locked' | 'closed', overrides: object = {}) {
  const c = await ok(
    org.key,
    'POST',
    '/v1/calibration/cycles',
    {
      name: `Cycle ${Math.random()}`,
      performance_levels: PERFORMANCE,
      potential_levels: POTENTIAL,
      audience: 'departments',
      department_ids: [departmentId],
      ...overrides,
    },
    201,
  );
  for (const step of ['open', 'locked', 'closed'] as const) {
    await ok(org.key, 'PATCH', `/v1/calibration/cycles/${c.id}`, { state: step });
    if (step === state) break;
  }
  const records: Rec[] = await ok(org.key, 'GET', `/v1/calibration/cycles/${c.id}/talent-records?size=100`);
  const mine = records.find((r) => r.user_id === report.id) as Rec;
  return { cycleId: c.id as number, url: `/v1/calibration/cycles/${c.id}/talent-records/${mine.id}` };
}

/** A conversation on the mapped template between manager and report. */
async function conversation() {
  const tpl: Template = await ok(admin.key, 'POST', '/v1/conversation-templates', mappedTemplate(), 201);
  const c = await ok(
    manager.key,
    'POST',
    '/v1/conversations',
    { template_id: tpl.id, report_id: report.id },
    201,
  );
  const [notes, performance, potential] = tpl.manager_questions.map((q) => q.id) as [number, number, number];
  const answers = (perf: string, pot: string) => [
    { question_id: notes, value: 'A good half.' },
    { question_id: performance, value: perf },
    { question_id: potential, value: pot },
  ];
  return { id: c.id as number, answers };
}

const submittedEvent = async (conversationId: number) => {
  const events = await ok(org.key, 'GET', `/v1/audit-events?object_id=${conversationId}&size=50`);
  return events.find((e: { action: string }) => e.action === 'conversation.submitted');
};

describe('a mapped conversation question', () => {
  it("lands as the record's proposed value with a history row, changed by the manager", async () => {
    const { cycleId, url } = await cycleIn('open');
    const { id, answers } = await conversation();
    await ok(manager.key, 'POST', `/v1/conversations/${id}/submit`, {
      answers: answers('65 - Exceeds Expectations', 'Medium'),
    });
    const record = await ok(org.key, 'GET', url);
    expect(record).toMatchObject({
      proposed_performance: '65 - Exceeds Expectations',
      proposed_potential: 'Medium',
    });
    const history = await ok(org.key, 'GET', `${url}/history`);
    expect(history).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'proposed_performance', from_value: null, changed_by: manager.id }),
        expect.objectContaining({ field: 'proposed_potential', to_value: 'Medium', changed_by: manager.id }),
      ]),
    );
    const event = await submittedEvent(id);
    expect(event.changes.talent_records).toEqual(
      expect.arrayContaining([
        { cycle_id: cycleId, record_id: record.id, field: 'performance', outcome: 'proposed' },
        { cycle_id: cycleId, record_id: record.id, field: 'potential', outcome: 'proposed' },
      ]),
    );
    // The audit says what became of the answer, never the answer.
    expect(JSON.stringify(event.changes)).not.toContain('Exceeds');
    const updates = await ok(org.key, 'GET', `/v1/audit-events?object_id=${record.id}&size=10`);
    expect(updates.map((e: { action: string }) => e.action)).toContain('talent_record.updated');
  });

  it('is skipped, visibly, when it is not a label of the cycle’s scale', async () => {
    const { cycleId, url } = await cycleIn('open', { potential_levels: ['Limited', 'Ready'] });
    const { id, answers } = await conversation();
    await ok(manager.key, 'POST', `/v1/conversations/${id}/submit`, {
      answers: answers('Too early to say', 'High'),
    });
    const record = await ok(org.key, 'GET', url);
    expect(record).toMatchObject({ proposed_performance: null, proposed_potential: null });
    expect(await ok(org.key, 'GET', `${url}/history`)).toEqual([]);
    const outcomes = (await submittedEvent(id)).changes.talent_records.filter(
      (o: { cycle_id: number }) => o.cycle_id === cycleId,
    );
    expect(outcomes).toEqual([
      { cycle_id: cycleId, record_id: record.id, field: 'performance', outcome: 'not_on_scale' },
      { cycle_id: cycleId, record_id: record.id, field: 'potential', outcome: 'not_on_scale' },
    ]);
  });

  it('never touches a locked or closed cycle', async () => {
    const locked = await cycleIn('locked');
    const closed = await cycleIn('closed');
    const { id, answers } = await conversation();
    await ok(manager.key, 'POST', `/v1/conversations/${id}/submit`, {
      answers: answers('50 - Meets Expectations', 'Low'),
    });
    for (const { cycleId, url } of [locked, closed]) {
      expect(await ok(org.key, 'GET', url)).toMatchObject({
        proposed_performance: null,
        proposed_potential: null,
      });
      expect(await ok(org.key, 'GET', `${url}/history`)).toEqual([]);
      const outcomes = (await submittedEvent(id)).changes.talent_records ?? [];
      expect(outcomes.filter((o: { cycle_id: number }) => o.cycle_id === cycleId)).toEqual([]);
    }
  });

  it("is not written by a manager who is not the record's manager", async () => {
    const { url } = await cycleIn('open');
    const { id, answers } = await conversation();
    // The record names `manager`; the conversation now names `skip`, who submits.
    await ok(admin.key, 'POST', `/v1/conversations/${id}/reassign`, { manager_id: skip.id });
    await ok(skip.key, 'POST', `/v1/conversations/${id}/submit`, {
      answers: answers('35 - Below Expectations', 'Low'),
    });
    expect(await ok(org.key, 'GET', url)).toMatchObject({
      proposed_performance: null,
      proposed_potential: null,
    });
    expect(await ok(org.key, 'GET', `${url}/history`)).toEqual([]);
    expect((await submittedEvent(id)).changes.talent_records).toBeUndefined();
  });

  it("is not written by the report's submission", async () => {
    const { url } = await cycleIn('open');
    const { id } = await conversation();
    await ok(report.key, 'POST', `/v1/conversations/${id}/submit`, { answers: [] });
    expect(await ok(org.key, 'GET', url)).toMatchObject({ proposed_performance: null });
    expect(await ok(org.key, 'GET', `${url}/history`)).toEqual([]);
  });
});

describe('a template mapping a question to a talent field', () => {
  const templateCount = async () =>
    (await send(org.key, 'GET', '/v1/conversation-templates?size=1')).json().total_count as number;
  const question = (overrides: object) => ({
    text: 'Rating',
    type: 'single_select',
    options: PERFORMANCE,
    talent_field: 'performance',
    ...overrides,
  });

  it('is refused on a report-side, non-single-select, confidential or second question, naming the field', async () => {
    const before = await templateCount();
    const cases: [object, string][] = [
      [{ report_questions: [question({})] }, 'report_questions[0].talent_field'],
      [{ manager_questions: [question({ type: 'multi_select' })] }, 'manager_questions[0].talent_field'],
      [
        { manager_questions: [question({ type: 'scale', options: undefined, scale_max: 3 })] },
        'manager_questions[0].talent_field',
      ],
      [{ manager_questions: [question({ confidential: true })] }, 'manager_questions[0].talent_field'],
      [
        { manager_questions: [question({}), question({ text: 'Again' })] },
        'manager_questions[1].talent_field',
      ],
    ];
    for (const [body, field] of cases) {
      const res = await send(admin.key, 'POST', '/v1/conversation-templates', mappedTemplate(body));
      expectError(res, 400, 'invalid_parameters', JSON.stringify(body));
      expect(res.json().details.map((d: { field: string }) => d.field)).toContain(field);
    }
    expect(await templateCount()).toBe(before);
  });

  it('is refused on a PATCH too, leaving the template as it was', async () => {
    const tpl = await ok(admin.key, 'POST', '/v1/conversation-templates', mappedTemplate(), 201);
    const res = await send(admin.key, 'PATCH', `/v1/conversation-templates/${tpl.id}`, {
      report_questions: [question({})],
    });
    expectError(res, 400, 'invalid_parameters');
    expect(res.json().details).toEqual([
      {
        field: 'report_questions[0].talent_field',
        problem: "only the manager's questions propose talent record values",
      },
    ]);
    const after = await ok(admin.key, 'GET', `/v1/conversation-templates/${tpl.id}`);
    expect(after).toEqual(tpl);
    expect(after.manager_questions[1].talent_field).toBe('performance');
    expect(after.manager_questions[0].talent_field).toBeUndefined();
  });
});
