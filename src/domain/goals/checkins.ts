import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Principal } from '../access/principal.js';
import { type Change, recordEvents } from '../changes.js';
import { AppError, notFound } from '../errors.js';
import type { PageRequest } from '../paging.js';
import { inTransaction } from '../transactions.js';
import { lockChain, lockRollUp } from './chain-lock.js';
import { checkInAtOnce } from './checkin-at-once.js';
import { checkinColumns, milestonesAtCheckin, pageCheckins, selectCheckins } from './checkin-repo.js';
import {
  assertNotFuture,
  assertOpenOrAllowed,
  checkinDate,
  closedReasons,
  dayOf,
  periodClosedReasons,
  refuseClosedUnlessAllowed,
  rowClosedReasons,
} from './checkin-rules.js';
import { type MilestoneAfter, writeCheckin } from './checkin-write.js';
import { findMilestone, type MilestoneRow, milestonesOf } from './milestone-repo.js';
import { milestoneProgress } from './progress.js';
import { findVisibleGoal, writableGoal } from './references.js';
import { type GoalRow, goalColumns } from './repo.js';
import { type RollUp, rollUp } from './rollup.js';
import { getGoal } from './service.js';
import type { CheckInInput } from './types.js';
import { goalView } from './views.js';
import { assertCanWriteMilestone } from './visibility.js';

const invalid = (description: string) => new AppError('invalid_operation', description);

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

type AtCheckin = Awaited<ReturnType<typeof milestonesAtCheckin>>[number];
/** The checked-in milestone, whose history columns the read filled in. */
type Found = AtCheckin & { last: string };

/**
 * The milestone follows its latest check-in by date, this one included, so a back-dated one never
 * overrides a newer value. This one is the latest of its kind unless one dated after it gives that too.
 */
function milestoneAfter(m: Found, input: CheckInInput): MilestoneAfter {
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

/** A milestone row as the views show it, without the history columns the check-in read with it. */
function plainMilestone(row: AtCheckin): MilestoneRow {
  const { latest_value, value_given_after, latest_confidence, confidence_given_after, last, ...m } = row;
  return m;
}

/** The goal fields that decide who sees and writes it and which periods close it: read again when they moved. */
const guards = [
  'visibility',
  'owner_user_id',
  'owner_team_id',
  'owner_department_id',
  'goal_type',
  'period_id',
] as const;
const goalTableColumns = sql.join(goalColumns.map((c) => sql.ref(c.replace('goals.', 'g.'))));
type GoalTableRow = Omit<GoalRow, 'contributors' | 'team_ids' | 'categories' | 'tags'>;

/**
 * The goal under its chain's lock: the row as locked (its latest version) over its lists as read before the
 * lock. When what decides access or the period moved in between, it is read again whole, under the lock.
 */
async function goalUnderLock(trx: Transaction<DB>, p: Principal, seen: GoalRow, locked: GoalTableRow) {
  if (locked.id !== seen.id || guards.some((field) => locked[field] !== seen[field])) {
    return findVisibleGoal(trx, p, locked.id);
  }
  return Object.assign(seen, locked);
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
  const atOnce = await checkInAtOnce(db, p, milestoneId, given);
  if (atOnce) return atOnce;
  // Inside a caller's transaction (a bulk upload's) when given one: its rows apply or roll back together.
  return inTransaction(db, async (trx) => {
    // Read before the chain's locks what they do not guard (the goal's lists, its period family), so that
    // the locks are held for the fewest round trips; what they guard is read again under them.
    const goalOf = sql<number>`(select goal_id from milestones where org_id = ${p.orgId} and mode = ${p.mode}
      and id = ${milestoneId} and deleted_at is null)`;
    const seen = await findVisibleGoal(trx, p, goalOf);
    if (!seen) throw notFound('milestone');
    const day = dayOf(checkinDate(given));
    const periodReasons = await periodClosedReasons(trx, p, seen.period_id, day);
    // Lock the goal and its chain, then read the milestone: concurrent check-ins queue and see each other.
    const [locked] = await lockChain<GoalTableRow>(trx, p, { milestoneId }, sql`, ${goalTableColumns}`);
    // Dated once the lock is held, so that concurrent check-ins are dated in the order they apply.
    const at = checkinDate(given);
    const milestones = await milestonesAtCheckin(trx, p, milestoneId, at);
    const m = milestones.find((row) => row.id === milestoneId) as Found | undefined;
    const goal = locked && m && (await goalUnderLock(trx, p, seen, locked));
    if (!m || !goal) throw notFound('milestone');
    const input = withAddApplied(m, given);
    await assertCanWriteMilestone(trx, p, goal, m);
    if (m.unit === 'binary' && input.value !== undefined && input.value !== 0 && input.value !== 1) {
      throw invalid('A binary milestone takes the value 0 (not done) or 1 (done).');
    }
    assertNotFuture(at);
    const reasons = refuseClosedUnlessAllowed(
      goal === seen && dayOf(at) === day
        ? [...rowClosedReasons(goal, m, day), ...periodReasons]
        : await closedReasons(trx, p, goal, m, at),
      input,
    );
    const after = milestoneAfter(m, input);
    const written = await writeCheckin(
      trx,
      p,
      { goalId: goal.id, milestoneId: m.id, at },
      after,
      checkinRow(p, { goalId: goal.id, milestoneId: m.id }, input, at, reasons.length > 0),
    );
    await recordEvents(trx, p, [
      {
        event: 'milestone.checked_in',
        objectId: m.id,
        changes: {
          checkin_id: written.checkin.id,
          current_value: { from: m.current_value, to: after.current_value },
          progress: { from: m.progress, to: after.progress },
          ...(reasons.length > 0 && { allow_closed_period: true, closed_reasons: reasons }),
        },
      },
      ...progressMoves(written.rolled.moves),
    ]);
    const views = milestones.map((row) =>
      row.id === m.id ? Object.assign(plainMilestone(row), written.milestone) : plainMilestone(row),
    );
    return { checkin: written.checkin, goal: goalAfter(goal, written.rolled, views) };
  });
}

/**
 * The goal as the check-in left it, without reading it again: its row and milestones were read under the
 * lock, so only what the check-in wrote has moved since.
 */
function goalAfter(goal: GoalRow, rolled: RollUp, milestones: MilestoneRow[]) {
  if (rolled.goal) {
    goal.progress = rolled.goal.progress;
    goal.last_checkin_at = rolled.goal.last_checkin_at;
    goal.updated_at = rolled.goal.updated_at;
  }
  return goalView(goal, milestones, new Date());
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
