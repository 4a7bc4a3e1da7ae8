import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import { policy } from '../access/policy.js';
import type { Principal } from '../access/principal.js';
import { hrScopeUserIdsSql } from '../access/scope.js';
import { audienceSql, type Population } from '../directory/population.js';
import { forbidden } from '../errors.js';

/**
 * Who reaches what in calibration (docs/calibration.md): super admins everything; an hr_admin the talent
 * records of the people in their scope and the cycles whose whole population is; a facilitator the records
 * of their sessions; a manager their reports' records (proposed values, the final rating after close); a
 * person their own record only once a cycle that publishes to people is closed. Nobody but a super admin
 * calibrates their own record.
 */

/** As SQL on `r` (talent records): the caller calibrates this record (reads notes, writes calibrated values). */
export function calibratesSql(p: Principal) {
  if (policy.calibrateEverywhere(p)) return sql<boolean>`true`;
  // Uncorrelated, so PostgreSQL hashes the caller's sessions once instead of probing them for every record.
  const facilitates = sql<boolean>`r.session_id in (select f.session_id from calibration_session_facilitators f
    where f.org_id = ${p.orgId} and f.mode = ${p.mode} and f.user_id = ${p.userId})`;
  const inScope =
    p.role === 'hr_admin' ? sql<boolean>`r.user_id in (${hrScopeUserIdsSql(p)})` : sql<boolean>`false`;
  return sql<boolean>`(r.user_id <> ${p.userId} and (${facilitates} or ${inScope}))`;
}

/** As SQL on `r`: the caller sees this record at all. */
export function seesRecordSql(p: Principal) {
  // The cycle's part is asked of `r` too: a rule mixing `r` and `c` made PostgreSQL keep a looser copy on
  // `r` for the scan and the whole rule as a join filter, hashing the hr_admin's people twice a query.
  return sql<boolean>`(${calibratesSql(p)} or r.manager_id = ${p.userId}
    or (r.user_id = ${p.userId} and r.cycle_id in (select pc.id from calibration_cycles pc
      where pc.org_id = ${p.orgId} and pc.mode = ${p.mode} and pc.state = 'closed' and pc.publish_to_person)))`;
}

/**
 * As SQL on a record already known to be seen (`seesRecordSql` filtered it): whether the caller calibrates
 * it. A record seen that the caller neither manages nor is can only be seen as its calibrator, so the scope
 * test (a hash of an hr_admin's people, built on first use) runs only for their reports and themselves.
 */
export function calibratesSeenSql(p: Principal) {
  return sql<boolean>`((r.user_id <> ${p.userId} and r.manager_id is distinct from ${p.userId})
    or ${calibratesSql(p)})`;
}

/** As SQL on `c` (cycles): the caller sees the cycle (some of its records, or it is theirs to manage). */
export function seesCycleSql(p: Principal) {
  if (policy.calibrateEverywhere(p)) return sql<boolean>`true`;
  const own = p.role === 'hr_admin' ? sql<boolean>`c.created_by = ${p.userId}` : sql<boolean>`false`;
  return sql<boolean>`(${own} or exists (select 1 from calibration_talent_records r
    where r.org_id = c.org_id and r.mode = c.mode and r.cycle_id = c.id and ${seesRecordSql(p)})
    or exists (select 1 from calibration_sessions s join calibration_session_facilitators f
      on f.org_id = s.org_id and f.mode = s.mode and f.session_id = s.id
      where s.org_id = c.org_id and s.mode = c.mode and s.cycle_id = c.id and f.user_id = ${p.userId}))`;
}

/**
 * Who manages a cycle (its settings, states and sessions): super admins; an hr_admin only when every
 * active person of its population is in their scope, so a cycle never reaches past it.
 */
export async function assertManagesPopulation(db: Kysely<DB>, p: Principal, population: Population) {
  if (policy.calibrateEverywhere(p)) return;
  if (p.role !== 'hr_admin') throw forbidden('Only super admins and HR admins manage calibration.');
  const outside = await sql<{ n: string | number }>`select count(*) as n from users u
    where u.org_id = ${p.orgId} and u.mode = ${p.mode} and u.status = 'active'
      and ${audienceSql(p, population)} and u.id not in (${hrScopeUserIdsSql(p)})`.execute(db);
  const n = Number(outside.rows[0]?.n ?? 0);
  if (n > 0)
    throw forbidden(`${n} person(s) of this population are outside your HR scope; a super admin manages it.`);
}
