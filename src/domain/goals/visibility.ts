import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DB, GoalType } from '../../db/schema.js';
import { authorize, policy } from '../access/policy.js';
import type { Principal } from '../access/principal.js';
import { hrScopeUserIdsSql } from '../access/scope.js';
import { type Owner, type OwnerRefusal, ownerRefusal } from './rules.js';

/**
 * Who may see and change a goal: the goals part of the policy layer, called by the services. Reads are
 * a SQL predicate so that lists filter in the database; writes are checked per goal.
 */

/** Everyone who reports to the principal, directly or further down the chain. */
export function reportsSql(p: Principal) {
  return sql<number>`
    with recursive reports(id) as (
      select id from users where org_id = ${p.orgId} and mode = ${p.mode} and manager_id = ${p.userId}
      union
      select u.id from users u join reports r on u.manager_id = r.id
      where u.org_id = ${p.orgId} and u.mode = ${p.mode}
    )
    select id from reports`;
}

/**
 * The goals row (named `goals`) is visible to the principal: public; or they own it, contribute to it,
 * manage its owner, belong to its owning team or department, or to one of the teams it is limited to;
 * hr_admins also see every goal of the people in their scope. Null when the principal sees everything.
 */
export function visibleGoalSql(p: Principal): RawBuilder<boolean> | null {
  // The reports go through an array, computed once: PostgreSQL guesses a recursive query at millions of
  // rows, too many to hash, and rescanned it for every private goal (20 s to count 300,000 goals).
  if (policy.readAllGoals(p)) return null;
  const me = p.userId;
  const sameGoal = sql`x.org_id = goals.org_id and x.mode = goals.mode and x.goal_id = goals.id`;
  const inScope = p.role === 'hr_admin' ? sql`or goals.owner_user_id in (${hrScopeUserIdsSql(p)})` : sql``;
  return sql<boolean>`(goals.visibility = 'public'
    or goals.owner_user_id = ${me}
    or exists (select 1 from goal_contributors x where ${sameGoal} and x.user_id = ${me})
    or goals.owner_user_id in (select unnest(array(${reportsSql(p)})))
    or exists (select 1 from team_members tm where tm.org_id = goals.org_id and tm.mode = goals.mode
      and tm.team_id = goals.owner_team_id and tm.user_id = ${me})
    or goals.owner_department_id = (select u.department_id from users u
      where u.org_id = ${p.orgId} and u.mode = ${p.mode} and u.id = ${me})
    or (goals.visibility = 'teams' and exists (select 1 from goal_teams x join team_members tm
      on tm.org_id = x.org_id and tm.mode = x.mode and tm.team_id = x.team_id
      where ${sameGoal} and tm.user_id = ${me}))
    ${inScope})`;
}

export interface GoalOwnership {
  id: number;
  owner_user_id: number | null;
  owner_team_id: number | null;
}

/** Writers: org admins, the owner, editors, the owner's managers up the chain, the owning team's leads. */
export async function canWriteGoal(db: Kysely<DB>, p: Principal, goal: GoalOwnership): Promise<boolean> {
  if (policy.writeAnyGoal(p)) return true;
  if (goal.owner_user_id === p.userId) return true;
  const result = await sql<{ allowed: boolean }>`select coalesce(
      exists (select 1 from goal_contributors where org_id = ${p.orgId} and mode = ${p.mode}
        and goal_id = ${goal.id} and user_id = ${p.userId} and can_edit)
      or ${goal.owner_user_id}::bigint in (${reportsSql(p)})
      or exists (select 1 from team_members where org_id = ${p.orgId} and mode = ${p.mode}
        and team_id = ${goal.owner_team_id}::bigint and user_id = ${p.userId} and team_role in ('owner', 'manager')),
      false) as allowed`.execute(db);
  return result.rows[0]?.allowed === true;
}

export async function assertCanWriteGoal(db: Kysely<DB>, p: Principal, goal: GoalOwnership) {
  authorize(await canWriteGoal(db, p, goal), 'You cannot change this goal.');
}

const OWNER_REFUSED: Record<OwnerRefusal, string> = {
  org_goal: 'Only admins set company and department goals.',
  not_theirs: 'You can set goals for yourself, your reports and teams you lead.',
};

/** The owner rule (rules.ts); whether the principal manages the owner is asked only when it decides. */
export async function assertCanAssignOwner(db: Kysely<DB>, p: Principal, owner: Owner, type: GoalType) {
  const refusal = ownerRefusal(p, owner, type, false);
  if (refusal === null) return;
  const probe = { id: 0, owner_user_id: owner.owner_user_id, owner_team_id: owner.owner_team_id };
  const manages = refusal === 'not_theirs' && (await canWriteGoal(db, p, probe));
  authorize(manages, OWNER_REFUSED[refusal]);
}

/** A milestone's own owner may update it and check in on it, besides everyone who may change the goal. */
export async function assertCanWriteMilestone(
  db: Kysely<DB>,
  p: Principal,
  goal: GoalOwnership,
  milestone: { owner_user_id: number },
) {
  if (milestone.owner_user_id === p.userId) return;
  await assertCanWriteGoal(db, p, goal);
}
