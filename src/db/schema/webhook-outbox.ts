import type { Generated } from 'kysely';
import type { CreatedAt, Json, MaybeMoment, ModeScoped, Timestamp } from './columns.js';

// Outbound events: endpoints, the outbox of events and their deliveries (migration 0016).

export interface WebhookEndpointsTable extends ModeScoped {
  id: Generated<number>;
  url: string;
  description: string | null;
  /** The event types it subscribes to; null: every outbound event. */
  event_types: string[] | null;
  /** `whsec_…`, as issued: signing needs it (docs/decisions.md). Never returned by a read. */
  signing_secret: string;
  enabled: Generated<boolean>;
  /** Why the worker disabled it (a 410 Gone), null when an admin did or it is enabled. */
  disabled_reason: string | null;
  created_by: number;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface EventsTable extends ModeScoped {
  id: Generated<number>;
  type: string;
  object_type: string;
  object_id: number | null;
  payload: Json<Record<string, unknown>>;
  created_at: CreatedAt;
}

export type DeliveryStatus = 'pending' | 'delivering' | 'succeeded' | 'failed' | 'abandoned';

export interface WebhookDeliveriesTable extends ModeScoped {
  id: Generated<number>;
  endpoint_id: number;
  event_id: number;
  status: Generated<DeliveryStatus>;
  attempt_count: Generated<number>;
  /** When it is due; while `delivering`, the end of the claim's lease. Null once settled. */
  next_attempt_at: MaybeMoment;
  /** The worker that holds (or last held) the claim. */
  locked_by: string | null;
  last_attempt_at: MaybeMoment;
  last_status_code: number | null;
  last_latency_ms: number | null;
  /** The first 1 KB of the last answer's body. */
  last_response: string | null;
  last_error: string | null;
  created_at: CreatedAt;
}

export interface WebhookOutboxTables {
  webhook_endpoints: WebhookEndpointsTable;
  events: EventsTable;
  webhook_deliveries: WebhookDeliveriesTable;
}
