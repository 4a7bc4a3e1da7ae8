import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { inTenant } from '../tenant.js';
import { liveAccounts } from './rules.js';

/**
 * Service accounts with what only they have and their acceptance of the current privacy notice (when, and
 * by which admin). They are live accounts of the organisation, whatever the mode of the key that reads them.
 */
export function selectServiceAccounts(db: Kysely<DB>, orgId: number) {
  return db
    .selectFrom('users')
    .innerJoin('service_accounts as sa', (j) =>
      j
        .onRef('sa.org_id', '=', 'users.org_id')
        .onRef('sa.mode', '=', 'users.mode')
        .onRef('sa.user_id', '=', 'users.id'),
    )
    .leftJoin('privacy_notice_acceptances as pa', (j) =>
      j
        .onRef('pa.org_id', '=', 'users.org_id')
        .onRef('pa.user_id', '=', 'users.id')
        .on((eb) =>
          eb(
            'pa.version',
            '=',
            eb
              .selectFrom('organizations as o')
              .select('o.privacy_notice_version')
              .whereRef('o.org_id', '=', 'users.org_id'),
          ),
        ),
    )
    .select([
      'users.id',
      'users.first_name as name',
      'sa.description',
      'users.role',
      'users.data_admin',
      'users.status',
      'sa.created_by',
      'users.created_at',
      'users.updated_at',
      'users.deactivated_at',
      'pa.version as privacy_notice_version',
      'pa.accepted_at as privacy_notice_accepted_at',
      'pa.accepted_by as privacy_notice_accepted_by',
    ])
    .where(inTenant(liveAccounts(orgId), 'users'))
    .where('users.kind', '=', 'service');
}

export type ServiceAccountRow = NonNullable<
  Awaited<ReturnType<ReturnType<typeof selectServiceAccounts>['executeTakeFirst']>>
>;

export const findServiceAccount = (db: Kysely<DB>, orgId: number, id: number) =>
  selectServiceAccounts(db, orgId).where('users.id', '=', id).executeTakeFirst();
