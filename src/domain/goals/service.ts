import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB, GoalStatus, GoalType } from '../../db/schema.js';
import type { Principal } from '../access/principal.js';
import { diff } from '../audit/service.js';
import { recordChange } from '../changes.js';
import { notFound } from '../errors.js';
import { type PageRequest, paginate } from '../paging.js';
import { inTenant } from '../tenant.js';
import { insertMilestone } from './milestones.js';
import { assertExist, assertValidParent, findVisibleGoal, writableGoal } from './references.js';
import * as repo from './repo.js';
import { recomputeProgress } from './rollup.js';
import { goalVisibility } from './rules.js';
import {
  cleanContributors,
  cleanLabels,
  resolveDates,
  resolveOwner,
  resolveTeams,
  resolveType,
} from './shape.js';
import type { GoalFields, NewGoal } from './types.js';
import { goalViews } from './views.js';
import { assertCanAssignOwner, visibleGoalSql } from './visibility.js';

export interface GoalFilters {
  owner_id?: number | undefined;
  team_id?: number | undefined;
  department_id?: number | undefined;
  period_id?: number | undefined;
  parent_id?: number | undefined;
  status?: GoalStatus | undefined;
  goal_type?: GoalType | undefined;
  updated_since?: string | undefined;
  q?: string | undefined;
}

/** Goals the principal may see, filtered in SQL, with their milestones. */
export async function listGoals(db: Kysely<DB>, p: Principal, f: GoalFilters, page: PageRequest) {
  let q = repo.selectGoals(db, p);
  const visible = visibleGoalSql(p);
  if (visible) q = q.where(visible);
  if (f.owner_id !== undefined) q = q.where('goals.owner_user_id', '=', f.owner_id);
  if (f.team_id !== undefined) q = q.where('goals.owner_team_id', '=', f.team_id);
  if (f.department_id !== undefined) q = q.where('goals.owner_department_id', '=', f.department_id);
  if (f.period_id !== undefined) q = q.where('goals.period_id', '=', f.period_id);
  if (f.parent_id !== undefined) q = q.where('goals.parent_id', '=', f.parent_id);
  if (f.status) q = q.where('goals.status', '=', f.status);
  if (f.goal_type) q = q.where('goals.goal_type', '=', f.goal_type);
  if (f.updated_since) q = q.where('goals.updated_at', '>=', f.updated_since);
  if (f.q) {
    const needle = f.q.toLowerCase();
    q = q.where(
      sql<boolean>`strpos(lower(goals.name || ' ' || coalesce(goals.description, '')), ${needle}) > 0`,
    );
  }
  const found = await paginate(q, 'goals.id', page);
  return { ...found, rows: await goalViews(db, p, found.rows) };
}

async function loadGoal(db: Kysely<DB>, p: Principal, id: number) {
  const row = await findVisibleGoal(db, p, id);
  if (!row) throw notFound('goal');
  const [view] = await goalViews(db, p, [row]);
  return view as NonNullable<typeof view>;
}

export const getGoal = (db: Kysely<DB>, p: Principal, id: number) => loadGoal(db, p, id);

type Comparable = Required<Omit<GoalFields, 'contributors'>> & {
  contributors: { user_id: number; can_edit: boolean }[];
};

const comparable = (g: repo.GoalRow): Comparable => ({
  name: g.name,
  description: g.description,
  goal_type: g.goal_type,
  owner_user_id: g.owner_user_id,
  owner_team_id: g.owner_team_id,
  owner_department_id: g.owner_department_id,
  period_id: g.period_id,
  starts_on: g.starts_on,
  ends_on: g.ends_on,
  visibility: g.visibility,
  team_ids: g.team_ids,
  status: g.status,
  parent_id: g.parent_id,
  progress_source: g.progress_source,
  contributors: g.contributors,
  categories: g.categories,
  tags: g.tags,
  custom_fields: g.custom_fields,
});

/** The goal's every field after applying `fields` over `before` (null at creation), each rule checked. */
async function resolveGoal(
  trx: Transaction<DB>,
  p: Principal,
  fields: GoalFields,
  before: Comparable | null,
) {
  const owner = resolveOwner(fields, before, p);
  const goal_type = resolveType(fields.goal_type, owner, before?.goal_type ?? null);
  const ownerChanged = !before || JSON.stringify(resolveOwner({}, before, p)) !== JSON.stringify(owner);
  if (ownerChanged || goal_type !== before?.goal_type) await assertCanAssignOwner(trx, p, owner, goal_type);
  const visibility = goalVisibility(fields.visibility, before?.visibility ?? null);
  const next: Comparable = {
    name: fields.name ?? before?.name ?? '',
    description: fields.description !== undefined ? fields.description : (before?.description ?? null),
    status: fields.status ?? before?.status ?? 'open',
    progress_source: fields.progress_source ?? before?.progress_source ?? 'milestones',
    parent_id: fields.parent_id !== undefined ? fields.parent_id : (before?.parent_id ?? null),
    custom_fields: fields.custom_fields ?? before?.custom_fields ?? {},
    contributors: fields.contributors ? cleanContributors(fields.contributors) : (before?.contributors ?? []),
    categories: fields.categories ? cleanLabels(fields.categories) : (before?.categories ?? []),
    tags: fields.tags ? cleanLabels(fields.tags) : (before?.tags ?? []),
    ...owner,
    goal_type,
    ...(await resolveDates(trx, p, fields, before)),
    visibility,
    team_ids: resolveTeams(visibility, fields.team_ids, before?.team_ids ?? []),
  };
  await assertExist(trx, p, 'users', [owner.owner_user_id, ...next.contributors.map((c) => c.user_id)]);
  await assertExist(trx, p, 'teams', [owner.owner_team_id, ...next.team_ids]);
  await assertExist(trx, p, 'departments', [owner.owner_department_id]);
  return next;
}

