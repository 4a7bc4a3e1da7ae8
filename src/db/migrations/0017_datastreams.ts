import type { Kysely } from 'kysely';
import { runStatements } from './0001_core.js';

// WorkBoard's datastreams (issue 17, item 2): a stream feeds one milestone, as its creator. The stream key
// (the URL part) is stored as its SHA-256 only and looked up on a unique index; the secret is stored as
// issued, like a metric hook's signing secret, because verifying an HMAC needs it (docs/webhooks.md).
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
create table datastreams (
  org_id bigint not null,
  mode text not null check (mode in ('live', 'test')),
  id bigint not null default nextval('trellis_id_seq'),
  name text not null check (char_length(name) between 1 and 100),
  created_by bigint not null,
  milestone_id bigint not null,
  connector_id text check (char_length(connector_id) between 1 and 100),
  key_hash bytea not null,
  key_last_four text not null,
  secret text not null,
  paused boolean not null default false,
  last_used_at timestamptz,
  last_value numeric,
  last_failure_at timestamptz,
  last_failure text check (char_length(last_failure) <= 500),
  failure_count integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (org_id, mode, id),
  foreign key (org_id, mode, milestone_id) references milestones (org_id, mode, id)
);
create unique index datastreams_key on datastreams (key_hash);
create index datastreams_creator on datastreams (org_id, mode, created_by, id);
`,
  );
}
