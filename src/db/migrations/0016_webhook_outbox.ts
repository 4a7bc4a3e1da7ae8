import type { Kysely } from 'kysely';
import { runStatements } from './0001_core.js';

// Outbound events (issue 17, items 4 and 5). `events` is the outbox: recordChange writes a row in the
// transaction of the change, and the deliveries it fans out to (one per enabled endpoint that subscribes),
// so a rolled-back change sends nothing and a crash loses nothing. The worker claims due deliveries with
// FOR UPDATE SKIP LOCKED; while one is `delivering`, next_attempt_at is the end of its claim's lease, so a
// crashed worker's claims come due again by themselves. The signing secret is stored as issued (signing
// needs it; docs/decisions.md) and no read but the worker's selects it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
create table webhook_endpoints (
  org_id bigint not null references organizations,
  mode text not null check (mode in ('live', 'test')),
  id bigint not null default nextval('trellis_id_seq'),
  url text not null check (char_length(url) between 1 and 2000),
  description text check (char_length(description) <= 500),
  event_types text[],
  signing_secret text not null,
  enabled boolean not null default true,
  disabled_reason text check (char_length(disabled_reason) <= 500),
  created_by bigint not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (org_id, mode, id)
);

create table events (
  org_id bigint not null references organizations,
  mode text not null check (mode in ('live', 'test')),
  id bigint not null default nextval('trellis_id_seq'),
  type text not null,
  object_type text not null,
  object_id bigint,
  payload jsonb not null,
  created_at timestamptz not null default now(),
  primary key (org_id, mode, id)
);
create index events_type on events (org_id, mode, type, id);

create table webhook_deliveries (
  org_id bigint not null,
  mode text not null check (mode in ('live', 'test')),
  id bigint not null default nextval('trellis_id_seq'),
  endpoint_id bigint not null,
  event_id bigint not null,
  status text not null default 'pending'
    check (status in ('pending', 'delivering', 'succeeded', 'failed', 'abandoned')),
  attempt_count integer not null default 0,
  next_attempt_at timestamptz,
  locked_by text,
  last_attempt_at timestamptz,
  last_status_code integer,
  last_latency_ms integer,
  last_response text,
  last_error text,
  created_at timestamptz not null default now(),
  primary key (org_id, mode, id),
  foreign key (org_id, mode, endpoint_id) references webhook_endpoints (org_id, mode, id) on delete cascade,
  foreign key (org_id, mode, event_id) references events (org_id, mode, id)
);
create index webhook_deliveries_due on webhook_deliveries (next_attempt_at)
  where status in ('pending', 'delivering', 'failed');
create index webhook_deliveries_endpoint on webhook_deliveries (org_id, mode, endpoint_id, id);
create index webhook_deliveries_event on webhook_deliveries (org_id, mode, event_id, id);
`,
  );
}
