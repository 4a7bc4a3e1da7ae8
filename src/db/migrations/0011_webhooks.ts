import type { Kysely } from 'kysely';
import { runStatements } from './0001_core.js';

// Inbound metric webhooks (issue 17, item 1): a hook checks in on one milestone, or on any milestone its
// creator may update (milestone_id null), as its creator. The URL token is stored as its SHA-256 only and
// looked up on a unique index; the signing secret is stored as issued, because verifying an HMAC needs it
// (docs/decisions.md), and no read but the receiver's ever selects it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
create table metric_hooks (
  org_id bigint not null,
  mode text not null check (mode in ('live', 'test')),
  id bigint not null default nextval('trellis_id_seq'),
  name text not null check (char_length(name) between 1 and 100),
  created_by bigint not null,
  milestone_id bigint,
  token_hash bytea not null,
  token_last_four text not null,
  signing_secret text not null,
  enabled boolean not null default true,
  last_used_at timestamptz,
  last_failure_at timestamptz,
  last_failure text check (char_length(last_failure) <= 500),
  failure_count integer not null default 0,
  rotated_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (org_id, mode, id),
  foreign key (org_id, mode, milestone_id) references milestones (org_id, mode, id)
);
create unique index metric_hooks_token on metric_hooks (token_hash);
create index metric_hooks_creator on metric_hooks (org_id, mode, created_by, id);

create table metric_hook_messages (
  org_id bigint not null,
  mode text not null check (mode in ('live', 'test')),
  hook_id bigint not null,
  message_id text not null check (char_length(message_id) between 1 and 255),
  sent_at timestamptz not null,
  primary key (org_id, mode, hook_id, message_id),
  foreign key (org_id, mode, hook_id) references metric_hooks (org_id, mode, id) on delete cascade
);
create index metric_hook_messages_sent on metric_hook_messages (org_id, mode, hook_id, sent_at);
`,
  );
}
