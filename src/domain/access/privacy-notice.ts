import { expressionBuilder, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError } from '../errors.js';

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
