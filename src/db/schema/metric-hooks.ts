import type { Generated } from 'kysely';
import type { CreatedAt, MaybeMoment, ModeScoped, Timestamp } from './columns.js';

// Inbound metric webhooks (migration 0011).

export interface MetricHooksTable extends ModeScoped {
  id: Generated<number>;
  name: string;
  /** The hook acts as this person: every update is their check-in. */
  created_by: number;
  /** The one milestone it updates, or null: any milestone the creator may update, named per request. */
  milestone_id: number | null;
  /** SHA-256 of the URL's secret part; the part itself is shown once. */
  token_hash: Buffer;
  token_last_four: string;
  /** `whsec_…`, as issued: verifying an HMAC needs it (docs/decisions.md). Never returned by a read. */
  signing_secret: string;
  enabled: Generated<boolean>;
  /** Takes WorkBoard's unsigned form at /wb/apis/hook/{hash} too (migration 0018); signed requests only otherwise. */
  accepts_unsigned: Generated<boolean>;
  last_used_at: MaybeMoment;
  last_failure_at: MaybeMoment;
  last_failure: string | null;
  failure_count: Generated<number>;
  rotated_at: MaybeMoment;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

/** The `webhook-id`s a hook accepted, kept while a replay of them could still pass the timestamp check. */
export interface MetricHookMessagesTable extends ModeScoped {
  hook_id: number;
  message_id: string;
  sent_at: Date | string;
}

export interface MetricHooksTables {
  metric_hooks: MetricHooksTable;
  metric_hook_messages: MetricHookMessagesTable;
}
