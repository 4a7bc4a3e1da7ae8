import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DB, DeploymentAudience } from '../../db/schema.js';
import { AppError } from '../errors.js';
import { inTenant, type Tenant } from '../tenant.js';

/**
 * A population of people, as an area stores it (conversation deployments, calibration cycles): everyone,
 * or the people of departments (sub-departments too), groups or a list. It is kept as asked, not as the
 * people of the day, so each read resolves it afresh.
 */
export type Audience = DeploymentAudience;
export interface Population {
  audience: Audience;
  ids: number[];
}

/** What a caller sends: the audience and exactly the list it takes. */
export interface PopulationInput {
  audience: Audience;
  department_ids?: number[] | undefined;
  group_ids?: number[] | undefined;
  user_ids?: number[] | undefined;
}

const AUDIENCE_FIELD = {
  departments: 'department_ids',
  groups: 'group_ids',
  people: 'user_ids',
} as const;
const TABLE_OF = { departments: 'departments', groups: 'groups', people: 'users' } as const;

/** The people of a population, as a predicate on `u` (users): sub-departments count with their parent. */
export function audienceSql(t: Tenant, population: Population): RawBuilder<boolean> {
  const ids = sql.join(population.ids.length > 0 ? population.ids : [0]);
  switch (population.audience) {
    case 'everyone':
      // Everyone means the people: a service account is in a population only when named (docs/service-accounts.md).
      return sql<boolean>`u.kind = 'person'`;
    case 'people':
      return sql<boolean>`u.id in (${ids})`;
    case 'groups':
      return sql<boolean>`u.id in (select gm.user_id from group_members gm
        where gm.org_id = ${t.orgId} and gm.mode = ${t.mode} and gm.group_id in (${ids}))`;
    case 'departments':
      return sql<boolean>`u.department_id in (
        with recursive sub(id) as (
          select id from departments where org_id = ${t.orgId} and mode = ${t.mode} and id in (${ids})
          union
          select d.id from departments d join sub on d.parent_id = sub.id
          where d.org_id = ${t.orgId} and d.mode = ${t.mode}
        )
        select id from sub)`;
  }
}

/** The ids among `ids` that name no row of the table in the tenant. */
export async function missingIds(
  db: Kysely<DB>,
  t: Tenant,
  table: 'departments' | 'groups' | 'users',
  ids: number[],
): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom(table).select('id').where(inTenant(t)).where('id', 'in', ids).execute();
  const found = new Set(rows.map((r) => Number(r.id)));
  return ids.filter((id) => !found.has(id));
}

/**
 * The population's ids: exactly the list its audience takes, each naming a row of the organisation.
 * `noun` names the thing in refusals ("deployment", "cycle"); each refusal is a 422.
 */
export async function resolvePopulation(
  db: Kysely<DB>,
  t: Tenant,
  input: PopulationInput,
  noun: string,
): Promise<Population> {
  const lists = Object.entries(AUDIENCE_FIELD).filter(([, field]) => input[field] !== undefined);
  if (input.audience === 'everyone') {
    if (lists.length > 0)
      throw new AppError('invalid_operation', `An everyone ${noun} takes no ${lists[0]?.[1]}.`);
    return { audience: 'everyone', ids: [] };
  }
  const field = AUDIENCE_FIELD[input.audience];
  const other = lists.find(([, f]) => f !== field);
  if (other)
    throw new AppError('invalid_operation', `A ${input.audience} ${noun} takes ${field}, not ${other[1]}.`);
  const ids = [...new Set(input[field] ?? [])];
  if (ids.length === 0)
    throw new AppError(
      'invalid_operation',
      `A ${input.audience} ${noun} needs ${field}: the population is empty.`,
    );
  const missing = await missingIds(db, t, TABLE_OF[input.audience], ids);
  if (missing.length > 0)
    throw new AppError(
      'invalid_operation',
      `${field}: ${missing.join(', ')} ${missing.length > 1 ? 'do' : 'does'} not exist.`,
    );
  return { audience: input.audience, ids };
}
