import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Principal } from '../access/principal.js';
import { type Change, recordEvents } from '../changes.js';
import { AppError, notFound } from '../errors.js';
import type { PageRequest } from '../paging.js';
import { closedPeriodsContaining, periodById } from '../periods/service.js';
import { inTenant } from '../tenant.js';
import { inTransaction } from '../transactions.js';
import { checkinColumns, milestoneBeforeCheckin, pageCheckins, selectCheckins } from './checkin-repo.js';
import { findMilestone, type MilestoneRow, milestonesOf } from './milestone-repo.js';
import { milestoneProgress } from './progress.js';
import { findVisibleGoal, writableGoal } from './references.js';
import type { GoalRow } from './repo.js';
import { lockRollUp, type RollUp, rollUp } from './rollup.js';
import { getGoal } from './service.js';
import type { CheckInInput } from './types.js';
import { goalViews } from './views.js';
import { assertCanWriteMilestone } from './visibility.js';

const invalid = (description: string) => new AppError('invalid_operation', description);
/** Clocks differ a little; a check-in further in the future than this is a mistake. */
const FUTURE_SKEW_MS = 5 * 60_000;

const checkinDate = (input: CheckInInput) =>
  input.checked_in_at ? new Date(input.checked_in_at) : new Date();

function assertNotFuture(at: Date) {
  if (at.getTime() > Date.now() + FUTURE_SKEW_MS) throw invalid('checked_in_at cannot be in the future.');
}

/** Why a check-in would land where the record is closed: empty when it is an ordinary check-in. */
async function closedReasons(db: Kysely<DB>, p: Principal, goal: GoalRow, m: MilestoneRow | null, at: Date) {
  const day = at.toISOString().slice(0, 10);
  const reasons: string[] = [];
  if (goal.status !== 'open') reasons.push(`the goal is ${goal.status}`);
  if (m?.status === 'closed') reasons.push('the milestone is closed');
  if (day > goal.ends_on) reasons.push(`it is dated after the goal's end (${goal.ends_on})`);
  if (day < goal.starts_on) reasons.push(`it is dated before the goal's start (${goal.starts_on})`);
  if (goal.period_id !== null) {
    const period = await periodById(db, p, goal.period_id);
    if (period?.status === 'closed') reasons.push(`the goal's period "${period.name}" is closed`);
    else {
      for (const closed of await closedPeriodsContaining(db, p, goal.period_id, day)) {
        reasons.push(`it falls in the closed period "${closed.name}"`);
      }
    }
  }
  return reasons;
}

/** Refuses a check-in into a closed record unless the caller said so explicitly; returns whether it did. */
async function assertOpenOrAllowed(
  db: Kysely<DB>,
  p: Principal,
  goal: GoalRow,
  m: MilestoneRow | null,
  at: Date,
  input: CheckInInput,
) {
  const reasons = await closedReasons(db, p, goal, m, at);
  if (reasons.length > 0 && input.allow_closed_period !== true) {
    throw invalid(
      `The check-in was refused: ${reasons.join('; ')}. Send "allow_closed_period": true to record it anyway.`,
    );
  }
  return reasons;
}

function checkinRow(
  p: Principal,
  target: { goalId: number; milestoneId: number | null },
  input: CheckInInput,
  at: Date,
  override: boolean,
) {
  return {
    org_id: p.orgId,
    mode: p.mode,
    goal_id: target.goalId,
    milestone_id: target.milestoneId,
    user_id: p.userId,
    api_key_id: p.apiKeyId,
    request_id: p.requestId,
    value: input.value ?? null,
    comment: input.comment ?? null,
    confidence: input.confidence ?? null,
    closed_period_override: override,
    checked_in_at: at,
  };
}

type Found = NonNullable<Awaited<ReturnType<typeof milestoneBeforeCheckin>>>;

/**
 * The milestone follows its latest check-in by date, this one included, so a back-dated one never
 * overrides a newer value. This one is the latest of its kind unless one dated after it gives that too.
 */
function milestoneAfter(m: Found, input: CheckInInput) {
  const value = input.value !== undefined && !m.value_given_after ? input.value : m.latest_value;
  const confidence =
    input.confidence !== undefined && !m.confidence_given_after ? input.confidence : m.latest_confidence;
  const current_value = value ?? m.current_value;
  return {
    current_value,
    progress: milestoneProgress({ ...m, current_value }),
    confidence: confidence ?? m.confidence,
    last_checkin_at: m.last,
  };
}

/**
 * The check-in as recorded: an `add` becomes the value it gives, the milestone's current value as read
 * under the chain lock plus the amount, so each of several concurrent adds sees the one before it.
 */
function withAddApplied(m: Found, input: CheckInInput): CheckInInput {
  if (input.add === undefined) return input;
  const { add, ...rest } = input;
  return { ...rest, value: Number(m.current_value) + add };
}

