import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Principal } from '../domain/access/principal.js';
import { createRecognition } from '../domain/recognition/service.js';
import { addComment, addReaction } from '../domain/recognition/social.js';
import { REACTION_KINDS } from '../domain/recognition/types.js';
import { createCompanyValue } from '../domain/recognition/values.js';
import { listTeams } from '../domain/teams/service.js';
import { addDays, type Cast } from './cast.js';
import type { DemoGoals } from './goals.js';
import type { PlannedPerson } from './plan.js';
import type { Random } from './random.js';

const VALUES = [
  ['Customers first', 'We start from the problem a customer has, not the feature we want to build.'],
  ['Own the outcome', 'We finish what we start and say so early when we cannot.'],
  ['Raise the bar', 'We leave the work, and each other, better than we found them.'],
  ['Candid and kind', 'We say the hard thing, and we say it with care.'],
  ['Win together', 'We share the credit and the on-call.'],
] as const;

/** Messages with their hashtags in the text, as people write them; `{who}` is the receivers' first names. */
const MESSAGES = [
  'Thank you {who} for staying with the incident until the last dashboard was green. #oncall #teamwork',
  '{who} turned a rough customer call into a renewal and a feature request we can ship. #customerlove',
  'Huge thanks to {who} for the onboarding guide: new joiners are productive in days now. #onboarding',
  '{who} reviewed forty pull requests this week so the release could go out on time. #shipit #teamwork',
  'Shout-out to {who} for mentoring the interns with so much patience. #mentoring',
  '{who} found the root cause nobody else could and wrote it up for all of us. #ownership #datadriven',
  'Thanks {who} for running the quarterly planning so smoothly. #planning',
  '{who} closed the biggest deal of the quarter with a very small team behind them. #shipit #customerlove',
];
const TEAM_MESSAGE = 'The whole team delivered this one together: thank you all! #teamwork #shipit';
const COMMENTS = ['Well deserved!', 'Thank you, that means a lot.', 'Seconded, great work.', '🎉'];

/** How many recognitions the demo holds, spread over the last four months. */
const COUNT = 30;
const DAYS = 120;

/**
 * Company values and recognitions across the organisation over the last months, oldest first: people
 * thanking people and teams, with hashtags and values, a few private; colleagues react and comment. Each is
 * given through the recognition service as its giver, at the moment it was given.
 */
export async function seedRecognition(
  trx: Transaction<DB>,
  actor: Principal,
  cast: Cast,
  goals: DemoGoals,
  today: string,
  rng: Random,
) {
  const values = [];
  for (const [name, description] of VALUES)
    values.push(await createCompanyValue(trx, actor, { name, description }));
  const teams = (await listTeams(trx, actor, {}, { limit: 20 })).rows;
  const days = Array.from({ length: COUNT }, () => rng.int(1, DAYS)).sort((a, b) => b - a);
  for (const [i, daysAgo] of days.entries()) {
    const giver = rng.pick(cast.people);
    const team = i % 7 === 3 ? rng.pick(teams) : undefined;
    const receivers = team ? [] : receiversFor(rng, cast, giver);
    const names = receivers.map((p) => p.first_name).join(' and ');
    const at = new Date(`${addDays(today, -daysAgo)}T${String(rng.int(8, 17)).padStart(2, '0')}:15:00Z`);
    const visibility = i % 9 === 5 && !team ? ('private' as const) : ('public' as const);
    const value = rng.chance(0.75) ? rng.pick(values) : undefined;
    const recognition = await createRecognition(
      trx,
      cast.as(giver.ref),
      {
        receiver_ids: receivers.map((p) => cast.id(p.ref)),
        ...(team && { team_id: team.id }),
        message: team ? TEAM_MESSAGE : rng.pick(MESSAGES).replace('{who}', names),
        visibility,
        company_value_id: value?.id ?? null,
        goal_id: i % 6 === 2 ? (goals.company[i % goals.company.length] ?? null) : null,
      },
      at,
    );
    await respondTo(trx, cast, rng, recognition, visibility === 'public');
  }
}

/** One or two colleagues, never the giver; the admin receives now and then, so their own feed shows some. */
function receiversFor(rng: Random, cast: Cast, giver: PlannedPerson): PlannedPerson[] {
  const pool = cast.people.filter((p) => p.ref !== giver.ref);
  const first = rng.chance(0.15) && !giver.isAdmin ? cast.admin : rng.pick(pool);
  const second = rng.pick(pool);
  return rng.chance(0.3) && second.ref !== first.ref ? [first, second] : [first];
}

/** Reactions from colleagues (or, on a private one, its receivers) and now and then a comment. */
async function respondTo(
  trx: Transaction<DB>,
  cast: Cast,
  rng: Random,
  recognition: { id: number; giver_user_id: number; receiver_ids: number[] },
  open: boolean,
) {
  const receivers = recognition.receiver_ids.map((id) => cast.byId(id));
  const reactors = open
    ? Array.from({ length: rng.int(0, 3) }, () => rng.pick(cast.people))
    : receivers.slice(0, 1);
  for (const person of new Set(reactors)) {
    await addReaction(trx, cast.as(person.ref), recognition.id, rng.pick(REACTION_KINDS));
  }
  const replier = receivers[0];
  if (replier && rng.chance(0.3))
    await addComment(trx, cast.as(replier.ref), recognition.id, rng.pick(COMMENTS));
}
