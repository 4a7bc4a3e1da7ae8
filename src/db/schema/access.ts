import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, MaybeMoment, Mode, ModeScoped } from './columns.js';

// Access: hr_admin scopes, the privacy notice, API keys and their idempotency keys (migration 0001).

export interface HrAdminScopesTable extends ModeScoped {
  user_id: number;
  scope_type: 'department' | 'group';
  scope_id: number;
}

export interface PrivacyNoticeAcceptancesTable {
  org_id: number;
  user_id: number;
  version: number;
  accepted_at: CreatedAt;
  /** Who accepted for a service account (migration 0015); null when the person accepted themself. */
  accepted_by: ColumnType<number | null, number | null | undefined, never>;
}

export interface ApiKeysTable {
  org_id: number;
  id: Generated<number>;
  user_id: number;
  mode: Mode;
  name: string;
  key_hash: Buffer;
  last_four: string;
  status: ColumnType<'active' | 'revoked', 'active' | 'revoked' | undefined>;
  created_by: number | null;
  created_at: CreatedAt;
  last_used_at: MaybeMoment;
  revoked_at: MaybeMoment;
}

export interface IdempotencyKeysTable {
  org_id: number;
  api_key_id: number;
  idempotency_key: string;
  request_hash: string;
  status_code: number | null;
  response_body: string | null;
  created_at: CreatedAt;
}

export interface AccessTables {
  hr_admin_scopes: HrAdminScopesTable;
  privacy_notice_acceptances: PrivacyNoticeAcceptancesTable;
  api_keys: ApiKeysTable;
  idempotency_keys: IdempotencyKeysTable;
}
