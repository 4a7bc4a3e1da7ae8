import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Principal } from '../domain/access/principal.js';
import { createCycle } from '../domain/feedback/cycles.js';
import { createRequest, declineRequest, listRequests } from '../domain/feedback/requests.js';
import { giveFeedback, respond } from '../domain/feedback/responses.js';
import { createTemplate, type TemplateRow } from '../domain/feedback/templates.js';
import { answersTo } from './answers.js';
import { addDays, type Cast, quartersOf } from './cast.js';
import type { PlannedPerson } from './plan.js';
import type { Random } from './random.js';

const PEER = {
  name: 'Peer feedback',
  description: 'Named feedback from the people someone works with.',
  anonymity: 'named' as const,
  questions: [
    { type: 'paragraph' as const, text: 'What should they keep doing?', required: true },
    { type: 'paragraph' as const, text: 'What could they do differently?' },
    { type: 'star_rating' as const, text: 'How was working with them?', stars: 5 },
  ],
};

const AGREE = ['Rarely', 'Sometimes', 'Often', 'Usually', 'Always'].map((label, i) => ({
  value: i + 1,
  label,
}));
const THREE_SIXTY = {
  name: '360 review',
  description: 'Anonymous to the person it is about; their managers and HR see who answered.',
  anonymity: 'anonymous_to_recipient' as const,
  questions: [
    { type: 'scale' as const, text: 'Communicates clearly and early', scale_max: 5, labels: AGREE },
    { type: 'scale' as const, text: 'Delivers on commitments', scale_max: 5, labels: AGREE },
    {
      type: 'multi_select' as const,
      text: 'Their strengths',
      options: ['Craft', 'Collaboration', 'Ownership', 'Mentoring', 'Customer focus'],
    },
    { type: 'paragraph' as const, text: 'One thing they should start doing', required: true },
  ],
};

const TEXTS = [
  'Keeps everyone in the loop before anyone has to ask.',
  'Brings calm to incidents and writes the clearest follow-ups.',
  'Could delegate more: the team is ready for it.',
  'Share early drafts sooner; the feedback would land while it is cheap to change.',
  'Makes time for newcomers and it shows in how fast they ramp up.',
  'Say no to more requests so the important work gets finished.',
];

/**
 * Feedback templates (named peer feedback, an anonymous 360), last quarter's 360 with its pools shown and
 * this quarter's with too few answers so far, requests the admin and their manager made, a declined ask,
 * and unprompted feedback; each through the feedback services as the person who would do it.
 */
export async function seedFeedback(
  trx: Transaction<DB>,
  actor: Principal,
  cast: Cast,
  today: string,
  rng: Random,
) {
  const peer = await createTemplate(trx, actor, PEER);
  const review = await createTemplate(trx, actor, THREE_SIXTY);
  const { current, previous } = quartersOf(today);
  const admin = cast.admin;
  const colleagues = cast.people.filter((p) => p.department === 'People' && !p.isAdmin);
  const others = (of: PlannedPerson, n: number) =>
    colleagues
      .filter((p) => p.ref !== of.ref)
      .slice(0, n)
      .map((p) => cast.id(p.ref));
  const managerOf = cast.person(admin.manager ?? 0);
  const context = { trx, cast, rng };

  // Last quarter's 360: every provider answered or declined, so the pools are final and shown.
  const done = await cycle(context, actor, `${previous.name} 360 review`, review, null, [
    { recipient: admin, providers: others(admin, 5), answer: 4, decline: 1 },
    { recipient: managerOf, providers: others(managerOf, 4), answer: 4, decline: 0 },
  ]);
  // This quarter's: the admin's has two answers of five, below the threshold of three, so it is withheld.
  const running = await cycle(context, actor, `${current.name} 360 review`, review, current.ends_on, [
    { recipient: admin, providers: others(admin, 5), answer: 2, decline: 0 },
    { recipient: managerOf, providers: others(managerOf, 4), answer: 3, decline: 0 },
  ]);

  const selfProviders = others(admin, 3);
  const selfAsked = await createRequest(trx, cast.as(admin.ref), {
    template_id: peer.id,
    provider_ids: selfProviders,
    message: 'I led the HR systems migration this quarter: how did it go from where you sat?',
    due_on: addDays(today, 14),
  });
  await answer(context, selfAsked.id, selfProviders, peer, 2, 1);
  const managerProviders = others(admin, 4).slice(1);
  const managerAsked = await createRequest(trx, cast.as(managerOf.ref), {
    recipient_id: cast.id(admin.ref),
    template_id: peer.id,
    provider_ids: managerProviders,
    message: 'Ahead of our check-in: what should they keep doing, and what could change?',
    due_on: addDays(today, 10),
  });
  await answer(context, managerAsked.id, managerProviders, peer, 1, 0);

  for (const [i, giver] of colleagues.slice(0, 4).entries()) {
    const recipient = i % 2 === 0 ? admin : (colleagues[i + 1] ?? admin);
    await giveFeedback(trx, cast.as(giver.ref), {
      recipient_id: cast.id(recipient.ref),
      ...(i === 1
        ? { template_id: peer.id, answers: answersTo(rng, peer.questions, TEXTS) }
        : { body: rng.pick(TEXTS) }),
    });
  }
  return { done: done.id, running: running.id };
}

interface Context {
  trx: Transaction<DB>;
  cast: Cast;
  rng: Random;
}
interface Assignment {
  recipient: PlannedPerson;
  providers: number[];
  answer: number;
  decline: number;
}

async function cycle(
  { trx, cast, rng }: Context,
  actor: Principal,
  name: string,
  template: TemplateRow,
  dueOn: string | null,
  assignments: Assignment[],
) {
  const made = await createCycle(trx, actor, {
    name,
    kind: '360',
    template_id: template.id,
    due_on: dueOn,
    assignments: assignments.map((a) => ({
      recipient_id: cast.id(a.recipient.ref),
      provider_ids: a.providers,
    })),
  });
  for (const a of assignments) {
    const recipient = { cycle_id: made.id, recipient_id: cast.id(a.recipient.ref) };
    const own = await listRequests(trx, cast.as(a.recipient.ref), recipient, { limit: 10 });
    for (const r of own.rows)
      await answer({ trx, cast, rng }, r.id, a.providers, template, a.answer, a.decline);
  }
  return made;
}

/** The first `answers` providers answer, the next `declines` decline; the rest have not got to it yet. */
async function answer(
  { trx, cast, rng }: Context,
  requestId: number,
  asked: number[],
  template: TemplateRow,
  answers: number,
  declines: number,
) {
  for (const [i, userId] of asked.entries()) {
    const provider = cast.as(cast.byId(userId).ref);
    if (i < answers) await respond(trx, provider, requestId, answersTo(rng, template.questions, TEXTS));
    else if (i < answers + declines)
      await declineRequest(trx, provider, requestId, "We haven't worked together closely this quarter.");
  }
}
