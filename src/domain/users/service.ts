import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB, UserKind } from '../../db/schema.js';
import { authorize, gates, NEW_USER_ACCESS, pass, policy } from '../access/policy.js';
import type { Principal } from '../access/principal.js';
import { assertCanNameManagers, assertCanWriteUser } from '../access/scope.js';
import { diff } from '../audit/service.js';
import { recordChange } from '../changes.js';
import { AppError, notFound } from '../errors.js';
import { type PageRequest, paginate } from '../paging.js';
import { signsIn } from '../service-accounts/rules.js';
import { inTenant } from '../tenant.js';
import { checkUserReferences } from './references.js';
import * as repo from './repo.js';
import type { NewUser, UserFields } from './types.js';

export interface UserFilters {
  status?: 'active' | 'deactivated' | undefined;
  role?: string | undefined;
  department_id?: number | undefined;
  manager_id?: number | undefined;
  email?: string | undefined;
  employee_id?: string | undefined;
  q?: string | undefined;
  updated_since?: string | undefined;
  /** People unless asked: service accounts are not people (docs/service-accounts.md). */
  kind?: UserKind | 'all' | undefined;
}

export function listUsers(db: Kysely<DB>, p: Principal, f: UserFilters, page: PageRequest) {
  authorize(policy.readDirectory(p));
  let q = repo.selectUsers(db, p.orgId, p.mode);
  const kind = f.kind ?? 'person';
  if (kind !== 'all') q = q.where('users.kind', '=', kind);
  if (f.status) q = q.where('users.status', '=', f.status);
  if (f.role) q = q.where('users.role', '=', f.role as 'member');
  if (f.department_id !== undefined) q = q.where('users.department_id', '=', f.department_id);
  if (f.manager_id !== undefined) q = q.where('users.manager_id', '=', f.manager_id);
  if (f.email) q = q.where(sql`lower(users.email)`, '=', f.email.toLowerCase());
  if (f.employee_id) q = q.where('users.employee_id', '=', f.employee_id);
  if (f.updated_since) q = q.where('users.updated_at', '>=', f.updated_since);
  if (f.q) {
    const like = `%${f.q.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`;
    q = q.where(
      sql<boolean>`lower(users.first_name || ' ' || users.last_name || ' ' || users.email) like ${like}`,
    );
  }
  return paginate(q, 'users.id', page);
}

export async function getUser(db: Kysely<DB>, p: Principal, ref: string | number) {
  authorize(policy.readDirectory(p));
  const user = await repo.findUserByRef(db, p.orgId, p.mode, ref);
  if (!user) throw notFound('user');
  return user;
}

/**
 * Who the key acts as: a test key acts as the holder's copy in the sandbox, and as the live account when
 * the copy is missing (the sandbox not reset since they joined); with the key's mode and organisation, and
 * the role and data-admin grant in force.
 */
export async function whoAmI(db: Kysely<DB>, p: Principal) {
  const user =
    (await repo.findUserByRef(db, p.orgId, p.mode, p.userId)) ??
    (await repo.findUserByRef(db, p.orgId, 'live', p.userId));
  if (!user) throw notFound('user');
  // Role and grant are read from the live account (docs/decisions.md): show those in force, not the copy's.
  const inForce = { ...user, role: p.role, data_admin: p.dataAdmin };
  return { user: inForce, mode: p.mode, apiKeyId: p.apiKeyId, orgId: p.orgId };
}

/** A person's fields (email, names, manager, department) mean nothing for a service account. */
const SERVICE_ACCOUNT_FIELDS = 'This is a service account: change its name and role as a service account.';

const ONLY_SUPER_ADMINS_GRANT = 'Only super admins change roles and the data-admin grant.';

/** The managers a user has, or a write names: the line manager and the dotted-line ones. */
const managersOf = (f: { manager_id?: number | null; dotted_line_manager_ids?: number[] }) => [
  ...(f.manager_id != null ? [f.manager_id] : []),
  ...(f.dotted_line_manager_ids ?? []),
];

/** The columns of a write: everything but the dotted-line list, which lives in its own table. */
function columnsOf(fields: UserFields) {
  const { dotted_line_manager_ids: _dotted, custom_fields, ...columns } = fields;
  return { ...columns, ...(custom_fields !== undefined && { custom_fields: JSON.stringify(custom_fields) }) };
}

