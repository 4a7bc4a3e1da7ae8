import type { Generated } from 'kysely';
import type { CreatedAt, Json, ModeScoped } from './columns.js';

// The audit log (migration 0001).

export interface AuditEventsTable extends ModeScoped {
  id: Generated<number>;
  occurred_at: CreatedAt;
  actor_user_id: number | null;
  api_key_id: number | null;
  request_id: string | null;
  action: string;
  object_type: string;
  object_id: number | null;
  changes: Json<Record<string, unknown>>;
}

export interface AuditTables {
  audit_events: AuditEventsTable;
}
