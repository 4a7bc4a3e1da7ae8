import type { Generated } from 'kysely';
import type { CreatedAt, MaybeMoment, ModeScoped, Timestamp } from './columns.js';

// WorkBoard's datastreams (migrations 0017, 0020).

export interface DatastreamsTable extends ModeScoped {
  id: Generated<number>;
  name: string;
  /** The stream acts as this person: every value pushed is their check-in. */
  created_by: number;
  /** The milestone the stream feeds. */
  milestone_id: number;
  /** When set, a push naming another `stream.connector.connector_id` is refused. */
  connector_id: string | null;
  /** SHA-256 of the stream key (the URL part); the key itself is shown once. */
  key_hash: Buffer;
  key_last_four: string;
  /** `dss_…`, as issued: verifying `x-stream-signature` needs it. Never returned by a read. */
  secret: string;
  paused: Generated<boolean>;
  last_used_at: MaybeMoment;
  last_value: string | number | null;
  last_failure_at: MaybeMoment;
  last_failure: string | null;
  failure_count: Generated<number>;
  /** What WorkBoard's `POST /stream` said of it (migration 0020); describes the stream, changes no rule. */
  description: string | null;
  data_type: 'numbers' | 'percentage' | 'currency' | null;
  frequency: 'daily' | 'weekly' | 'monthly' | 'quarterly' | null;
  category: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface DatastreamsTables {
  datastreams: DatastreamsTable;
}
