import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Principal } from '../domain/access/principal.js';
import { createDeployment } from '../domain/conversations/deployments.js';
import { requestEdit } from '../domain/conversations/edit-requests.js';
import { linkGoal } from '../domain/conversations/participants.js';
import { listConversations, startConversation } from '../domain/conversations/service.js';
import { createTemplate, type Template } from '../domain/conversations/templates.js';
import {
  completeConversation,
  saveDraft,
  submitAnswers,
  updateSharedNotes,
} from '../domain/conversations/writes.js';
import { answersTo } from './answers.js';
import { addDays, type Cast, quartersOf } from './cast.js';
import type { DemoGoals } from './goals.js';
import type { Random } from './random.js';

const CHECK_IN = {
  name: 'Quarterly check-in',
  description: 'Every quarter, each person and their manager look back, look ahead and agree on a focus.',
  kind: 'scheduled' as const,
  format: 'two_way' as const,
  settings: { allow_goals: true, readers: { skip_level: true, admins: false, hr_in_scope: true } },
  manager_questions: [
    { text: 'What went well this quarter?', type: 'paragraph' as const, required: true },
    {
      text: 'How is the work on their goals going?',
      type: 'scale' as const,
      scale_max: 5,
      labels: ['Off track', 'Behind', 'On track', 'Ahead', 'Well ahead'].map((label, i) => ({
        value: i + 1,
        label,
      })),
    },
    {
      text: 'Focus for next quarter',
      type: 'single_select' as const,
      options: ['Deliver', 'Grow skills', 'Lead others', 'Recover and rebalance'],
    },
    {
      text: 'Anything HR should know? Only you and HR read this.',
      type: 'paragraph' as const,
      confidential: true,
    },
  ],
  report_questions: [
    { text: 'What are you most proud of this quarter?', type: 'paragraph' as const, required: true },
    { text: 'How supported did you feel?', type: 'star_rating' as const, stars: 5 },
    {
      text: 'Where would you like to grow?',
      type: 'multi_select' as const,
      options: ['Technical depth', 'Communication', 'Leadership', 'Domain knowledge', 'Planning'],
    },
    {
      text: 'Anything you would rather raise with HR? Your manager never sees this answer.',
      type: 'paragraph' as const,
      confidential: true,
    },
  ],
};

const ONE_ON_ONE = {
  name: '1:1',
  description: 'A regular one-to-one: start one whenever you need it.',
  kind: 'anytime' as const,
  format: 'two_way' as const,
  settings: { allow_goals: true },
  manager_questions: [{ text: 'What do you want to cover?', type: 'paragraph' as const }],
  report_questions: [
    { text: "What's on your mind this week?", type: 'paragraph' as const, required: true },
    { text: 'How was your week?', type: 'star_rating' as const, stars: 5 },
  ],
};

const TEXTS = [
  'Shipped the migration a week early and kept the on-call quiet while doing it.',
  'Took the lead on the customer escalation and turned it into a renewal.',
  'Mentored two new joiners until they were shipping on their own.',
  'Cleaned up the planning process so the team stopped missing handoffs.',
  'Good progress, but too many priorities at once; we agreed to drop two.',
  'Presented the quarterly results to the leadership team with confidence.',
  'Nothing to raise this time.',
];
const NOTES = [
  'Agreed: one focus area for next quarter, revisit in six weeks.',
  'Action items: share the draft plan by Friday; set up time with the design lead.',
  'Discussed workload and moved the reporting task to next sprint.',
];

/**
 * Conversation templates (a quarterly check-in with a confidential question each side, an anytime 1:1),
 * last quarter's check-in done and completed, this quarter's under way with conversations in every status,
 * and a few 1:1s; each step through the conversation services, as the participants themselves.
 */
