import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, MaybeMoment } from './columns.js';

// The server's cursor-signing secrets (migration 0005): no organisation's, so no org_id.

export interface CursorSecretsTable {
  id: Generated<number>;
  secret: ColumnType<Buffer, Buffer, never>;
  created_at: CreatedAt;
  expires_at: MaybeMoment;
}

export interface CursorTables {
  cursor_secrets: CursorSecretsTable;
}