/** Creates a user inside a caller's transaction; bulk upload and the single create share it. */
export async function insertUser(trx: Transaction<DB>, p: Principal, input: NewUser) {
  await assertCanWriteUser(trx, p, null, p.role === 'hr_admin' ? (input.department_id ?? null) : undefined);
  const change = { role: input.role, dataAdmin: input.data_admin };
  authorize(policy.grantRole(p, change, NEW_USER_ACCESS), ONLY_SUPER_ADMINS_GRANT);
  await checkUserReferences(trx, p, input, null);
  await assertCanNameManagers(trx, p, managersOf(input));
  const { id } = await trx
    .insertInto('users')
    .values({
      ...columnsOf(input),
      email: input.email,
      first_name: input.first_name,
      last_name: input.last_name,
      org_id: p.orgId,
      mode: p.mode,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (input.dotted_line_manager_ids) {
    await repo.replaceDottedManagers(
      trx,
      { orgId: p.orgId, mode: p.mode, userId: id },
      input.dotted_line_manager_ids,
    );
  }
  await recordChange(trx, p, 'user.created', id, { ...input });
  return id;
}

/**
 * The organisation (in this mode) keeps an active super admin: nobody else can manage keys or grant roles.
 * Every active super admin's row is locked, in id order: of two super admins demoting each other at once,
 * the second waits, then finds the first demoted and is refused (no deadlock, and never none left).
 */
export async function assertAnotherSuperAdmin(trx: Transaction<DB>, p: Principal, userId: number) {
  const superAdmins = await trx
    .selectFrom('users')
    .select('id')
    .where(inTenant(p))
    .where('role', '=', 'super_admin')
    .where('status', '=', 'active')
    .orderBy('id')
    .forUpdate()
    .execute();
  if (!superAdmins.some((u) => u.id !== userId)) {
    throw new AppError(
      'invalid_operation',
      'This is the last active super admin: make someone else super admin first.',
    );
  }
}

/** Applies a change to an existing user inside a caller's transaction. */
export async function applyUserChanges(
  trx: Transaction<DB>,
  p: Principal,
  before: repo.UserRow,
  fields: UserFields,
) {
  await assertCanWriteUser(trx, p, before, p.role === 'hr_admin' ? fields.department_id : undefined);
  if (!signsIn(before)) throw new AppError('invalid_operation', SERVICE_ACCOUNT_FIELDS);
  const change = { role: fields.role, dataAdmin: fields.data_admin };
  const current = { role: before.role, dataAdmin: before.data_admin };
  authorize(policy.grantRole(p, change, current), ONLY_SUPER_ADMINS_GRANT);
  if (before.role === 'super_admin' && (fields.role ?? 'super_admin') !== 'super_admin') {
    await assertAnotherSuperAdmin(trx, p, before.id);
  }
  await checkUserReferences(trx, p, fields, before.id);
  const managers = new Set(managersOf(before));
  await assertCanNameManagers(
    trx,
    p,
    managersOf(fields).filter((id) => !managers.has(id)),
  );
  const changes = diff(before as unknown as Record<string, unknown>, fields as Record<string, unknown>);
  if (Object.keys(changes).length === 0) return;
  const columns = columnsOf(fields);
  if (Object.keys(columns).length > 0) {
    await trx
      .updateTable('users')
      .set({ ...columns, updated_at: new Date() })
      .where(inTenant(p))
      .where('id', '=', before.id)
      .execute();
  }
  if (fields.dotted_line_manager_ids) {
    const key = { orgId: p.orgId, mode: p.mode, userId: before.id };
    await repo.replaceDottedManagers(trx, key, fields.dotted_line_manager_ids);
  }
  await recordChange(trx, p, 'user.updated', before.id, changes);
}

export async function createUser(db: Kysely<DB>, p: Principal, input: NewUser) {
  pass(p, gates.writeUsers);
  return db.transaction().execute(async (trx) => {
    const id = await insertUser(trx, p, input);
    return (await repo.findUserByRef(trx, p.orgId, p.mode, id)) as repo.UserRow;
  });
}

export async function updateUser(db: Kysely<DB>, p: Principal, ref: string | number, fields: UserFields) {
  pass(p, gates.writeUsers);
  return db.transaction().execute(async (trx) => {
    const before = await repo.findUserByRef(trx, p.orgId, p.mode, ref);
    if (!before) throw notFound('user');
    await applyUserChanges(trx, p, before, fields);
    return (await repo.findUserByRef(trx, p.orgId, p.mode, before.id)) as repo.UserRow;
  });
}

/** Deactivation keeps every record of the user; their API keys stop working until reactivation. */
export async function setUserStatus(
  db: Kysely<DB>,
  p: Principal,
  ref: string | number,
  status: 'active' | 'deactivated',
) {
  pass(p, gates.writeUsers);
  return db.transaction().execute(async (trx) => {
    const before = await repo.findUserByRef(trx, p.orgId, p.mode, ref);
    if (!before) throw notFound('user');
    await applyUserStatus(trx, p, before, status);
    return (await repo.findUserByRef(trx, p.orgId, p.mode, before.id)) as repo.UserRow;
  });
}

/** Sets a user's status inside a caller's transaction; bulk upload and the single command share it. */
export async function applyUserStatus(
  trx: Transaction<DB>,
  p: Principal,
  before: Pick<repo.UserRow, 'id' | 'department_id' | 'status' | 'role' | 'data_admin'>,
  status: 'active' | 'deactivated',
) {
  await assertCanWriteUser(trx, p, before);
  if (before.id === p.userId && status === 'deactivated') {
    throw new AppError('invalid_operation', 'You cannot deactivate yourself.');
  }
  authorize(
    policy.setStatusOf(p, { role: before.role, dataAdmin: before.data_admin }),
    'Only super admins deactivate or reactivate a super admin, and only admins an admin or a data admin.',
  );
  if (before.status === status) return;
  await trx
    .updateTable('users')
    .set({ status, deactivated_at: status === 'deactivated' ? new Date() : null, updated_at: new Date() })
    .where(inTenant(p))
    .where('id', '=', before.id)
    .execute();
  await recordChange(trx, p, status === 'deactivated' ? 'user.deactivated' : 'user.reactivated', before.id, {
    status: { from: before.status, to: status },
  });
}
