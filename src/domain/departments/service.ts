import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { gates, pass } from '../access/policy.js';
import type { Principal } from '../access/principal.js';
import { diff } from '../audit/service.js';
import { recordChange } from '../changes.js';
import { dropHrScopes, nameContains } from '../directory/members.js';
import { AppError, notFound, type UniqueConstraints } from '../errors.js';
import { type PageRequest, paginate } from '../paging.js';
import { inTenant } from '../tenant.js';
import {
  type DepartmentRow,
  departmentChain,
  findDepartment,
  lockTree,
  ownedGoalCount,
  selectDepartments,
} from './repo.js';

/** A department's name is unique among its siblings (migration 0001). */
export const uniqueConstraints: UniqueConstraints = {
  departments_name: 'A department with this name already exists under the same parent.',
};

export interface DepartmentFields {
  name?: string;
  parent_id?: number | null;
}

export interface NewDepartment extends DepartmentFields {
  name: string;
}

export interface DepartmentFilters {
  parent_id?: number | undefined;
  /** Only departments at the top of the tree. */
  top_level?: boolean | undefined;
  q?: string | undefined;
}

const invalid = (description: string) => new AppError('invalid_operation', description);

export function listDepartments(db: Kysely<DB>, p: Principal, f: DepartmentFilters, page: PageRequest) {
  pass(p, gates.readDepartments);
  let q = selectDepartments(db, p);
  if (f.parent_id !== undefined) q = q.where('parent_id', '=', f.parent_id);
  if (f.top_level === true) q = q.where('parent_id', 'is', null);
  if (f.top_level === false) q = q.where('parent_id', 'is not', null);
  if (f.q) q = q.where(nameContains('name', f.q));
  return paginate(q, 'id', page);
}

export async function getDepartment(db: Kysely<DB>, p: Principal, id: number) {
  pass(p, gates.readDepartments);
  const department = await findDepartment(db, p, id);
  if (!department) throw notFound('department');
  return department;
}

/** The parent must exist in the tenant and, for a move, must not be the department or one below it. */
async function checkParent(trx: Transaction<DB>, p: Principal, parentId: number, selfId: number | null) {
  await lockTree(trx, p);
  if (!(await findDepartment(trx, p, parentId))) throw invalid(`Department ${parentId} does not exist.`);
  if (selfId !== null && (await departmentChain(trx, p, parentId)).includes(selfId)) {
    throw invalid('A department cannot be moved under itself or one of its sub-departments.');
  }
}

export async function createDepartment(db: Kysely<DB>, p: Principal, input: NewDepartment) {
  pass(p, gates.manageDepartments);
  return db.transaction().execute(async (trx) => {
    if (input.parent_id != null) await checkParent(trx, p, input.parent_id, null);
    const { id } = await trx
      .insertInto('departments')
      .values({ org_id: p.orgId, mode: p.mode, name: input.name, parent_id: input.parent_id ?? null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordChange(trx, p, 'department.created', id, { ...input });
    return (await findDepartment(trx, p, id)) as DepartmentRow;
  });
}

/** Renames and/or moves a department; its people and sub-departments move with it. */
export async function updateDepartment(db: Kysely<DB>, p: Principal, id: number, fields: DepartmentFields) {
  pass(p, gates.manageDepartments);
  return db.transaction().execute(async (trx) => {
    const before = await findDepartment(trx, p, id);
    if (!before) throw notFound('department');
    if (fields.parent_id != null) await checkParent(trx, p, fields.parent_id, id);
    const changes = diff(before as unknown as Record<string, unknown>, fields as Record<string, unknown>);
    if (Object.keys(changes).length === 0) return before;
    await trx
      .updateTable('departments')
      .set({ ...fields, updated_at: new Date() })
      .where(inTenant(p))
      .where('id', '=', id)
      .execute();
    const moved = 'parent_id' in changes;
    await recordChange(trx, p, moved ? 'department.moved' : 'department.updated', id, changes);
    return (await findDepartment(trx, p, id)) as DepartmentRow;
  });
}

/** Only an empty leaf goes: no people, no sub-departments, no goals it owns. */
async function assertDeletable(trx: Transaction<DB>, p: Principal, d: DepartmentRow) {
  if (d.member_count > 0) {
    throw invalid(
      `The department still has ${d.member_count} people; move them to another department first.`,
    );
  }
  if (d.child_count > 0) {
    throw invalid(`The department still has ${d.child_count} sub-departments; move or delete them first.`);
  }
  const goals = await ownedGoalCount(trx, p, d.id);
  if (goals > 0) throw invalid(`The department owns ${goals} goals (deleted ones included).`);
}

export async function deleteDepartment(db: Kysely<DB>, p: Principal, id: number) {
  pass(p, gates.manageDepartments);
  await db.transaction().execute(async (trx) => {
    await lockTree(trx, p);
    const before = await findDepartment(trx, p, id);
    if (!before) throw notFound('department');
    await assertDeletable(trx, p, before);
    const scopesDropped = await dropHrScopes(trx, p, 'department', id);
    await trx.deleteFrom('departments').where(inTenant(p)).where('id', '=', id).execute();
    await recordChange(trx, p, 'department.deleted', id, {
      name: before.name,
      parent_id: before.parent_id,
      ...(scopesDropped > 0 && { hr_admin_scopes_dropped: scopesDropped }),
    });
  });
}
