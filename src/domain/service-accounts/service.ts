import type { Kysely, Transaction } from 'kysely';
import type { DB, Role } from '../../db/schema.js';
import { authorize, gates, NEW_USER_ACCESS, pass, policy } from '../access/policy.js';
import type { Principal } from '../access/principal.js';
import { recordNoticeAcceptance } from '../access/privacy-notice.js';
import { diff } from '../audit/service.js';
import { recordChange } from '../changes.js';
import { notFound } from '../errors.js';
import { type PageRequest, paginate } from '../paging.js';
import { inTenant } from '../tenant.js';
import { applyUserStatus, assertAnotherSuperAdmin } from '../users/service.js';
import * as repo from './repo.js';
import { liveAccounts, serviceAccountEmail } from './rules.js';

export interface ServiceAccountFields {
  name?: string;
  description?: string | null;
  role?: Role;
  data_admin?: boolean;
}
export interface NewServiceAccount extends ServiceAccountFields {
  name: string;
}
export interface ServiceAccountFilters {
  status?: 'active' | 'deactivated' | undefined;
}

const LIVE_ONLY = 'Service accounts are live accounts: a test key reads them but cannot make or change them.';

/** Every write: a super admin, with a live key or a session. */
const authorizeMode = (p: Principal) => authorize(policy.changeServiceAccountsInMode(p), LIVE_ONLY);

export function listServiceAccounts(
  db: Kysely<DB>,
  p: Principal,
  f: ServiceAccountFilters,
  page: PageRequest,
) {
  pass(p, gates.manageServiceAccounts);
  let q = repo.selectServiceAccounts(db, p.orgId);
  if (f.status) q = q.where('users.status', '=', f.status);
  return paginate(q, 'users.id', page);
}

export async function getServiceAccount(db: Kysely<DB>, p: Principal, id: number) {
  pass(p, gates.manageServiceAccounts);
  return found(db, p, id);
}

async function found(db: Kysely<DB>, p: Principal, id: number) {
  const account = await repo.findServiceAccount(db, p.orgId, id);
  if (!account) throw notFound('service account');
  return account;
}

/**
 * Creates a service account: a live user of kind 'service', with no password and an address that receives
 * no mail, so it never signs in. The super admin who creates it accepts the privacy notice for it, in the
 * same transaction, so that its keys work at once (seed 000's "dummy account", without the sign-in).
 */
export async function createServiceAccount(db: Kysely<DB>, p: Principal, input: NewServiceAccount) {
  pass(p, gates.manageServiceAccounts);
  authorizeMode(p);
  return db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto('users')
      .values({
        org_id: p.orgId,
        mode: 'live',
        kind: 'service',
        email: serviceAccountEmail(),
        first_name: input.name,
        last_name: '',
        role: input.role ?? NEW_USER_ACCESS.role,
        data_admin: input.data_admin ?? NEW_USER_ACCESS.dataAdmin,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const description = input.description ?? null;
    await trx
      .insertInto('service_accounts')
      .values({ org_id: p.orgId, user_id: id, description, created_by: p.userId })
      .execute();
    await recordChange(trx, p, 'service_account.created', id, { ...input, description });
    await recordNoticeAcceptance(trx, p, id);
    return (await repo.findServiceAccount(trx, p.orgId, id)) as repo.ServiceAccountRow;
  });
}

/** Renames, describes or changes the role of a service account; the organisation keeps a super admin. */
export async function updateServiceAccount(
  db: Kysely<DB>,
  p: Principal,
  id: number,
  fields: ServiceAccountFields,
) {
  pass(p, gates.manageServiceAccounts);
  return db.transaction().execute(async (trx) => {
    const before = await found(trx, p, id);
    authorizeMode(p);
    const changes = diff(before as unknown as Record<string, unknown>, fields as Record<string, unknown>);
    if (Object.keys(changes).length === 0) return before;
    if (before.role === 'super_admin' && (fields.role ?? 'super_admin') !== 'super_admin') {
      await assertAnotherSuperAdmin(trx, p, id);
    }
    await writeChanges(trx, p, id, fields);
    await recordChange(trx, p, 'service_account.updated', id, changes);
    return (await repo.findServiceAccount(trx, p.orgId, id)) as repo.ServiceAccountRow;
  });
}

async function writeChanges(trx: Transaction<DB>, p: Principal, id: number, fields: ServiceAccountFields) {
  const { name, description, role, data_admin } = fields;
  await trx
    .updateTable('users')
    .set({
      ...(name !== undefined && { first_name: name }),
      ...(role !== undefined && { role }),
      ...(data_admin !== undefined && { data_admin }),
      updated_at: new Date(),
    })
    .where(inTenant(liveAccounts(p.orgId)))
    .where('id', '=', id)
    .execute();
  if (description !== undefined) {
    await trx
      .updateTable('service_accounts')
      .set({ description })
      .where(inTenant(liveAccounts(p.orgId)))
      .where('user_id', '=', id)
      .execute();
  }
}

/**
 * A super admin accepts the current privacy notice for a service account: after a new version its keys are
 * refused, as everyone's are, until someone who can answer for it accepts again. Accepting again keeps the
 * first acceptance and is audited like any other write: the log shows who confirmed it, and when.
 */
export async function acceptNoticeFor(db: Kysely<DB>, p: Principal, id: number) {
  pass(p, gates.manageServiceAccounts);
  return db.transaction().execute(async (trx) => {
    await found(trx, p, id);
    authorizeMode(p);
    await recordNoticeAcceptance(trx, p, id);
    return (await repo.findServiceAccount(trx, p.orgId, id)) as repo.ServiceAccountRow;
  });
}

/**
 * Deactivates or reactivates a service account: its keys stop (or start again) working at once. The status
 * is the user's, changed by the same rule and recorded by the same events as anyone's.
 */
export async function setServiceAccountStatus(
  db: Kysely<DB>,
  p: Principal,
  id: number,
  status: 'active' | 'deactivated',
) {
  pass(p, gates.manageServiceAccounts);
  return db.transaction().execute(async (trx) => {
    const before = await found(trx, p, id);
    authorizeMode(p);
    await applyUserStatus(trx, p, { ...before, department_id: null }, status);
    return (await repo.findServiceAccount(trx, p.orgId, id)) as repo.ServiceAccountRow;
  });
}
