import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Principal } from '../access/principal.js';
import { calibratesSeenSql, seesRecordSql } from './access.js';

/**
 * The SQL of the bias views (docs/calibration.md): one GROUP BY over the cycle's records the caller sees.
 * Each record is `counted` only where the caller may read, record by record, both the value asked for and
 * the group it falls in; the others are grouped apart, so that their values and groups never reach the sums.
 */

export type Rating = 'performance' | 'potential';
export type Stage = 'proposed' | 'calibrated' | 'final';
export type Grouping =
  | { kind: 'department' }
  | { kind: 'manager' }
  | { kind: 'location' }
  | { kind: 'custom'; key: string }
  | { kind: 'user'; key: string };

export interface Scope {
  cycleId: number;
  sessionId?: number | undefined;
}

/** A stage's value of one rating, as SQL on the scanned record `x`. */
function valueSql(rating: Rating, stage: Stage) {
  const proposed = sql.ref(`x.proposed_${rating}`);
  const calibrated = sql.ref(`x.calibrated_${rating}`);
  if (stage === 'proposed') return sql<string | null>`${proposed}`;
  if (stage === 'calibrated') return sql<string | null>`${calibrated}`;
  return sql<string | null>`coalesce(${calibrated}, ${proposed})`;
}

/**
 * Whether the caller reads this stage of a record they see (the record view's rule, docs/calibration.md):
 * calibrators every stage; the manager the proposed values, and the final rating once the cycle is closed;
 * the person (a published, closed cycle) the final rating only.
 */
function readsSql(p: Principal, stage: Stage, closed: boolean) {
  if (stage === 'calibrated') return sql<boolean>`x.calibrates`;
  if (stage === 'proposed') return sql<boolean>`(x.calibrates or x.manager_id = ${p.userId})`;
  return closed ? sql<boolean>`true` : sql<boolean>`x.calibrates`;
}

/** The group's key and label, as SQL on the record `r`, its person `u`, department `d` and manager `m`. */
function groupSql(by: Grouping) {
  switch (by.kind) {
    case 'department':
      return { key: sql<string | null>`u.department_id::text`, label: sql<string | null>`d.name` };
    case 'manager':
      return {
        key: sql<string | null>`r.manager_id::text`,
        label: sql<string | null>`m.first_name || ' ' || m.last_name`,
      };
    case 'location':
      return { key: sql<string | null>`u.location`, label: sql<string | null>`u.location` };
    case 'custom':
      return { key: sql<string | null>`r.custom_fields ->> ${by.key}`, label: sql<string | null>`null` };
    case 'user':
      return { key: sql<string | null>`u.custom_fields ->> ${by.key}`, label: sql<string | null>`null` };
  }
}

/**
 * The records of the scope the caller sees, with what the views group and count by, as a subquery `x`.
 * Whether the caller calibrates each is a column, computed in this one scan; `offset 0` keeps PostgreSQL
 * from folding the subquery into the outer query, which would copy that test (and its hash of an hr_admin's
 * people) into each expression that reads it.
 */
function recordsSql(p: Principal, scope: Scope, by: Grouping) {
  const session = scope.sessionId === undefined ? sql`` : sql`and r.session_id = ${scope.sessionId}`;
  // Only the grouping's names are joined, and only its key is carried out of the scan.
  const department =
    by.kind === 'department'
      ? sql`left join departments d on d.org_id = u.org_id and d.mode = u.mode and d.id = u.department_id`
      : sql``;
  const manager =
    by.kind === 'manager'
      ? sql`left join users m on m.org_id = r.org_id and m.mode = r.mode and m.id = r.manager_id`
      : sql``;
  const group = groupSql(by);
  return sql`(select ${calibratesSeenSql(p)} as calibrates, r.manager_id,
      r.proposed_performance, r.proposed_potential, r.calibrated_performance, r.calibrated_potential,
      ${group.key} as group_key, ${group.label} as group_label
    from calibration_talent_records r
    join users u on u.org_id = r.org_id and u.mode = r.mode and u.id = r.user_id
    ${department} ${manager}
    where r.org_id = ${p.orgId} and r.mode = ${p.mode} and r.cycle_id = ${scope.cycleId} ${session}
      and ${seesRecordSql(p)}
    offset 0) x`;
}

export interface DistributionRow {
  counted: boolean;
  key: string | null;
  label: string | null;
  level: string | null;
  n: number | string;
}

export async function selectDistribution(
  db: Kysely<DB>,
  p: Principal,
  scope: Scope,
  query: { by: Grouping; rating: Rating; stage: Stage; closed: boolean },
) {
  const reads = readsSql(p, query.stage, query.closed);
  // A custom talent field's values are the calibrators' to read (the record view's `custom_fields`).
  const counted = query.by.kind === 'custom' ? sql<boolean>`(${reads} and x.calibrates)` : reads;
  const { rows } = await sql<DistributionRow>`select ${counted} as counted,
      case when ${counted} then x.group_key end as key,
      case when ${counted} then x.group_label end as label,
      case when ${counted} then ${valueSql(query.rating, query.stage)} end as level,
      count(*) as n
    from ${recordsSql(p, scope, query.by)}
    group by 1, 2, 3, 4`.execute(db);
  return rows;
}

/** -1, 0 or 1: where the calibrated value sits against the proposed one on the scale; null if either is missing. */
function directionSql(rating: Rating, levels: string[]) {
  const index = (column: string) =>
    sql`case ${sql.ref(column)} ${sql.join(
      levels.map((l, i) => sql`when ${l} then ${sql.lit(i)}`),
      sql` `,
    )} end`;
  return sql<number | null>`sign(${index(`x.calibrated_${rating}`)} - ${index(`x.proposed_${rating}`)})`;
}

export interface MovementRow {
  manager_id: number | null;
  label: string | null;
  counted: boolean;
  n: number | string;
  [count: string]: unknown;
}

const movementCounts = (rating: Rating) =>
  sql.raw(`
  count(*) filter (where ${rating}_moved > 0) as ${rating}_up,
  count(*) filter (where ${rating}_moved < 0) as ${rating}_down,
  count(*) filter (where ${rating}_moved = 0) as ${rating}_same,
  count(*) filter (where ${rating}_calibrated and not ${rating}_proposed) as ${rating}_unproposed,
  count(*) filter (where not ${rating}_calibrated) as ${rating}_not_calibrated`);

/**
 * Proposed → calibrated, per manager, in one GROUP BY. Both values are read by calibrators only, so a
 * record counts only where the caller calibrates it.
 */
export async function selectMovement(
  db: Kysely<DB>,
  p: Principal,
  scope: Scope,
  scales: Record<Rating, string[]>,
) {
  const { rows } = await sql<MovementRow>`select counted, manager_id, label, count(*) as n,
      ${movementCounts('performance')}, ${movementCounts('potential')}
    from (select x.calibrates as counted,
        case when x.calibrates then x.manager_id end as manager_id,
        case when x.calibrates then x.group_label end as label,
        ${directionSql('performance', scales.performance)} as performance_moved,
        x.proposed_performance is not null as performance_proposed,
        x.calibrated_performance is not null as performance_calibrated,
        ${directionSql('potential', scales.potential)} as potential_moved,
        x.proposed_potential is not null as potential_proposed,
        x.calibrated_potential is not null as potential_calibrated
      from ${recordsSql(p, scope, { kind: 'manager' })}) y
    group by counted, manager_id, label`.execute(db);
  return rows;
}
