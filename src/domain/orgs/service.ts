import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { operatorPrincipal } from '../access/principal.js';
import { recordChange } from '../changes.js';
import { AppError, notFound } from '../errors.js';
import { createApiKey } from '../keys/service.js';
import { copyLiveDirectoryToTest } from '../sandbox/service.js';
import { findUserByRef } from '../users/repo.js';

export interface NewOrganization {
  name: string;
  slug?: string;
  adminEmail: string;
  adminFirstName?: string;
  adminLastName?: string;
}

export const slugify = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60) || 'org';

/**
 * Creates an organisation with its first super admin (who accepts the privacy notice by running this),
 * seeds the test sandbox from the live directory, and returns a live API key for that admin.
 */
export async function createOrganization(db: Kysely<DB>, input: NewOrganization) {
  const slug = input.slug ?? slugify(input.name);
  const { orgId, adminId } = await db.transaction().execute(async (trx) => {
    const taken = await trx
      .selectFrom('organizations')
      .select('org_id')
      .where('slug', '=', slug)
      .executeTakeFirst();
    if (taken)
      throw new AppError('duplicate_resource', `An organisation with slug "${slug}" already exists.`);
    const org = await trx
      .insertInto('organizations')
      .values({ name: input.name, slug })
      .returning('org_id')
      .executeTakeFirstOrThrow();
    const admin = await trx
      .insertInto('users')
      .values({
        org_id: org.org_id,
        mode: 'live',
        email: input.adminEmail,
        first_name: input.adminFirstName ?? 'Super',
        last_name: input.adminLastName ?? 'Admin',
        role: 'super_admin',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const actor = operatorPrincipal(org.org_id, admin.id);
    await recordChange(trx, actor, 'organization.created', org.org_id);
    await recordPrivacyAcceptance(trx, org.org_id, admin.id);
    await copyLiveDirectoryToTest(trx, actor);
    return { orgId: org.org_id, adminId: admin.id };
  });
  const { plaintext } = await createApiKey(db, operatorPrincipal(orgId, adminId), {
    user: adminId,
    name: 'initial super admin key',
  });
  return { orgId, slug, adminId, key: plaintext };
}

async function recordPrivacyAcceptance(trx: Transaction<DB>, orgId: number, userId: number) {
  const org = await trx
    .selectFrom('organizations')
    .select('privacy_notice_version')
    .where('org_id', '=', orgId)
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('privacy_notice_acceptances')
    .values({ org_id: orgId, user_id: userId, version: org.privacy_notice_version })
    .onConflict((c) => c.doNothing())
    .execute();
  await recordChange(trx, operatorPrincipal(orgId, userId), 'privacy_notice.accepted', userId, {
    version: org.privacy_notice_version,
  });
}

/** Records that a person accepted the current privacy notice (the console's first login; the CLI until then). */
export async function acceptPrivacyNotice(db: Kysely<DB>, orgId: number, userRef: string | number) {
  return db.transaction().execute(async (trx) => {
    const user = await findUserByRef(trx, orgId, 'live', userRef);
    if (!user) throw notFound('user');
    await recordPrivacyAcceptance(trx, orgId, user.id);
    return user;
  });
}

export async function findOrganization(db: Kysely<DB>, slug?: string) {
  let q = db.selectFrom('organizations').selectAll().orderBy('org_id');
  if (slug) q = q.where('slug', '=', slug);
  const orgs = await q.limit(2).execute();
  if (!slug && orgs.length > 1)
    throw new AppError('missing_required_parameters', 'Several organisations exist: name one with --org.');
  if (!orgs[0]) throw notFound('organisation');
  return orgs[0];
}