export async function seedConversations(
  trx: Transaction<DB>,
  actor: Principal,
  cast: Cast,
  goals: DemoGoals,
  today: string,
  rng: Random,
) {
  const checkIn = await createTemplate(trx, actor, CHECK_IN);
  const oneOnOne = await createTemplate(trx, actor, ONE_ON_ONE);
  const { current, previous } = quartersOf(today);
  const team = cast.admin.manager ?? 0;
  const last = await createDeployment(trx, actor, {
    template_id: checkIn.id,
    name: `${previous.name} check-in`,
    starts_on: previous.starts_on,
    due_on: previous.ends_on,
    audience: 'people',
    // The admin's own team and their manager: small, so that completing each one keeps the seed quick.
    user_ids: [...cast.reportsOf(team), cast.person(team)].map((p) => cast.id(p.ref)),
  });
  const now = await createDeployment(trx, actor, {
    template_id: checkIn.id,
    name: `${current.name} check-in`,
    starts_on: current.starts_on,
    due_on: current.ends_on,
    audience: 'everyone',
  });
  const step = { trx, cast, rng, template: checkIn };
  for (const c of await conversationsOf(trx, actor, last.id)) await advance(step, c, 'completed');
  const running = await conversationsOf(trx, actor, now.id);
  const admin = cast.id(cast.admin.ref);
  const adminFirst = [
    ...running.filter((c) => c.report_id === admin),
    ...running.filter((c, i) => i % 24 === 4 && c.report_id !== admin),
  ];
  for (const [i, c] of adminFirst.entries()) {
    const status = STATUSES[i % STATUSES.length] as Target;
    await advance(step, c, status);
    const goal = goals.departmentGoals.get(cast.byId(c.report_id).department);
    if (i % 3 === 1 && goal !== undefined && c.manager_id !== null)
      await linkGoal(trx, cast.as(cast.byId(c.manager_id).ref), c.id, goal);
  }
  await seedOneOnOnes(trx, cast, oneOnOne, today, rng);
}

/** What the running deployment's chosen conversations become, in turn; the rest stay not_started. */
const STATUSES = [
  'in_progress',
  'submitted',
  'shared',
  'completed',
  'edit_requested',
  'in_progress',
] as const;
type Target = (typeof STATUSES)[number];

interface Step {
  trx: Transaction<DB>;
  cast: Cast;
  rng: Random;
  template: Template;
}
interface Pair {
  id: number;
  manager_id: number | null;
  report_id: number;
}

async function conversationsOf(trx: Transaction<DB>, actor: Principal, deploymentId: number) {
  const page = await listConversations(trx, actor, { deployment_id: deploymentId }, { limit: 1000 });
  return page.rows;
}

/** Moves a conversation to a status the way its participants would: drafts, notes, submissions. */
async function advance({ trx, cast, rng, template }: Step, c: Pair, target: Target) {
  const report = cast.as(cast.byId(c.report_id).ref);
  const manager = c.manager_id === null ? null : cast.as(cast.byId(c.manager_id).ref);
  const reportAnswers = () => answersTo(rng, template.report_questions, TEXTS);
  if (target === 'in_progress') {
    await saveDraft(trx, report, c.id, reportAnswers());
    if (manager) await updateSharedNotes(trx, manager, c.id, rng.pick(NOTES));
    return;
  }
  await submitAnswers(trx, report, c.id, reportAnswers());
  if (target === 'submitted' || !manager) return;
  await submitAnswers(trx, manager, c.id, answersTo(rng, template.manager_questions, TEXTS));
  if (target === 'edit_requested')
    await requestEdit(trx, report, c.id, 'I left out the launch I led in the last week of the quarter.');
  if (target !== 'completed') return;
  if (rng.chance(0.5)) await updateSharedNotes(trx, manager, c.id, rng.pick(NOTES));
  await completeConversation(trx, manager, c.id);
}

/** A handful of 1:1s over the last weeks, the admin's own with their manager among them. */
async function seedOneOnOnes(
  trx: Transaction<DB>,
  cast: Cast,
  template: Template,
  today: string,
  rng: Random,
) {
  const managers = cast.byTitle('Engineering Manager, Web').concat(cast.byTitle('Analytics Manager'));
  const pairs = [cast.admin, ...managers.flatMap((m) => cast.reportsOf(m.ref).slice(0, 2))];
  for (const [i, report] of pairs.entries()) {
    if (report.manager === null) continue;
    const manager = cast.as(report.manager);
    const starts = addDays(today, -7 * (i % 4));
    const c = await startConversation(trx, manager, {
      template_id: template.id,
      report_id: cast.id(report.ref),
      starts_on: starts,
    });
    await advance({ trx, cast, rng, template }, c, i % 2 ? 'completed' : 'in_progress');
  }
}
