import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Principal } from '../access/principal.js';
import { AppError } from '../errors.js';
import { inTenant } from '../tenant.js';
import { existingUserIds, managerChain } from './repo.js';
import type { UserFields } from './types.js';

const invalid = (description: string) => new AppError('invalid_operation', description);

/** The department, manager and dotted-line managers a write names must exist; no reporting cycles. */
export async function checkUserReferences(
  db: Kysely<DB>,
  p: Principal,
  f: UserFields,
  selfId: number | null,
) {
  if (f.department_id !== undefined && f.department_id !== null) {
    const department = await db
      .selectFrom('departments')
      .select('id')
      .where(inTenant(p))
      .where('id', '=', f.department_id)
      .executeTakeFirst();
    if (!department) throw invalid(`Department ${f.department_id} does not exist.`);
  }
  const managers = [...(f.dotted_line_manager_ids ?? []), ...(f.manager_id != null ? [f.manager_id] : [])];
  if (selfId !== null && managers.includes(selfId)) throw invalid('A user cannot be their own manager.');
  const found = await existingUserIds(db, p.orgId, p.mode, managers);
  const missing = managers.filter((id) => !found.has(id));
  if (missing.length > 0) throw invalid(`Manager ${missing[0]} does not exist.`);
  if (f.manager_id != null && selfId !== null) {
    const chain = await managerChain(db, p.orgId, p.mode, f.manager_id);
    if (chain.includes(selfId)) throw invalid('That manager reports to this user: it would make a cycle.');
  }
}