const LISTS = ['contributors', 'team_ids', 'categories', 'tags'] as const;

async function writeLists(
  trx: Transaction<DB>,
  p: Principal,
  id: number,
  next: Comparable,
  changed: string[],
) {
  if (changed.includes('contributors')) await repo.replaceContributors(trx, p, id, next.contributors);
  if (changed.includes('team_ids')) await repo.replaceGoalTeams(trx, p, id, next.team_ids);
  if (changed.includes('categories'))
    await repo.replaceLabels(trx, 'goal_categories', p, id, next.categories);
  if (changed.includes('tags')) await repo.replaceLabels(trx, 'goal_tags', p, id, next.tags);
}

const columnsOf = <T extends Partial<Comparable>>(next: T) => {
  const { contributors: _c, team_ids: _t, categories: _g, tags: _x, custom_fields, ...columns } = next;
  return { ...columns, ...(custom_fields !== undefined && { custom_fields: JSON.stringify(custom_fields) }) };
};

/** Creates a goal (and any inline milestones) inside a caller's transaction; bulk upload will share it. */
export async function insertGoal(trx: Transaction<DB>, p: Principal, input: NewGoal) {
  const next = await resolveGoal(trx, p, input, null);
  if (next.parent_id !== null) await assertValidParent(trx, p, null, next.parent_id);
  const { id } = await trx
    .insertInto('goals')
    .values({ ...columnsOf(next), org_id: p.orgId, mode: p.mode, created_by: p.userId, updated_by: p.userId })
    .returning('id')
    .executeTakeFirstOrThrow();
  await writeLists(
    trx,
    p,
    id,
    next,
    LISTS.filter((list) => next[list].length > 0),
  );
  const { milestones = [], ...fields } = input;
  await recordChange(trx, p, 'goal.created', id, { ...fields });
  for (const m of milestones) await insertMilestone(trx, p, { id, ...next }, m);
  await recomputeProgress(trx, p, id);
  if (next.parent_id !== null) await recomputeProgress(trx, p, next.parent_id);
  return id;
}

export async function createGoal(db: Kysely<DB>, p: Principal, input: NewGoal) {
  return db.transaction().execute(async (trx) => loadGoal(trx, p, await insertGoal(trx, p, input)));
}

export async function updateGoal(db: Kysely<DB>, p: Principal, id: number, fields: GoalFields) {
  return db.transaction().execute(async (trx) => {
    const before = await writableGoal(trx, p, id);
    const next = await resolveGoal(trx, p, fields, comparable(before));
    const changes = diff(comparable(before), next);
    const changed = Object.keys(changes);
    if (changed.length === 0) return loadGoal(trx, p, id);
    if (changes.parent_id && next.parent_id !== null) await assertValidParent(trx, p, id, next.parent_id);
    const columns = columnsOf(Object.fromEntries(changed.map((k) => [k, next[k as keyof Comparable]])));
    await trx
      .updateTable('goals')
      .set({ ...columns, updated_at: new Date(), updated_by: p.userId })
      .where(inTenant(p))
      .where('id', '=', id)
      .execute();
    await writeLists(trx, p, id, next, changed);
    await recordChange(trx, p, 'goal.updated', id, changes);
    if (changes.progress_source) await recomputeProgress(trx, p, id);
    if (changes.parent_id) {
      for (const parent of [before.parent_id, next.parent_id]) {
        if (parent !== null) await recomputeProgress(trx, p, parent);
      }
    }
    return loadGoal(trx, p, id);
  });
}

/** Soft delete: the goal and its milestones leave every list; its children become top-level goals. */
export async function deleteGoal(db: Kysely<DB>, p: Principal, id: number) {
  await db.transaction().execute(async (trx) => {
    const before = await writableGoal(trx, p, id);
    const now = new Date();
    const tenant = (table: 'goals' | 'milestones') =>
      trx.updateTable(table).where(inTenant(p)).where('deleted_at', 'is', null);
    await tenant('goals')
      .set({ deleted_at: now, updated_at: now, updated_by: p.userId })
      .where('id', '=', id)
      .execute();
    await tenant('milestones').set({ deleted_at: now, updated_at: now }).where('goal_id', '=', id).execute();
    const children = await tenant('goals')
      .set({ parent_id: null, updated_at: now, updated_by: p.userId })
      .where('parent_id', '=', id)
      .returning('id')
      .execute();
    await recordChange(trx, p, 'goal.deleted', id);
    for (const child of children) {
      const changes = { parent_id: { from: id, to: null } };
      await recordChange(trx, p, 'goal.updated', child.id, changes);
    }
    if (before.parent_id !== null) await recomputeProgress(trx, p, before.parent_id);
  });
}

/**
 * For other areas (a recognition's related goal): the names of those of `ids` the principal may see, by
 * the goals' own visibility rule. A goal missing from the map is one the principal must not learn of.
 */
export async function visibleGoalNames(db: Kysely<DB>, p: Principal, ids: number[]) {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return new Map<number, string>();
  let q = repo.selectGoals(db, p).where('goals.id', 'in', wanted);
  const visible = visibleGoalSql(p);
  if (visible) q = q.where(visible);
  const rows = await q.execute();
  return new Map(rows.map((g) => [g.id, g.name]));
}
