import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB, PeriodStatus } from '../../db/schema.js';
import { authorize, gates, pass, policy } from '../access/policy.js';
import type { Principal } from '../access/principal.js';
import { diff } from '../audit/service.js';
import { recordChange } from '../changes.js';
import { AppError, notFound } from '../errors.js';
import { type PageRequest, paginate } from '../paging.js';
import { inTenant, type Tenant } from '../tenant.js';
import {
  childSpan,
  closedPeriodsOn,
  findPeriod,
  type PeriodRow,
  periodAncestorIds,
  selectPeriods,
} from './repo.js';

export interface PeriodFields {
  name?: string;
  starts_on?: string;
  ends_on?: string;
  parent_id?: number | null;
  status?: PeriodStatus;
}

export interface NewPeriod extends PeriodFields {
  name: string;
  starts_on: string;
  ends_on: string;
}

export interface PeriodFilters {
  status?: PeriodStatus | undefined;
  parent_id?: number | undefined;
  /** Periods that contain this day. */
  on?: string | undefined;
  q?: string | undefined;
}

const invalid = (description: string) => new AppError('invalid_operation', description);

export function listPeriods(db: Kysely<DB>, p: Principal, f: PeriodFilters, page: PageRequest) {
  authorize(policy.readPeriods(p));
  let q = selectPeriods(db, p);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.parent_id !== undefined) q = q.where('parent_id', '=', f.parent_id);
  if (f.on) q = q.where('starts_on', '<=', f.on).where('ends_on', '>=', f.on);
  if (f.q) q = q.where(sql<boolean>`strpos(lower(name), ${f.q.toLowerCase()}) > 0`);
  return paginate(q, 'id', page);
}

export async function getPeriod(db: Kysely<DB>, p: Principal, id: number) {
  authorize(policy.readPeriods(p));
  const period = await findPeriod(db, p, id);
  if (!period) throw notFound('period');
  return period;
}

/** For other domains: a period by id (undefined when the tenant has none), and closed periods on a day. */
export const periodById = (db: Kysely<DB>, t: Tenant, id: number) => findPeriod(db, t, id);
export const closedPeriodsContaining = (db: Kysely<DB>, t: Tenant, periodId: number, day: string) =>
  closedPeriodsOn(db, t, periodId, day);

async function assertUniqueName(db: Kysely<DB>, p: Principal, name: string, selfId: number | null) {
  const taken = await selectPeriods(db, p)
    .where(sql`lower(name)`, '=', name.toLowerCase())
    .executeTakeFirst();
  if (taken && taken.id !== selfId)
    throw new AppError('duplicate_resource', `A period named "${name}" already exists.`);
}

/** Dates in order; a parent that exists, contains the period and is not below it; sub-periods still inside. */
async function checkPeriod(db: Kysely<DB>, p: Principal, after: NewPeriod, selfId: number | null) {
  if (after.starts_on > after.ends_on) throw invalid('starts_on must not be after ends_on.');
  if (after.parent_id != null) {
    const parent = await findPeriod(db, p, after.parent_id);
    if (!parent) throw invalid(`Period ${after.parent_id} does not exist.`);
    if (after.starts_on < parent.starts_on || after.ends_on > parent.ends_on) {
      throw invalid(`The period must lie within its parent (${parent.starts_on} to ${parent.ends_on}).`);
    }
    if (selfId !== null && (await periodAncestorIds(db, p, parent.id)).includes(selfId)) {
      throw invalid('A period cannot be nested under itself or one of its sub-periods.');
    }
  }
  if (selfId === null) return;
  const span = await childSpan(db, p, selfId);
  if (
    (span.starts_on && span.starts_on < after.starts_on) ||
    (span.ends_on && span.ends_on > after.ends_on)
  ) {
    throw invalid('The period must keep covering its sub-periods.');
  }
}

/** Creates a period inside a caller's transaction; the demo seed shares it. */
export async function insertPeriod(trx: Transaction<DB>, p: Principal, input: NewPeriod) {
  pass(p, gates.managePeriods);
  await assertUniqueName(trx, p, input.name, null);
  await checkPeriod(trx, p, input, null);
  const { id } = await trx
    .insertInto('periods')
    .values({
      ...input,
      org_id: p.orgId,
      mode: p.mode,
      ...(input.status === 'closed' && { closed_at: new Date() }),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordChange(trx, p, 'period.created', id, { ...input });
  return (await findPeriod(trx, p, id)) as PeriodRow;
}

export async function createPeriod(db: Kysely<DB>, p: Principal, input: NewPeriod) {
  return db.transaction().execute((trx) => insertPeriod(trx, p, input));
}

/** Goals that took their dates from the period follow a change of its dates; other goals keep theirs. */
async function moveGoalDates(trx: Transaction<DB>, p: Principal, before: PeriodRow, after: NewPeriod) {
  if (before.starts_on === after.starts_on && before.ends_on === after.ends_on) return 0;
  const result = await trx
    .updateTable('goals')
    .set({ starts_on: after.starts_on, ends_on: after.ends_on, updated_at: new Date(), updated_by: p.userId })
    .where(inTenant(p))
    .where('period_id', '=', before.id)
    .where('starts_on', '=', before.starts_on)
    .where('ends_on', '=', before.ends_on)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Updates a period; closing it (status: closed) stops check-ins into it unless a caller says otherwise. */
export async function updatePeriod(db: Kysely<DB>, p: Principal, id: number, fields: PeriodFields) {
  pass(p, gates.managePeriods);
  return db.transaction().execute(async (trx) => {
    const before = await findPeriod(trx, p, id);
    if (!before) throw notFound('period');
    const after: NewPeriod = { ...before, ...fields };
    if (fields.name !== undefined) await assertUniqueName(trx, p, fields.name, id);
    await checkPeriod(trx, p, after, id);
    const changes = diff(before as unknown as Record<string, unknown>, fields as Record<string, unknown>);
    if (Object.keys(changes).length === 0) return before;
    const closing = fields.status !== undefined && fields.status !== before.status;
    await trx
      .updateTable('periods')
      .set({
        ...fields,
        updated_at: new Date(),
        ...(closing && { closed_at: fields.status === 'closed' ? new Date() : null }),
      })
      .where(inTenant(p))
      .where('id', '=', id)
      .execute();
    const goalsMoved = await moveGoalDates(trx, p, before, after);
    await recordChange(
      trx,
      p,
      closing && fields.status === 'closed' ? 'period.closed' : 'period.updated',
      id,
      { ...changes, ...(goalsMoved > 0 && { goals_moved: goalsMoved }) },
    );
    return (await findPeriod(trx, p, id)) as PeriodRow;
  });
}
