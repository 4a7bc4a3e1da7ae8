import type { ColumnType } from 'kysely';
import type { CreatedAt } from './columns.js';

// Service accounts: what only a service account has, beside its live users row (migration 0015).

export interface ServiceAccountsTable {
  org_id: number;
  mode: ColumnType<'live', 'live' | undefined, never>;
  user_id: number;
  description: string | null;
  /** The super admin who created it (and accepted the privacy notice for it). */
  created_by: ColumnType<number, number, never>;
  created_at: CreatedAt;
}

export interface ServiceAccountTables {
  service_accounts: ServiceAccountsTable;
}