/** A progress update on a milestone: recorded, applied and rolled up the alignment tree in one transaction. */
export async function checkInMilestone(
  db: Kysely<DB>,
  p: Principal,
  milestoneId: number,
  given: CheckInInput,
) {
  if (given.add !== undefined && given.value !== undefined) {
    throw invalid('A check-in sets a value or adds to it, not both.');
  }
  // Inside a caller's transaction (a bulk upload's) when given one: its rows apply or roll back together.
  return inTransaction(db, async (trx) => {
    // Lock the goal and its chain first, then read the milestone: concurrent check-ins queue and see each other.
    await lockRollUp(trx, p, { milestoneId });
    const at = checkinDate(given);
    const m = await milestoneBeforeCheckin(trx, p, milestoneId, at);
    const goal = m && (await findVisibleGoal(trx, p, m.goal_id));
    if (!m || !goal) throw notFound('milestone');
    const input = withAddApplied(m, given);
    await assertCanWriteMilestone(trx, p, goal, m);
    if (m.unit === 'binary' && input.value !== undefined && input.value !== 0 && input.value !== 1) {
      throw invalid('A binary milestone takes the value 0 (not done) or 1 (done).');
    }
    assertNotFuture(at);
    const reasons = await assertOpenOrAllowed(trx, p, goal, m, at, input);
    const after = milestoneAfter(m, input);
    // The check-in and the milestone it moves in one statement; the goal and its ancestors in the next.
    const checkin = await trx
      .with('applied', (q) =>
        q
          .updateTable('milestones')
          .set({ ...after, updated_at: new Date() })
          .where(inTenant(p))
          .where('id', '=', m.id)
          .returning('id'),
      )
      .insertInto('checkins')
      .values(checkinRow(p, { goalId: goal.id, milestoneId: m.id }, input, at, reasons.length > 0))
      .returning(checkinColumns)
      .executeTakeFirstOrThrow();
    const rolled = await rollUp(trx, p, goal.id, at);
    await recordEvents(trx, p, [
      {
        event: 'milestone.checked_in',
        objectId: m.id,
        changes: {
          checkin_id: checkin.id,
          current_value: { from: m.current_value, to: after.current_value },
          progress: { from: m.progress, to: after.progress },
          ...(reasons.length > 0 && { allow_closed_period: true, closed_reasons: reasons }),
        },
      },
      ...progressMoves(rolled.moves),
    ]);
    return { checkin, goal: await goalAfter(trx, p, goal, rolled) };
  });
}

/**
 * The goal as the check-in left it, without reading it again: its row was read under the lock, so only what
 * the roll-up wrote has moved since.
 */
async function goalAfter(trx: Transaction<DB>, p: Principal, goal: GoalRow, rolled: RollUp) {
  if (!rolled.goal) return getGoal(trx, p, goal.id);
  goal.progress = rolled.goal.progress;
  goal.last_checkin_at = rolled.goal.last_checkin_at;
  goal.updated_at = rolled.goal.updated_at;
  const [view] = await goalViews(trx, p, [goal]);
  return view as NonNullable<typeof view>;
}

const progressMoves = (moves: Change[]) =>
  moves.map((move) => ({ event: 'goal.progress_changed' as const, ...move }));

/** A progress update (0–100) on a goal that has no milestones and does not roll up from its children. */
export async function checkInGoal(db: Kysely<DB>, p: Principal, goalId: number, input: CheckInInput) {
  if (input.add !== undefined) {
    throw invalid("Adding is for a milestone's metric; a check-in on a goal gives its progress as value.");
  }
  return db.transaction().execute(async (trx) => {
    const goal = await writableGoal(trx, p, goalId);
    if (goal.progress_source === 'children') {
      throw invalid("This goal's progress rolls up from its aligned goals; check in on those.");
    }
    const [first] = await milestonesOf(trx, p, [goalId]);
    if (first)
      throw invalid(`This goal's progress comes from its milestones; check in on one, e.g. ${first.id}.`);
    if (input.value !== undefined && (input.value < 0 || input.value > 100)) {
      throw invalid('A check-in on a goal gives its progress, from 0 to 100.');
    }
    const at = checkinDate(input);
    assertNotFuture(at);
    const reasons = await assertOpenOrAllowed(trx, p, goal, null, at, input);
    await lockRollUp(trx, p, { goalId });
    const checkin = await trx
      .insertInto('checkins')
      .values(checkinRow(p, { goalId, milestoneId: null }, input, at, reasons.length > 0))
      .returning(checkinColumns)
      .executeTakeFirstOrThrow();
    const { moves } = await rollUp(trx, p, goalId, at);
    await recordEvents(trx, p, [
      {
        event: 'goal.checked_in',
        objectId: goalId,
        changes: {
          checkin_id: checkin.id,
          ...(input.value !== undefined && { value: input.value }),
          ...(reasons.length > 0 && { allow_closed_period: true, closed_reasons: reasons }),
        },
      },
      ...progressMoves(moves),
    ]);
    return { checkin, goal: await getGoal(trx, p, goalId) };
  });
}

/** The goal's history of check-ins (its milestones' included), newest first. */
export async function listGoalCheckins(db: Kysely<DB>, p: Principal, goalId: number, page: PageRequest) {
  if (!(await findVisibleGoal(db, p, goalId))) throw notFound('goal');
  return pageCheckins(selectCheckins(db, p).where('goal_id', '=', goalId), page);
}

export async function listMilestoneCheckins(
  db: Kysely<DB>,
  p: Principal,
  milestoneId: number,
  page: PageRequest,
) {
  const m = await findMilestone(db, p, milestoneId);
  if (!m || !(await findVisibleGoal(db, p, m.goal_id))) throw notFound('milestone');
  return pageCheckins(selectCheckins(db, p).where('milestone_id', '=', milestoneId), page);
}
