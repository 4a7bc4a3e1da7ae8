import { type Kysely, sql } from 'kysely';
import type { AssessorRole, DB } from '../../db/schema.js';
import { authorize, policy } from '../access/policy.js';
import type { Principal } from '../access/principal.js';
import { diff } from '../audit/service.js';
import { recordChange } from '../changes.js';
import { AppError, notFound } from '../errors.js';
import { type PageRequest, paginate } from '../paging.js';
import { inTenant } from '../tenant.js';
import { assessmentScale, describeScale, onScale } from './assessment-scale.js';
import { findVisibleGoal } from './references.js';
import type { GoalRow } from './repo.js';
import { reportsSql } from './visibility.js';

export interface AssessmentInput {
  score: number;
  comment?: string | null | undefined;
  /** Assess before the goal has ended or been closed: a mid-cycle review. */
  before_end?: boolean | undefined;
}

const assessmentColumns = [
  'id',
  'goal_id',
  'assessor_user_id',
  'assessor_role',
  'score',
  'scale_min',
  'scale_max',
  'comment',
  'before_end',
  'created_at',
  'updated_at',
] as const;

/**
 * In what capacity the principal may assess the goal, the closest tie first: its owner (a self-assessment),
 * a manager up the owner's chain, a lead of the owning team, an editor, an org admin. Null: they may not.
 */
async function assessorRole(db: Kysely<DB>, p: Principal, goal: GoalRow): Promise<AssessorRole | null> {
  if (goal.owner_user_id === p.userId) return 'self';
  const { rows } = await sql<{ manager: boolean; team_lead: boolean; editor: boolean }>`select
      coalesce(${goal.owner_user_id}::bigint in (${reportsSql(p)}), false) as manager,
      exists (select 1 from team_members where org_id = ${p.orgId} and mode = ${p.mode}
        and team_id = ${goal.owner_team_id}::bigint and user_id = ${p.userId}
        and team_role in ('owner', 'manager')) as team_lead,
      exists (select 1 from goal_contributors where org_id = ${p.orgId} and mode = ${p.mode}
        and goal_id = ${goal.id} and user_id = ${p.userId} and can_edit) as editor`.execute(db);
  const ties = rows[0];
  if (ties?.manager) return 'manager';
  if (ties?.team_lead) return 'team_lead';
  if (ties?.editor) return 'editor';
  return policy.writeAnyGoal(p) ? 'admin' : null;
}

/** "At period end": the goal's last day has come, or it is no longer open. */
function hasEnded(goal: GoalRow, now = new Date()) {
  return goal.status !== 'open' || goal.ends_on <= now.toISOString().slice(0, 10);
}

async function visibleGoal(db: Kysely<DB>, p: Principal, goalId: number) {
  const goal = await findVisibleGoal(db, p, goalId);
  if (!goal) throw notFound('goal');
  return goal;
}

function selectAssessments(db: Kysely<DB>, p: Principal) {
  return db.selectFrom('goal_assessments').select(assessmentColumns).where(inTenant(p));
}

/** Everyone who can see the goal sees its assessments, oldest first. */
export async function listAssessments(db: Kysely<DB>, p: Principal, goalId: number, page: PageRequest) {
  await visibleGoal(db, p, goalId);
  return paginate(selectAssessments(db, p).where('goal_id', '=', goalId), 'id', page);
}

async function assertScore(db: Kysely<DB>, p: Principal, score: number) {
  const scale = await assessmentScale(db, p);
  if (!onScale(scale, score)) {
    throw new AppError(
      'invalid_operation',
      `The score ${score} is not on the scale (${describeScale(scale)}).`,
    );
  }
  return scale;
}

function assertTiming(goal: GoalRow, beforeEnd: boolean | undefined) {
  if (hasEnded(goal) || beforeEnd === true) return;
  throw new AppError(
    'invalid_operation',
    `The goal runs until ${goal.ends_on}: assessments open at its end or once it is closed. ` +
      'Send "before_end": true for a mid-cycle assessment.',
  );
}

/** One assessment per assessor and goal (a second is a 409: change the first with PATCH). */
export async function assessGoal(db: Kysely<DB>, p: Principal, goalId: number, input: AssessmentInput) {
  return db.transaction().execute(async (trx) => {
    const goal = await visibleGoal(trx, p, goalId);
    const role = await assessorRole(trx, p, goal);
    authorize(role !== null, "The goal's owner, their managers, its editors and admins assess a goal.");
    assertTiming(goal, input.before_end);
    const scale = await assertScore(trx, p, input.score);
    const assessment = await trx
      .insertInto('goal_assessments')
      .values({
        org_id: p.orgId,
        mode: p.mode,
        goal_id: goalId,
        assessor_user_id: p.userId,
        assessor_role: role as AssessorRole,
        score: input.score,
        scale_min: scale.min,
        scale_max: scale.max,
        comment: input.comment ?? null,
        before_end: !hasEnded(goal),
      })
      .returning(assessmentColumns)
      .executeTakeFirstOrThrow();
    await recordChange(trx, p, 'assessment.created', assessment.id, {
      goal_id: goalId,
      assessor_role: role,
      score: input.score,
      comment: input.comment ?? null,
    });
    return assessment;
  });
}

/** The assessor changes their own score or comment; the score is checked against today's scale. */
export async function updateAssessment(
  db: Kysely<DB>,
  p: Principal,
  id: number,
  fields: { score?: number | undefined; comment?: string | null | undefined },
) {
  return db.transaction().execute(async (trx) => {
    const before = await selectAssessments(trx, p).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!before || !(await findVisibleGoal(trx, p, before.goal_id))) throw notFound('assessment');
    authorize(before.assessor_user_id === p.userId, 'Only the assessor can change an assessment.');
    const scale = fields.score === undefined ? null : await assertScore(trx, p, fields.score);
    const changes = diff(before, fields);
    const assessment = await trx
      .updateTable('goal_assessments')
      .set({
        ...(fields.score !== undefined && { score: fields.score }),
        ...(scale && { scale_min: scale.min, scale_max: scale.max }),
        ...(fields.comment !== undefined && { comment: fields.comment }),
        updated_at: new Date(),
      })
      .where(inTenant(p))
      .where('id', '=', id)
      .returning(assessmentColumns)
      .executeTakeFirstOrThrow();
    await recordChange(trx, p, 'assessment.updated', id, changes);
    return assessment;
  });
}
