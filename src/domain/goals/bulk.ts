import type { Kysely } from 'kysely';
import type { DB, GoalType } from '../../db/schema.js';
import type { Principal } from '../access/principal.js';
import type { RowError } from '../bulk.js';
import { AppError, type ErrorCode } from '../errors.js';
import { type BulkLookups, lookUp } from './bulk-lookups.js';
import type { BulkGoalInput, BulkGoalResult, BulkGoalUpload, PlannedGoal } from './bulk-types.js';
import { writeUpload } from './bulk-write.js';
import { resolveMetric } from './metric.js';
import { type DatesProblem, goalDates, goalVisibility, type Owner, ownerRefusal } from './rules.js';
import { cleanLabels, resolveType } from './shape.js';

/**
 * Goals and milestones in bulk (seed 000's OKR upload): rows are checked together with a handful of
 * batched lookups, then written with multi-row INSERTs in one transaction. The one-goal path
 * (insertGoal) runs a dozen queries per goal; 10,000 goals need a few dozen in all.
 */

class RowFailure extends Error {
  constructor(
    readonly field: string,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}
const fail = (field: string, message: string, code: ErrorCode = 'invalid_operation'): never => {
  throw new RowFailure(field, code, message);
};

function ownerOf(l: BulkLookups, email: string | undefined, fallback: number) {
  if (email === undefined) return fallback;
  const user = l.usersByEmail.get(email.toLowerCase());
  if (!user) return fail('owner_email', `No user has the email ${email}.`);
  if (user.status !== 'active') return fail('owner_email', `${email} is deactivated.`);
  return user.id;
}

/** A shared rule that refuses with an AppError refuses the row, on the field it came from. */
function onField<T>(field: string, decide: () => T): T {
  try {
    return decide();
  } catch (error) {
    if (error instanceof AppError) return fail(field, error.message, error.code);
    throw error;
  }
}

/** Bulk rows name users only: the goal's owner as the rules see it. */
const userOwner = (id: number): Owner => ({
  owner_user_id: id,
  owner_team_id: null,
  owner_department_id: null,
});

/** The owner rule of POST /v1/goals (rules.ts), against the batched lookups, in the upload's words. */
function checkGoalOwner(l: BulkLookups, p: Principal, owner: number, type: GoalType) {
  const refusal = ownerRefusal(p, userOwner(owner), type, l.reports.has(owner));
  if (refusal === 'org_goal') fail('goal_type', 'Only admins set company goals.');
  if (refusal === 'not_theirs') {
    fail('owner_email', 'You can set goals for yourself and your reports.', 'insufficient_access');
  }
}

/** The dates rule (rules.ts) in the upload's words: the field to fix, the message, the code. */
const DATES_REFUSED: Record<DatesProblem, (period?: string) => [string, string, ErrorCode]> = {
  missing: () => [
    'start_date',
    'A goal needs start_date and end_date, or a period.',
    'missing_required_parameters',
  ],
  reversed: () => ['end_date', 'end_date is before start_date.', 'invalid_operation'],
  outside_period: (period) => [
    'start_date',
    `The dates must lie within the period "${period}".`,
    'invalid_operation',
  ],
};

function datesOf(l: BulkLookups, input: BulkGoalInput) {
  let period: { id: number; starts_on: string; ends_on: string } | null = null;
  if (input.period !== undefined) {
    period = l.periodsByName.get(input.period.toLowerCase()) ?? null;
    if (!period) fail('period', `No period is named "${input.period}".`);
  }
  const dates = goalDates({ starts_on: input.start_date, ends_on: input.end_date }, period, period);
  if (typeof dates === 'string') return fail(...DATES_REFUSED[dates](input.period));
  return { period_id: period?.id ?? null, ...dates };
}

function planGoal(
  l: BulkLookups,
  p: Principal,
  row: number,
  input: BulkGoalInput,
  keys: Map<string, PlannedGoal>,
) {
  if (input.parent_key !== undefined && input.parent_id !== undefined) {
    fail('parent_key', 'Send parent_key or parent_id, not both.', 'invalid_parameters');
  }
  for (const field of [
    'goal_key',
    'unit',
    'direction',
    'start_value',
    'target_value',
    'current_value',
  ] as const) {
    if (input[field] !== undefined) fail(field, `${field} is for milestone rows.`, 'invalid_parameters');
  }
  const owner_user_id = ownerOf(l, input.owner_email, p.userId);
  const goal_type = onField('goal_type', () => resolveType(input.goal_type, userOwner(owner_user_id), null));
  checkGoalOwner(l, p, owner_user_id, goal_type);
  let parent: PlannedGoal['parent'] = null;
  if (input.parent_id !== undefined) {
    if (!l.visibleParents.has(input.parent_id))
      fail('parent_id', `Parent goal ${input.parent_id} does not exist.`);
    parent = { id: input.parent_id };
  }
  if (input.parent_key !== undefined) {
    const goal = keys.get(input.parent_key);
    if (!goal) return fail('parent_key', `No goal row above has the key "${input.parent_key}".`);
    // Half a tree is a half-written upload: a goal whose parent row failed fails with it.
    if (goal.error) fail('parent_key', `Its parent row ${goal.row} failed.`);
    parent = { goal };
  }
  const goal: PlannedGoal = {
    row,
    key: input.key,
    input,
    owner_user_id,
    goal_type,
    ...datesOf(l, input),
    visibility: goalVisibility(input.visibility, null),
    parent,
    categories: cleanLabels(input.categories ?? []),
    milestones: [],
  };
  // A row is written whole or not at all: one bad inline milestone fails its goal row.
  for (const [k, m] of (input.milestones ?? []).entries()) {
    try {
      goal.milestones.push(planMilestone(l, row, { type: 'milestone', ...m }, goal));
    } catch (error) {
      if (error instanceof RowFailure) fail(`milestones.${k}.${error.field}`, error.message, error.code);
      throw error;
    }
  }
  return goal;
}

/** A milestone row without a metric is a percentage from 0 to 100: the upload's progress column. */
function planMilestone(l: BulkLookups, row: number, input: BulkGoalInput, goal: PlannedGoal) {
  const goalOnly = [
    'parent_key',
    'parent_id',
    'period',
    'start_date',
    'end_date',
    'goal_type',
    'milestones',
  ] as const;
  for (const field of goalOnly) {
    if (input[field] !== undefined) fail(field, `${field} is for goal rows.`, 'invalid_parameters');
  }
  const plain = input.unit === undefined && input.target_value === undefined;
  const unit = plain ? 'percent' : input.unit;
  const start = input.start_value ?? 0;
  const target = plain ? 100 : input.target_value;
  let current = input.current_value;
  if (current === undefined && input.progress !== undefined && target !== undefined) {
    current =
      unit === 'binary' ? (input.progress >= 100 ? 1 : 0) : start + (input.progress / 100) * (target - start);
  }
  const metric = onField('target_value', () =>
    resolveMetric(
      { unit, direction: input.direction, start_value: start, target_value: target, current_value: current },
      null,
    ),
  );
  return { row, name: input.name, owner_user_id: ownerOf(l, input.owner_email, goal.owner_user_id), metric };
}

function toRowError(row: number, error: unknown): RowError {
  if (error instanceof RowFailure)
    return { row, field: error.field, error: error.code, message: error.message };
  throw error;
}

/**
 * Every row checked in upload order. A milestone's goal and a goal's parent_key must be rows above it, so
 * that when a goal fails, its milestones and children (all below it) fail with it.
 */
export function planUpload(l: BulkLookups, p: Principal, upload: BulkGoalUpload) {
  const goals: PlannedGoal[] = [];
  const keys = new Map<string, PlannedGoal>();
  const errors: RowError[] = [...upload.invalid];
  let lastGoal: PlannedGoal | undefined;
  for (const { row, input } of upload.rows) {
    try {
      if (input.key !== undefined && keys.has(input.key))
        fail('key', `The key "${input.key}" is used twice.`);
      if (input.type === 'goal') {
        const goal = planGoal(l, p, row, input, keys);
        goals.push(goal);
        lastGoal = goal;
        if (input.key !== undefined) keys.set(input.key, goal);
        continue;
      }
      const goal = input.goal_key !== undefined ? keys.get(input.goal_key) : lastGoal;
      if (!goal) {
        const which =
          input.goal_key !== undefined
            ? `no goal row above has the key "${input.goal_key}"`
            : 'no goal row above it';
        return fail('goal_key', `The milestone has no goal: ${which}.`);
      }
      if (goal.error) fail('goal_key', `Its goal row ${goal.row} failed.`);
      goal.milestones.push(planMilestone(l, row, input, goal));
    } catch (error) {
      const rowError = toRowError(row, error);
      errors.push(rowError);
      if (input.type === 'goal') {
        // Its milestones and children below still find it, and fail with it rather than attach elsewhere.
        const failed = {
          row,
          key: input.key,
          input,
          error: rowError,
          milestones: [],
        } as unknown as PlannedGoal;
        lastGoal = failed;
        if (input.key !== undefined && !keys.has(input.key)) keys.set(input.key, failed);
      }
    }
  }
  return { goals, errors: errors.sort((a, b) => a.row - b.row) };
}

/**
 * Creates up to 10,000 goals and milestones in one transaction. all_or_nothing writes nothing when any
 * row fails (422 bulk_rejected with every row error); partial writes the valid rows and lists the others.
 */
export async function bulkCreateGoals(
  db: Kysely<DB>,
  p: Principal,
  upload: BulkGoalUpload,
): Promise<BulkGoalResult> {
  return db.transaction().execute(async (trx) => {
    const lookups = await lookUp(
      trx,
      p,
      upload.rows.map((r) => r.input),
    );
    const plan = planUpload(lookups, p, upload);
    if (upload.mode === 'all_or_nothing' && plan.errors.length > 0) {
      const rows = new Set(plan.errors.map((e) => e.row)).size;
      throw new AppError(
        'bulk_rejected',
        `${rows} of the rows were rejected; nothing was written.`,
        plan.errors,
      );
    }
    const written = await writeUpload(trx, p, plan.goals);
    return {
      created_goals: written.length,
      created_milestones: plan.goals.reduce((n, g) => n + g.milestones.length, 0),
      failed: new Set(plan.errors.map((e) => e.row)).size,
      errors: plan.errors,
      goals: written,
    };
  });
}
