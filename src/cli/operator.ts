import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { operatorPrincipal, type Principal } from '../domain/access/principal.js';
import { AppError } from '../domain/errors.js';
import { findOrganization } from '../domain/orgs/service.js';
import { listUsers } from '../domain/users/service.js';

/**
 * The organisation a command targets (--org, or the only one) and the principal the CLI acts as: the
 * organisation's first active super admin, so that audit rows name a person; they carry no key and no
 * request id, which is how the audit log tells operator commands apart.
 */
export async function operatorFor(db: Kysely<DB>, slug: string | undefined) {
  const org = await findOrganization(db, slug).catch((error: unknown) => {
    if (slug && error instanceof AppError && error.code === 'invalid_resource_id') {
      throw new AppError('invalid_resource_id', `No organisation has the slug "${slug}".`);
    }
    throw error;
  });
  // Reading the directory needs no particular person; the id is never written anywhere.
  const reader = operatorPrincipal(org.org_id, 0);
  const admins = await listUsers(db, reader, { role: 'super_admin', status: 'active' }, { limit: 1 });
  const admin = admins.rows[0];
  if (!admin) {
    throw new AppError('invalid_operation', `The organisation "${org.slug}" has no active super admin.`);
  }
  const actor: Principal = operatorPrincipal(org.org_id, admin.id);
  return { org, actor };
}
