import type { Kysely } from 'kysely';
import type { DB, GoalType, GoalVisibility } from '../../db/schema.js';
import type { Principal } from '../access/principal.js';
import { AppError } from '../errors.js';
import { periodById } from '../periods/service.js';
import { type DatesProblem, goalDates, goalType, type Owner, ownerKindFor, type Span } from './rules.js';
import type { ContributorInput, GoalFields } from './types.js';

/** Turning a write's fields into a goal's columns: one owner, a type that fits it, dates, clean lists. */

const invalid = (description: string) => new AppError('invalid_operation', description);

/** The owner a write names (exactly one of user, team, department); unchanged, or the caller at creation. */
export function resolveOwner(fields: GoalFields, before: Owner | null, p: Principal): Owner {
  const named = [fields.owner_user_id, fields.owner_team_id, fields.owner_department_id].filter(
    (id) => id !== undefined && id !== null,
  );
  if (named.length > 1) {
    throw invalid(
      'A goal has exactly one owner: send one of owner_user_id, owner_team_id, owner_department_id.',
    );
  }
  if (named.length === 1) {
    return {
      owner_user_id: fields.owner_user_id ?? null,
      owner_team_id: fields.owner_team_id ?? null,
      owner_department_id: fields.owner_department_id ?? null,
    };
  }
  if (!before) return { owner_user_id: p.userId, owner_team_id: null, owner_department_id: null };
  const { owner_user_id, owner_team_id, owner_department_id } = before;
  return { owner_user_id, owner_team_id, owner_department_id };
}

/** A personal goal is a user's, a team goal a team's, a department goal a department's; company: any. */
export function resolveType(given: GoalType | undefined, owner: Owner, before: GoalType | null): GoalType {
  const { type, fits } = goalType(given, owner, before);
  if (!fits) throw invalid(`A ${type} goal needs a ${ownerKindFor(type)} owner.`);
  return type;
}

interface Dates extends Span {
  period_id: number | null;
}

const datesError: Record<DatesProblem, (period: Span | undefined) => AppError> = {
  missing: () => new AppError('missing_required_parameters', 'Send period_id, or starts_on and ends_on.'),
  reversed: () => invalid('starts_on must not be after ends_on.'),
  outside_period: (period) =>
    invalid(`The goal's dates must lie within its period (${period?.starts_on} to ${period?.ends_on}).`),
};

/** A period fills the dates (explicit dates must lie within it); without a period both dates are needed. */
export async function resolveDates(
  db: Kysely<DB>,
  p: Principal,
  fields: GoalFields,
  before: Dates | null,
): Promise<Dates> {
  const periodId = fields.period_id !== undefined ? fields.period_id : (before?.period_id ?? null);
  const periodChanged = before === null || (fields.period_id !== undefined && periodId !== before.period_id);
  const period = periodId === null ? undefined : await periodById(db, p, periodId);
  if (periodId !== null && !period) throw invalid(`Period ${periodId} does not exist.`);
  const fallback = period && periodChanged ? period : before;
  const dates = goalDates(fields, fallback, period ?? null);
  if (typeof dates === 'string') throw datesError[dates](period);
  return { period_id: periodId, ...dates };
}

/** Trimmed, without case-insensitive repeats, sorted as the database returns them. */
export function cleanLabels(names: string[]): string[] {
  const seen = new Map<string, string>();
  for (const raw of names) {
    const name = raw.trim();
    if (name && !seen.has(name.toLowerCase())) seen.set(name.toLowerCase(), name);
  }
  return [...seen.values()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export function cleanContributors(list: ContributorInput[]) {
  const byUser = new Map<number, boolean>();
  for (const c of list) byUser.set(c.user_id, c.can_edit ?? false);
  return [...byUser.entries()]
    .sort(([a], [b]) => a - b)
    .map(([user_id, can_edit]) => ({ user_id, can_edit }));
}

/** Only a goal limited to teams names teams, and it names at least one. */
export function resolveTeams(visibility: GoalVisibility, given: number[] | undefined, before: number[]) {
  if (visibility !== 'teams') {
    if (given && given.length > 0) throw invalid('team_ids apply to goals with visibility "teams" only.');
    return [];
  }
  const teams = [...new Set(given ?? before)].sort((a, b) => a - b);
  if (teams.length === 0)
    throw invalid('A goal with visibility "teams" needs at least one team in team_ids.');
  return teams;
}
