import { type RawBuilder, sql, type Transaction } from 'kysely';
import type { DB, ProgressSource } from '../../db/schema.js';
import type { Tenant } from '../tenant.js';

/** Goals above this depth are not walked: alignment refuses cycles, so this only bounds a broken tree. */
export const MAX_DEPTH = 10_000;
/** Tries at locking a chain that moved under the walk; a re-alignment is rare, twice in a row rarer. */
const LOCK_ATTEMPTS = 3;

interface Link {
  id: number;
  parent_id: number | null;
  progress_source: ProgressSource;
}

/**
 * The locked rows form the goal's chain as it stands now: each the parent of the one before, every one
 * between the first and the last rolling up from its children, and the last the end of the walk. The
 * chain is read from the statement's snapshot and the rows returned as locked, so a goal re-aligned in
 * between shows here and the lock is taken again.
 */
function isWholeChain(goalId: number, rows: Link[]) {
  const last = rows[rows.length - 1];
  if (rows[0]?.id !== goalId || !last) return false;
  for (let i = 1; i < rows.length; i++) {
    if (rows[i]?.id !== rows[i - 1]?.parent_id) return false;
    if (i < rows.length - 1 && rows[i]?.progress_source !== 'children') return false;
  }
  return last.parent_id === null || (rows.length > 1 && last.progress_source !== 'children');
}

/**
 * Locks the goal and every ancestor its progress can reach (up to and including the first one that does
 * not roll up from its children) in one statement, child first: the order recomputing walks in, so
 * concurrent check-ins under one parent queue rather than overwrite each other or deadlock. The goal is
 * named, or found as a milestone's in the same statement. Returns the locked rows child first, each with
 * `columns` (of `g`) as they stand now: a locked row is read at its latest version, whatever the snapshot.
 */
export async function lockChain<Row extends object = object>(
  trx: Transaction<DB>,
  t: Tenant,
  root: { goalId: number } | { milestoneId: number },
  columns: RawBuilder<unknown> = sql``,
): Promise<(Link & Row)[]> {
  for (let attempt = 1; ; attempt++) {
    const { rows } = await chainLockStatement<Link & Row>(t, root, columns).execute(trx);
    const goalId = rows[0]?.id;
    // A chain that still looks broken after retries ends at a parent that is gone: the walk stops there too.
    if (goalId === undefined || attempt >= LOCK_ATTEMPTS || isWholeChain(goalId, rows)) return rows;
  }
}

/**
 * `chain`: the goal `start` and every ancestor its progress can reach, up to and including the first one that
 * does not roll up from its children, with their depth, as the statement's snapshot has them.
 */
export const chainCte = (t: Tenant, start: RawBuilder<unknown>) => sql`
    chain(id, parent_id, rolls_up, depth) as (
      select id, parent_id, true, 0 from goals
      where org_id = ${t.orgId} and mode = ${t.mode} and id = ${start} and deleted_at is null
      union all
      select g.id, g.parent_id, g.progress_source = 'children', c.depth + 1
      from chain c join goals g on g.org_id = ${t.orgId} and g.mode = ${t.mode} and g.id = c.parent_id
      where c.rolls_up and g.deleted_at is null and c.depth < ${MAX_DEPTH}
    )`;

/**
 * lockChain's statement: the goal (named, or found as a milestone's) and every ancestor its progress can
 * reach, locked child first, each with `columns` (of `g`) as locked.
 */
export function chainLockStatement<Row>(
  t: Tenant,
  root: { goalId: number } | { milestoneId: number },
  columns: RawBuilder<unknown> = sql``,
) {
  const start =
    'goalId' in root
      ? sql`${root.goalId}`
      : sql`(select goal_id from milestones where org_id = ${t.orgId} and mode = ${t.mode}
          and id = ${root.milestoneId} and deleted_at is null)`;
  return sql<Row>`
    with recursive ${chainCte(t, start)}
    select g.id, g.parent_id, g.progress_source${columns} from chain c
    join goals g on g.org_id = ${t.orgId} and g.mode = ${t.mode} and g.id = c.id
    where g.deleted_at is null
    order by c.depth
    for update of g`;
}

/** lockChain for a caller that needs only the goal's id: undefined when the goal is not live. */
export async function lockRollUp(
  trx: Transaction<DB>,
  t: Tenant,
  root: { goalId: number } | { milestoneId: number },
): Promise<number | undefined> {
  return (await lockChain(trx, t, root))[0]?.id;
}

/**
 * Locks every chain the check-ins on these milestones will walk, all at once, before the first of them: the
 * deepest goals first (by how many ancestors each has), then by id. Each check-in's own lock takes its chain
 * child first, an order this one agrees with, so two bulk uploads over overlapping chains, or an upload and
 * single check-ins, queue rather than deadlock. The check-ins then take locks they already hold.
 */
export async function lockChains(trx: Transaction<DB>, t: Tenant, milestoneIds: number[]) {
  if (milestoneIds.length === 0) return;
  const tenant = (alias: string) =>
    sql`${sql.ref(`${alias}.org_id`)} = ${t.orgId} and ${sql.ref(`${alias}.mode`)} = ${t.mode}`;
  await sql`
    with recursive chain(id, parent_id, rolls_up) as (
      select g.id, g.parent_id, true from goals g
      where ${tenant('g')} and g.deleted_at is null and g.id in (select m.goal_id from milestones m
        where ${tenant('m')} and m.id = any(${[...new Set(milestoneIds)]}::bigint[]) and m.deleted_at is null)
      union
      select g.id, g.parent_id, g.progress_source = 'children'
      from chain c join goals g on ${tenant('g')} and g.id = c.parent_id
      where c.rolls_up and g.deleted_at is null
    ),
    above(id, at, steps) as (
      select distinct id, parent_id, 0 from chain
      union all
      select a.id, g.parent_id, a.steps + 1 from above a join goals g on ${tenant('g')} and g.id = a.at
      where a.steps < ${MAX_DEPTH}
    )
    select g.id from goals g
    join (select id, max(steps) as depth from above group by id) d on ${tenant('g')} and g.id = d.id
    order by d.depth desc, g.id
    for update of g`.execute(trx);
}
