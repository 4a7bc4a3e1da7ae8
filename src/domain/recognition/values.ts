import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { gates, pass } from '../access/policy.js';
import type { Principal } from '../access/principal.js';
import { diff } from '../audit/service.js';
import { recordChange } from '../changes.js';
import { notFound, type UniqueConstraints } from '../errors.js';
import { type PageRequest, paginate } from '../paging.js';
import { inTenant, type Tenant } from '../tenant.js';
import { inTransaction } from '../transactions.js';

/** A company value's name is unique among the organisation's current values, ignoring case (migration 0008). */
export const uniqueConstraints: UniqueConstraints = {
  company_values_name: 'A company value with this name already exists.',
};

export interface CompanyValueFields {
  name?: string;
  description?: string | null;
}
export interface NewCompanyValue extends CompanyValueFields {
  name: string;
}

const columns = ['id', 'name', 'description', 'created_at', 'updated_at'] as const;

const currentValues = (db: Kysely<DB>, t: Tenant) =>
  db.selectFrom('company_values').select(columns).where(inTenant(t)).where('deleted_at', 'is', null);

/** Everyone reads the list: a giver picks a value from it. */
export function listCompanyValues(db: Kysely<DB>, p: Principal, page: PageRequest) {
  return paginate(currentValues(db, p), 'id', page);
}

/** A current (not deleted) company value, or undefined. */
export const findCompanyValue = (db: Kysely<DB>, t: Tenant, id: number) =>
  currentValues(db, t).where('id', '=', id).executeTakeFirst();

export async function getCompanyValue(db: Kysely<DB>, p: Principal, id: number) {
  const value = await findCompanyValue(db, p, id);
  if (!value) throw notFound('company value');
  return value;
}

export async function createCompanyValue(db: Kysely<DB>, p: Principal, input: NewCompanyValue) {
  pass(p, gates.manageCompanyValues);
  return inTransaction(db, async (trx) => {
    const value = await trx
      .insertInto('company_values')
      .values({ org_id: p.orgId, mode: p.mode, name: input.name, description: input.description ?? null })
      .returning(columns)
      .executeTakeFirstOrThrow();
    await recordChange(trx, p, 'company_value.created', value.id, { ...input });
    return value;
  });
}

export async function updateCompanyValue(
  db: Kysely<DB>,
  p: Principal,
  id: number,
  fields: CompanyValueFields,
) {
  pass(p, gates.manageCompanyValues);
  return inTransaction(db, async (trx) => {
    const before = await currentValues(trx, p).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!before) throw notFound('company value');
    const changes = diff(before as unknown as Record<string, unknown>, fields as Record<string, unknown>);
    if (Object.keys(changes).length === 0) return before;
    const value = await trx
      .updateTable('company_values')
      .set({ ...fields, updated_at: new Date() })
      .where(inTenant(p))
      .where('id', '=', id)
      .returning(columns)
      .executeTakeFirstOrThrow();
    await recordChange(trx, p, 'company_value.updated', id, changes);
    return value;
  });
}

/** Soft delete: the value leaves the list and cannot be chosen again; recognitions that name it keep it. */
export async function deleteCompanyValue(db: Kysely<DB>, p: Principal, id: number) {
  pass(p, gates.manageCompanyValues);
  await inTransaction(db, async (trx) => {
    const before = await currentValues(trx, p).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!before) throw notFound('company value');
    await trx
      .updateTable('company_values')
      .set({ deleted_at: new Date() })
      .where(inTenant(p))
      .where('id', '=', id)
      .execute();
    await recordChange(trx, p, 'company_value.deleted', id, { name: before.name });
  });
}
