import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import { policy } from '../access/policy.js';
import type { Principal } from '../access/principal.js';
import { inTenant } from '../tenant.js';
import type { BulkGoalInput } from './bulk-types.js';
import { selectGoals } from './repo.js';
import { reportsSql, visibleGoalSql } from './visibility.js';

/** Everything the rows refer to, fetched once for the whole upload: a few queries, not a few per row. */
export interface BulkLookups {
  usersByEmail: Map<string, { id: number; status: string }>;
  /** The caller's reports down the chain (empty for admins, who may assign any owner). */
  reports: Set<number>;
  periodsByName: Map<string, { id: number; starts_on: string; ends_on: string }>;
  /** Existing goals named by parent_id that the caller can see. */
  visibleParents: Set<number>;
}

const distinct = <T>(values: (T | undefined)[]) => [
  ...new Set(values.filter((v): v is T => v !== undefined)),
];

export async function lookUp(db: Kysely<DB>, p: Principal, rows: BulkGoalInput[]): Promise<BulkLookups> {
  const owners = rows.flatMap((r) => [r.owner_email, ...(r.milestones ?? []).map((m) => m.owner_email)]);
  const emails = distinct(owners.map((email) => email?.toLowerCase()));
  const periods = distinct(rows.map((r) => r.period?.toLowerCase()));
  const parents = distinct(rows.map((r) => r.parent_id));
  // One after another: inside a transaction they share one connection anyway.
  const users =
    emails.length === 0
      ? []
      : await db
          .selectFrom('users')
          .select(['id', 'email', 'status'])
          .where(inTenant(p))
          .where(sql`lower(email)`, 'in', emails)
          .execute();
  const reports = policy.writeAnyGoal(p)
    ? { rows: [] }
    : await sql<{ id: number }>`${reportsSql(p)}`.execute(db);
  const periodRows =
    periods.length === 0
      ? []
      : await db
          .selectFrom('periods')
          .select(['id', 'name', 'starts_on', 'ends_on'])
          .where(inTenant(p))
          .where(sql`lower(name)`, 'in', periods)
          .execute();
  const parentRows = parents.length === 0 ? [] : await visibleGoalIds(db, p, parents);
  return {
    usersByEmail: new Map(users.map((u) => [u.email.toLowerCase(), { id: u.id, status: u.status }])),
    reports: new Set(reports.rows.map((r) => Number(r.id))),
    periodsByName: new Map(periodRows.map((r) => [r.name.toLowerCase(), r])),
    visibleParents: new Set(parentRows),
  };
}

async function visibleGoalIds(db: Kysely<DB>, p: Principal, ids: number[]) {
  let q = selectGoals(db, p).where('goals.id', 'in', ids);
  const visible = visibleGoalSql(p);
  if (visible) q = q.where(visible);
  return (await q.execute()).map((g) => g.id);
}
