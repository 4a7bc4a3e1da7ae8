import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { authorize, gates, pass, policy } from '../access/policy.js';
import { operatorPrincipal, type Principal } from '../access/principal.js';
import { recordNoticeAcceptance } from '../access/privacy-notice.js';
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

const recordPrivacyAcceptance = (
  trx: Transaction<DB>,
  orgId: number,
  userId: number,
  actor: Principal = operatorPrincipal(orgId, userId),
) => recordNoticeAcceptance(trx, actor, userId);

/** Records that a person accepted the current privacy notice (the console's first login; the CLI until then). */
export async function acceptPrivacyNotice(db: Kysely<DB>, orgId: number, userRef: string | number) {
  return db.transaction().execute(async (trx) => {
    const user = await findUserByRef(trx, orgId, 'live', userRef);
    if (!user) throw notFound('user');
    await recordPrivacyAcceptance(trx, orgId, user.id);
    return user;
  });
}

/**
 * A signed-in person accepts the notice they were shown, by its version: a version that is no longer the
 * current one (an admin changed it meanwhile) is refused, so that nobody accepts a text they did not see.
 */
export async function acceptShownPrivacyNotice(db: Kysely<DB>, person: Principal, version: number) {
  await db.transaction().execute(async (trx) => {
    const org = await trx
      .selectFrom('organizations')
      .select('privacy_notice_version')
      .where('org_id', '=', person.orgId)
      .executeTakeFirstOrThrow();
    if (org.privacy_notice_version !== version)
      throw new AppError(
        'invalid_operation',
        'The privacy notice changed since it was shown: read it again.',
      );
    await recordPrivacyAcceptance(trx, person.orgId, person.userId, person);
  });
}

const currentNotice = (db: Kysely<DB>, orgId: number) =>
  db
    .selectFrom('organizations')
    .select([
      'privacy_notice_version as version',
      'privacy_notice_text as text',
      'privacy_notice_updated_at as updated_at',
    ])
    .where('org_id', '=', orgId)
    .executeTakeFirstOrThrow();

/** The organisation's current privacy notice: its text, version and when it last changed. Anyone reads it. */
export async function getPrivacyNotice(db: Kysely<DB>, p: Principal) {
  return currentNotice(db, p.orgId);
}

/**
 * Admins write the notice. A changed text is a new version, which everyone but its writer accepts again
 * before their keys and sessions work (a test key cannot change it: it belongs to the organisation's live
 * people).
 */
export async function updatePrivacyNotice(db: Kysely<DB>, p: Principal, text: string) {
  pass(p, gates.managePrivacyNotice);
  authorize(policy.changePrivacyNoticeInMode(p), 'A test key reads the privacy notice but cannot change it.');
  return db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('organizations')
      .select(['privacy_notice_version', 'privacy_notice_text'])
      .where('org_id', '=', p.orgId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (before.privacy_notice_text !== text) {
      const version = before.privacy_notice_version + 1;
      await trx
        .updateTable('organizations')
        .set({
          privacy_notice_text: text,
          privacy_notice_version: version,
          privacy_notice_updated_at: new Date(),
        })
        .where('org_id', '=', p.orgId)
        .execute();
      await recordChange(trx, p, 'privacy_notice.updated', p.orgId, {
        version: { from: before.privacy_notice_version, to: version },
      });
      // Its writer has read it: they accept it by publishing it, and their own keys keep working.
      await recordPrivacyAcceptance(trx, p.orgId, p.userId, p);
    }
    return currentNotice(trx, p.orgId);
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
