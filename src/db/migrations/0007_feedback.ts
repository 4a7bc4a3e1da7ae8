import type { Kysely } from 'kysely';
import { runStatements } from './0001_core.js';

// Feedback (issue 14, items 4 and 5): templates, requests with the providers asked, and responses.
// A request copies its template's questions, anonymity and manager access, so that editing a template never
// changes what was asked, nor reveals a provider who answered under anonymity. Responses take random ids
// (not the sequence), so that neither an id nor the id order tells who answered first (docs/feedback.md).
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
alter table org_settings add column feedback_anonymity_threshold int
  check (feedback_anonymity_threshold between 3 and 1000);

create table feedback_templates (
  org_id bigint not null references organizations,
  mode text not null check (mode in ('live', 'test')),
  id bigint not null default nextval('trellis_id_seq'),
  name text not null check (char_length(name) between 1 and 64),
  description text check (char_length(description) <= 2000),
  questions jsonb not null,
  anonymity text not null check (anonymity in ('named', 'anonymous_to_recipient', 'anonymous_to_all')),
  managers_can_read boolean not null default true,
  archived boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (org_id, mode, id)
);
create unique index feedback_templates_name on feedback_templates (org_id, mode, lower(name));

-- A scheduled cycle (360 or upward): one request per recipient, with providers chosen per recipient.
create table feedback_cycles (
  org_id bigint not null references organizations,
  mode text not null check (mode in ('live', 'test')),
  id bigint not null default nextval('trellis_id_seq'),
  name text not null check (char_length(name) between 1 and 64),
  kind text not null check (kind in ('360', 'upward')),
  template_id bigint not null,
  due_on date,
  created_by bigint not null,
  created_at timestamptz not null default now(),
  primary key (org_id, mode, id),
  foreign key (org_id, mode, template_id) references feedback_templates (org_id, mode, id)
);

create table feedback_requests (
  org_id bigint not null references organizations,
  mode text not null check (mode in ('live', 'test')),
  id bigint not null default nextval('trellis_id_seq'),
  kind text not null check (kind in ('self_requested', 'manager_requested', 'scheduled')),
  cycle_id bigint,
  requester_user_id bigint not null,
  recipient_user_id bigint not null,
  template_id bigint not null,
  questions jsonb not null,
  anonymity text not null check (anonymity in ('named', 'anonymous_to_recipient', 'anonymous_to_all')),
  managers_can_read boolean not null,
  message text check (char_length(message) <= 2000),
  due_on date,
  status text not null default 'open' check (status in ('open', 'cancelled')),
  cancelled_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (org_id, mode, id),
  foreign key (org_id, mode, template_id) references feedback_templates (org_id, mode, id),
  foreign key (org_id, mode, cycle_id) references feedback_cycles (org_id, mode, id),
  check ((kind = 'scheduled') = (cycle_id is not null)),
  foreign key (org_id, mode, requester_user_id) references users (org_id, mode, id),
  foreign key (org_id, mode, recipient_user_id) references users (org_id, mode, id)
);
create index feedback_requests_recipient on feedback_requests (org_id, mode, recipient_user_id, id);
create index feedback_requests_requester on feedback_requests (org_id, mode, requester_user_id, id);
create unique index feedback_requests_cycle on feedback_requests (org_id, mode, cycle_id, recipient_user_id);

create table feedback_providers (
  org_id bigint not null,
  mode text not null check (mode in ('live', 'test')),
  request_id bigint not null,
  provider_user_id bigint not null,
  status text not null default 'pending' check (status in ('pending', 'declined', 'submitted')),
  decline_reason text check (char_length(decline_reason) <= 2000),
  primary key (org_id, mode, request_id, provider_user_id),
  foreign key (org_id, mode, request_id) references feedback_requests (org_id, mode, id),
  foreign key (org_id, mode, provider_user_id) references users (org_id, mode, id)
);
create index feedback_providers_provider on feedback_providers (org_id, mode, provider_user_id, request_id);

create table feedback_responses (
  org_id bigint not null,
  mode text not null check (mode in ('live', 'test')),
  id bigint not null,
  request_id bigint,
  template_id bigint,
  recipient_user_id bigint not null,
  provider_user_id bigint not null,
  anonymity text not null check (anonymity in ('named', 'anonymous_to_recipient', 'anonymous_to_all')),
  managers_can_read boolean not null,
  answers jsonb not null default '[]',
  body text check (char_length(body) <= 10000),
  submitted_on date not null default current_date,
  primary key (org_id, mode, id),
  foreign key (org_id, mode, request_id) references feedback_requests (org_id, mode, id),
  foreign key (org_id, mode, recipient_user_id) references users (org_id, mode, id),
  foreign key (org_id, mode, provider_user_id) references users (org_id, mode, id)
);
create unique index feedback_responses_one_each on feedback_responses (org_id, mode, request_id, provider_user_id);
create index feedback_responses_recipient on feedback_responses (org_id, mode, recipient_user_id, id);
create index feedback_responses_provider on feedback_responses (org_id, mode, provider_user_id, id);
`,
  );
}
