import { expressionBuilder, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { recordChange } from '../changes.js';
import { AppError } from '../errors.js';
import type { Principal } from './principal.js';

/**
 * The rule every credential obeys (docs/sign-in.md): the person it acts for accepted their organisation's
 * current privacy-notice version. This is when they did, or null: a scalar subquery a credential's one
 * lookup selects beside its row, given the columns that hold the organisation and the person.
 */
export function currentNoticeAcceptance(orgColumn: string, userColumn: string) {
  const eb = expressionBuilder<DB>();
  const orgId = sql.ref<number>(orgColumn);
  return eb
    .selectFrom('privacy_notice_acceptances as pa')
    .select('pa.accepted_at')
    .where('pa.org_id', '=', orgId)
    .where('pa.user_id', '=', sql.ref<number>(userColumn))
    .where(
      'pa.version',
      '=',
      eb.selectFrom('organizations as o').select('o.privacy_notice_version').where('o.org_id', '=', orgId),
    )
    .as('accepted_at');
}

/** Refuses a credential whose person has not accepted the current notice (see currentNoticeAcceptance). */
export function assertNoticeAccepted(row: { accepted_at: unknown }) {
  if (!row.accepted_at) throw new AppError('privacy_notice_not_accepted');
}

/**
 * Records that the user accepted the organisation's current notice version, with the audit row, inside the
 * caller's transaction. The actor is the user themself, or an admin accepting for a service account (who,
 * then, is kept as `accepted_by`: a service account reads nothing, the admin who made it did).
 */
export async function recordNoticeAcceptance(trx: Transaction<DB>, actor: Principal, userId: number) {
  const org = await trx
    .selectFrom('organizations')
    .select('privacy_notice_version')
    .where('org_id', '=', actor.orgId)
    .executeTakeFirstOrThrow();
  const acceptedBy = actor.userId === userId ? null : actor.userId;
  await trx
    .insertInto('privacy_notice_acceptances')
    .values({
      org_id: actor.orgId,
      user_id: userId,
      version: org.privacy_notice_version,
      accepted_by: acceptedBy,
    })
    .onConflict((c) => c.doNothing())
    .execute();
  await recordChange(trx, actor, 'privacy_notice.accepted', userId, {
    version: org.privacy_notice_version,
    ...(acceptedBy !== null && { accepted_by: acceptedBy }),
  });
}
