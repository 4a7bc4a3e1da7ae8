import type { GoalType, GoalVisibility } from '../../db/schema.js';
import { policy } from '../access/policy.js';
import type { Principal } from '../access/principal.js';

/**
 * The rules a new goal must meet, decided once for the one-goal path (service.ts, shape.ts, visibility.ts)
 * and the bulk upload (bulk.ts). Each is pure: the caller looks the facts up, its own way (one query per
 * goal, or one per upload), and words a refusal for its own answer (a thrown AppError, a row error).
 */

export interface Owner {
  owner_user_id: number | null;
  owner_team_id: number | null;
  owner_department_id: number | null;
}

/** Why the principal may not give a goal of `type` to `owner`; null when they may. */
export type OwnerRefusal = 'org_goal' | 'not_theirs';

/**
 * Yourself, your reports (any manager up the chain) and teams you lead; company and department-owned goals
 * are for org admins. `manages`: the owner reports to the principal or is a team they lead (looked up).
 */
export function ownerRefusal(
  p: Principal,
  owner: Owner,
  type: GoalType,
  manages: boolean,
): OwnerRefusal | null {
  if (policy.writeAnyGoal(p)) return null;
  if ((type === 'company' || owner.owner_department_id !== null) && !policy.ownOrgGoals(p)) return 'org_goal';
  if (owner.owner_user_id === p.userId || manages) return null;
  return 'not_theirs';
}

const fits = (type: GoalType, o: Owner) =>
  type === 'company' ||
  (type === 'personal' && o.owner_user_id !== null) ||
  (type === 'team' && o.owner_team_id !== null) ||
  (type === 'department' && o.owner_department_id !== null);

const defaultType = (o: Owner): GoalType =>
  o.owner_team_id !== null ? 'team' : o.owner_department_id !== null ? 'department' : 'personal';

/**
 * The goal's type: as given, else the earlier one while it still fits the owner, else the owner's kind.
 * `fits` is false when the owner cannot hold it: a personal goal is a user's, a team goal a team's, a
 * department goal a department's; a company goal anyone's.
 */
export function goalType(given: GoalType | undefined, owner: Owner, before: GoalType | null) {
  const type = given ?? (before !== null && fits(before, owner) ? before : defaultType(owner));
  return { type, fits: fits(type, owner) };
}

/** The owner kind a type needs, for the refusal's wording. */
export const ownerKindFor = (type: GoalType) => (type === 'personal' ? 'user' : type);

export interface Span {
  starts_on: string;
  ends_on: string;
}

export type DatesProblem = 'missing' | 'reversed' | 'outside_period';

/**
 * The goal's dates: each as given, else from `fallback` (the period, or the goal's dates before). Both are
 * needed, the start not after the end, and within the goal's period when it has one.
 */
export function goalDates(
  given: { starts_on?: string | undefined; ends_on?: string | undefined },
  fallback: Span | null,
  period: Span | null,
): Span | DatesProblem {
  const starts_on = given.starts_on ?? fallback?.starts_on;
  const ends_on = given.ends_on ?? fallback?.ends_on;
  if (!starts_on || !ends_on) return 'missing';
  if (starts_on > ends_on) return 'reversed';
  if (period && (starts_on < period.starts_on || ends_on > period.ends_on)) return 'outside_period';
  return { starts_on, ends_on };
}

/** A goal is public unless the write (or the goal before it) says otherwise. */
export const goalVisibility = (given: GoalVisibility | undefined, before: GoalVisibility | null) =>
  given ?? before ?? 'public';
