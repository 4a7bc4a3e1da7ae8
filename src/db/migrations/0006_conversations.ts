import type { Kysely } from 'kysely';
import { runStatements } from './0001_core.js';

// Conversations (issue 14): templates and their versions, deployments, conversations and private notes.
// A template's questions live in its versions; a conversation points at the version it was asked, so a
// template edited after use makes a new version instead of changing what a conversation shows.
// created_by holds the actor's live account id, as on goals.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
create table conversation_templates (
  org_id bigint not null references organizations,
  mode text not null check (mode in ('live', 'test')),
  id bigint not null default nextval('trellis_id_seq'),
  name text not null check (char_length(name) between 1 and 64),
  description text check (char_length(description) <= 2000),
  kind text not null check (kind in ('anytime', 'scheduled')),
  format text not null check (format in ('one_way', 'two_way')),
  only_managers_start boolean not null default false,
  confirm_meeting boolean not null default false,
  allow_goals boolean not null default false,
  skip_level_reads boolean not null default false,
  admins_read boolean not null default false,
  hr_in_scope_reads boolean not null default true,
  version int not null default 1,
  created_by bigint,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (org_id, mode, id)
);
create index conversation_templates_updated on conversation_templates (org_id, mode, updated_at);

create table conversation_template_versions (
  org_id bigint not null,
  mode text not null check (mode in ('live', 'test')),
  template_id bigint not null,
  version int not null check (version >= 1),
  manager_questions jsonb not null,
  report_questions jsonb not null,
  created_at timestamptz not null default now(),
  primary key (org_id, mode, template_id, version),
  foreign key (org_id, mode, template_id) references conversation_templates (org_id, mode, id)
);

create table conversation_deployments (
  org_id bigint not null,
  mode text not null check (mode in ('live', 'test')),
  id bigint not null default nextval('trellis_id_seq'),
  template_id bigint not null,
  template_version int not null,
  name text not null check (char_length(name) between 1 and 200),
  period_id bigint,
  starts_on date not null,
  due_on date not null,
  audience text not null check (audience in ('everyone', 'departments', 'groups', 'people')),
  audience_ids jsonb not null default '[]',
  only_with_manager boolean not null default true,
  created_by bigint,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  synced_at timestamptz,
  primary key (org_id, mode, id),
  foreign key (org_id, mode, template_id, template_version)
    references conversation_template_versions (org_id, mode, template_id, version),
  foreign key (org_id, mode, period_id) references periods (org_id, mode, id),
  check (starts_on <= due_on)
);
create index conversation_deployments_template on conversation_deployments (org_id, mode, template_id);

create table conversations (
  org_id bigint not null,
  mode text not null check (mode in ('live', 'test')),
  id bigint not null default nextval('trellis_id_seq'),
  template_id bigint not null,
  template_version int not null,
  deployment_id bigint,
  manager_id bigint,
  report_id bigint not null,
  status text not null default 'not_started'
    check (status in ('not_started', 'in_progress', 'submitted', 'shared', 'completed')),
  starts_on date not null,
  due_on date not null,
  shared_notes text check (char_length(shared_notes) <= 10000),
  manager_draft jsonb,
  report_draft jsonb,
  manager_answers jsonb,
  report_answers jsonb,
  manager_submitted_at timestamptz,
  report_submitted_at timestamptz,
  shared_at timestamptz,
  completed_at timestamptz,
  manager_confirmed_at timestamptz,
  report_confirmed_at timestamptz,
  created_by bigint,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (org_id, mode, id),
  foreign key (org_id, mode, template_id, template_version)
    references conversation_template_versions (org_id, mode, template_id, version),
  foreign key (org_id, mode, deployment_id) references conversation_deployments (org_id, mode, id),
  foreign key (org_id, mode, manager_id) references users (org_id, mode, id),
  foreign key (org_id, mode, report_id) references users (org_id, mode, id),
  check (manager_id <> report_id),
  check (starts_on <= due_on)
);
-- One conversation per person per deployment: a sync adds only those who have none.
create unique index conversations_deployment_report on conversations (org_id, mode, deployment_id, report_id)
  where deployment_id is not null;
create index conversations_deployment on conversations (org_id, mode, deployment_id, id);
create index conversations_manager on conversations (org_id, mode, manager_id);
create index conversations_report on conversations (org_id, mode, report_id);
create index conversations_template on conversations (org_id, mode, template_id);

-- A participant's private notes: read and written by their author alone.
create table conversation_private_notes (
  org_id bigint not null,
  mode text not null check (mode in ('live', 'test')),
  conversation_id bigint not null,
  author_user_id bigint not null,
  body text not null check (char_length(body) <= 10000),
  updated_at timestamptz not null default now(),
  primary key (org_id, mode, conversation_id, author_user_id),
  foreign key (org_id, mode, conversation_id) references conversations (org_id, mode, id) on delete cascade
);

-- After submitting, a participant asks to change their answers; an approver reopens them or says no.
create table conversation_edit_requests (
  org_id bigint not null,
  mode text not null check (mode in ('live', 'test')),
  id bigint not null default nextval('trellis_id_seq'),
  conversation_id bigint not null,
  side text not null check (side in ('manager', 'report')),
  requested_by bigint not null,
  reason text check (char_length(reason) <= 2000),
  status text not null default 'pending' check (status in ('pending', 'approved', 'denied')),
  decided_by bigint,
  decision_note text check (char_length(decision_note) <= 2000),
  decided_at timestamptz,
  created_at timestamptz not null default now(),
  primary key (org_id, mode, id),
  foreign key (org_id, mode, conversation_id) references conversations (org_id, mode, id) on delete cascade
);
create unique index conversation_edit_requests_pending on conversation_edit_requests (org_id, mode, conversation_id, side)
  where status = 'pending';
create index conversation_edit_requests_conversation on conversation_edit_requests (org_id, mode, conversation_id);

-- Goals discussed in a conversation, where its template allows it.
create table conversation_goals (
  org_id bigint not null,
  mode text not null check (mode in ('live', 'test')),
  conversation_id bigint not null,
  goal_id bigint not null,
  added_by bigint not null,
  created_at timestamptz not null default now(),
  primary key (org_id, mode, conversation_id, goal_id),
  foreign key (org_id, mode, conversation_id) references conversations (org_id, mode, id) on delete cascade,
  foreign key (org_id, mode, goal_id) references goals (org_id, mode, id)
);
`,
  );
}
