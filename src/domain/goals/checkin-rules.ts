import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Principal } from '../access/principal.js';
import { AppError } from '../errors.js';
import { closedPeriodsContaining, periodById } from '../periods/service.js';
import type { MilestoneRow } from './milestone-repo.js';
import type { GoalRow } from './repo.js';
import type { CheckInInput } from './types.js';

/** When a check-in is dated and whether the record it lands in is closed (docs/goals.md, Check-ins). */
const invalid = (description: string) => new AppError('invalid_operation', description);
/** Clocks differ a little; a check-in further in the future than this is a mistake. */
const FUTURE_SKEW_MS = 5 * 60_000;

export const checkinDate = (input: CheckInInput) =>
  input.checked_in_at ? new Date(input.checked_in_at) : new Date();

export function assertNotFuture(at: Date) {
  if (at.getTime() > Date.now() + FUTURE_SKEW_MS) throw invalid('checked_in_at cannot be in the future.');
}

/** Why the goal's and milestone's own rows close a check-in dated `day`: read from the rows, no query. */
export function rowClosedReasons(goal: GoalRow, m: { status: string } | null, day: string) {
  const reasons: string[] = [];
  if (goal.status !== 'open') reasons.push(`the goal is ${goal.status}`);
  if (m?.status === 'closed') reasons.push('the milestone is closed');
  if (day > goal.ends_on) reasons.push(`it is dated after the goal's end (${goal.ends_on})`);
  if (day < goal.starts_on) reasons.push(`it is dated before the goal's start (${goal.starts_on})`);
  return reasons;
}

/** Why the goal's period family closes a check-in dated `day`: its period, or a closed one around or in it. */
export async function periodClosedReasons(
  db: Kysely<DB>,
  p: Principal,
  periodId: number | null,
  day: string,
) {
  if (periodId === null) return [];
  const period = await periodById(db, p, periodId);
  if (period?.status === 'closed') return [`the goal's period "${period.name}" is closed`];
  return (await closedPeriodsContaining(db, p, periodId, day)).map(
    (closed) => `it falls in the closed period "${closed.name}"`,
  );
}

export const dayOf = (at: Date) => at.toISOString().slice(0, 10);

/** Why a check-in would land where the record is closed: empty when it is an ordinary check-in. */
export async function closedReasons(
  db: Kysely<DB>,
  p: Principal,
  goal: GoalRow,
  m: MilestoneRow | null,
  at: Date,
) {
  const day = dayOf(at);
  return [...rowClosedReasons(goal, m, day), ...(await periodClosedReasons(db, p, goal.period_id, day))];
}

/** The reasons, unless there are some and the caller did not send allow_closed_period: then a refusal. */
export function refuseClosedUnlessAllowed(reasons: string[], input: CheckInInput) {
  if (reasons.length > 0 && input.allow_closed_period !== true) {
    throw invalid(
      `The check-in was refused: ${reasons.join('; ')}. Send "allow_closed_period": true to record it anyway.`,
    );
  }
  return reasons;
}

/** Refuses a check-in into a closed record unless the caller said so explicitly; returns the reasons. */
export async function assertOpenOrAllowed(
  db: Kysely<DB>,
  p: Principal,
  goal: GoalRow,
  m: MilestoneRow | null,
  at: Date,
  input: CheckInInput,
) {
  return refuseClosedUnlessAllowed(await closedReasons(db, p, goal, m, at), input);
}
