import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Principal } from '../access/principal.js';
import { audienceSql, type Population } from '../directory/population.js';
import { inTenant, type Tenant } from '../tenant.js';
import { seesCycleSql } from './access.js';

export function selectCycles(db: Kysely<DB>, p: Principal) {
  return db
    .selectFrom('calibration_cycles as c')
    .select([
      'c.id',
      'c.name',
      'c.period_id',
      'c.state',
      'c.performance_levels',
      'c.potential_levels',
      'c.target_distribution',
      'c.talent_fields',
      'c.publish_to_person',
      'c.audience',
      'c.audience_ids',
      'c.created_by',
      sql<number>`(select count(*) from calibration_talent_records r where r.org_id = c.org_id
        and r.mode = c.mode and r.cycle_id = c.id)`.as('record_count'),
      'c.created_at',
      'c.updated_at',
      'c.opened_at',
      'c.locked_at',
      'c.closed_at',
    ])
    .where(inTenant(p, 'c'))
    .where(seesCycleSql(p));
}

export type CycleRow = NonNullable<Awaited<ReturnType<ReturnType<typeof selectCycles>['executeTakeFirst']>>>;

export const findCycle = (db: Kysely<DB>, p: Principal, id: number) =>
  selectCycles(db, p).where('c.id', '=', id).executeTakeFirst();

/** A cycle's scales, target and fields, whoever asks: for a read that decides the caller's reach itself. */
export const findCycleSettings = (db: Kysely<DB>, t: Tenant, id: number) =>
  db
    .selectFrom('calibration_cycles')
    .select(['state', 'performance_levels', 'potential_levels', 'target_distribution', 'talent_fields'])
    .where(inTenant(t))
    .where('id', '=', id)
    .executeTakeFirst();

/** The cycle row itself, locked for a command, whoever asks (the caller's reach is checked before). */
export const lockCycle = (db: Kysely<DB>, t: Tenant, id: number) =>
  db
    .selectFrom('calibration_cycles')
    .selectAll()
    .where(inTenant(t))
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();

/**
 * One talent record for every active person of the population, with their active manager of the day:
 * one INSERT … SELECT, so that a 10,000-person cycle opens in one statement. Returns how many were made.
 */
export async function insertTalentRecords(
  db: Kysely<DB>,
  t: Tenant,
  cycleId: number,
  population: Population,
): Promise<number> {
  const result = await sql<{ n: string | number }>`with made as (
    insert into calibration_talent_records (org_id, mode, cycle_id, user_id, manager_id)
    select u.org_id, u.mode, ${cycleId}, u.id, m.id
    from users u
    left join users m on m.org_id = u.org_id and m.mode = u.mode and m.id = u.manager_id and m.status = 'active'
    where u.org_id = ${t.orgId} and u.mode = ${t.mode} and u.status = 'active'
      and ${audienceSql(t, population)}
    order by u.id
    on conflict (org_id, mode, cycle_id, user_id) do nothing
    returning 1)
  select count(*) as n from made`.execute(db);
  return Number(result.rows[0]?.n ?? 0);
}
