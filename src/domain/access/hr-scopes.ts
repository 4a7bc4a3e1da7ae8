import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { recordChange } from '../changes.js';
import { AppError, notFound } from '../errors.js';
import { inTenant } from '../tenant.js';
import { findUserByRef } from '../users/repo.js';
import { gates, pass } from './policy.js';
import type { Principal } from './principal.js';

type ScopeType = 'department' | 'group';

export interface HrScope {
  user_id: number;
  department_ids: number[];
  group_ids: number[];
  /** Whether the scope applies now: only while the person's role (on their live account) is hr_admin. */
  in_effect: boolean;
}

export interface HrScopeInput {
  department_ids: number[];
  group_ids: number[];
}

const TABLE: Record<ScopeType, 'departments' | 'groups'> = { department: 'departments', group: 'groups' };
const NOUN: Record<ScopeType, string> = { department: 'Department', group: 'Group' };

/** The user the scope belongs to, in the caller's tenant; with `lock`, held for the rest of the transaction. */
async function findUser(db: Kysely<DB>, p: Principal, ref: string | number, lock = false) {
  const user = await findUserByRef(db, p.orgId, p.mode, ref);
  if (!user) throw notFound('user');
  if (lock) {
    await db
      .selectFrom('users')
      .select('id')
      .where(inTenant(p))
      .where('id', '=', user.id)
      .forUpdate()
      .execute();
  }
  return user.id;
}

async function readScope(db: Kysely<DB>, p: Principal, userId: number): Promise<HrScope> {
  const rows = await db
    .selectFrom('hr_admin_scopes')
    .select(['scope_type', 'scope_id'])
    .where(inTenant(p))
    .where('user_id', '=', userId)
    .orderBy('scope_id')
    .execute();
  // Keys act with their live account's role (docs/decisions.md), whatever the mode.
  const live = await db
    .selectFrom('users')
    .select('role')
    .where('org_id', '=', p.orgId)
    .where('mode', '=', 'live')
    .where('id', '=', userId)
    .executeTakeFirst();
  const idsOf = (type: ScopeType) => rows.filter((r) => r.scope_type === type).map((r) => Number(r.scope_id));
  return {
    user_id: userId,
    department_ids: idsOf('department'),
    group_ids: idsOf('group'),
    in_effect: live?.role === 'hr_admin',
  };
}

/** Refuses ids that name no department or group of the caller's organisation and mode. */
async function assertScopeTargetsExist(db: Kysely<DB>, p: Principal, type: ScopeType, ids: number[]) {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return;
  const rows = await db
    .selectFrom(TABLE[type])
    .select('id')
    .where(inTenant(p))
    .where('id', 'in', wanted)
    .execute();
  const found = new Set(rows.map((r) => Number(r.id)));
  const missing = wanted.find((id) => !found.has(id));
  if (missing !== undefined)
    throw new AppError('invalid_operation', `${NOUN[type]} ${missing} does not exist.`);
}

export async function getHrScope(db: Kysely<DB>, p: Principal, ref: string | number): Promise<HrScope> {
  pass(p, gates.manageHrScopes);
  return readScope(db, p, await findUser(db, p, ref));
}

/** Makes one kind of scope exactly `wanted`; returns what was added and removed, for the audit row. */
async function replaceKind(
  trx: Transaction<DB>,
  p: Principal,
  userId: number,
  type: ScopeType,
  current: number[],
  wanted: number[],
) {
  const keep = new Set(wanted);
  const had = new Set(current);
  const added = [...keep].filter((id) => !had.has(id));
  const removed = current.filter((id) => !keep.has(id));
  if (removed.length > 0) {
    await trx
      .deleteFrom('hr_admin_scopes')
      .where(inTenant(p))
      .where('user_id', '=', userId)
      .where('scope_type', '=', type)
      .where('scope_id', 'in', removed)
      .execute();
  }
  if (added.length > 0) {
    await trx
      .insertInto('hr_admin_scopes')
      .values(
        added.map((id) => ({
          org_id: p.orgId,
          mode: p.mode,
          user_id: userId,
          scope_type: type,
          scope_id: id,
        })),
      )
      .execute();
  }
  return { added, removed };
}

/**
 * Replaces the departments and groups a person covers as hr_admin. Any user may hold a scope; it only
 * takes effect while their role is hr_admin, so a role change back and forth keeps it.
 */
export async function replaceHrScope(
  db: Kysely<DB>,
  p: Principal,
  ref: string | number,
  input: HrScopeInput,
): Promise<HrScope> {
  pass(p, gates.manageHrScopes);
  return db.transaction().execute(async (trx) => {
    // The user row lock serialises two replacements of the same scope.
    const userId = await findUser(trx, p, ref, true);
    await assertScopeTargetsExist(trx, p, 'department', input.department_ids);
    await assertScopeTargetsExist(trx, p, 'group', input.group_ids);
    const before = await readScope(trx, p, userId);
    const departments = await replaceKind(
      trx,
      p,
      userId,
      'department',
      before.department_ids,
      input.department_ids,
    );
    const groups = await replaceKind(trx, p, userId, 'group', before.group_ids, input.group_ids);
    const changed = [departments, groups].some((c) => c.added.length > 0 || c.removed.length > 0);
    if (changed) {
      await recordChange(trx, p, 'user.hr_scope_replaced', userId, { departments, groups });
    }
    return readScope(trx, p, userId);
  });
}
