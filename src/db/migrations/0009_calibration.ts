import type { Kysely } from 'kysely';
import { runStatements } from './0001_core.js';

// Calibration (issue 15): cycles with their scales and population, sessions and their facilitators,
// one talent record per person per cycle (made when the cycle opens), and every change to a record.
// Ratings are stored as the scale level's label; the cycle's scales are fixed once it opens.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
create table calibration_cycles (
  org_id bigint not null,
  mode text not null check (mode in ('live', 'test')),
  id bigint not null default nextval('trellis_id_seq'),
  name text not null check (char_length(name) between 1 and 200),
  period_id bigint,
  state text not null default 'draft' check (state in ('draft', 'open', 'locked', 'closed')),
  performance_levels jsonb not null,
  potential_levels jsonb not null,
  target_distribution jsonb,
  publish_to_person boolean not null default false,
  audience text not null check (audience in ('everyone', 'departments', 'groups', 'people')),
  audience_ids jsonb not null default '[]',
  created_by bigint not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  opened_at timestamptz,
  locked_at timestamptz,
  closed_at timestamptz,
  primary key (org_id, mode, id),
  foreign key (org_id, mode, period_id) references periods (org_id, mode, id)
);

create table calibration_sessions (
  org_id bigint not null,
  mode text not null check (mode in ('live', 'test')),
  id bigint not null default nextval('trellis_id_seq'),
  cycle_id bigint not null,
  name text not null check (char_length(name) between 1 and 200),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (org_id, mode, id),
  foreign key (org_id, mode, cycle_id) references calibration_cycles (org_id, mode, id)
);
create unique index calibration_sessions_name on calibration_sessions (org_id, mode, cycle_id, lower(name));

create table calibration_session_facilitators (
  org_id bigint not null,
  mode text not null check (mode in ('live', 'test')),
  session_id bigint not null,
  user_id bigint not null,
  primary key (org_id, mode, session_id, user_id),
  foreign key (org_id, mode, session_id) references calibration_sessions (org_id, mode, id),
  foreign key (org_id, mode, user_id) references users (org_id, mode, id)
);
create index calibration_session_facilitators_user on calibration_session_facilitators (org_id, mode, user_id);

create table calibration_talent_records (
  org_id bigint not null,
  mode text not null check (mode in ('live', 'test')),
  id bigint not null default nextval('trellis_id_seq'),
  cycle_id bigint not null,
  user_id bigint not null,
  manager_id bigint,
  session_id bigint,
  proposed_performance text check (char_length(proposed_performance) <= 100),
  proposed_potential text check (char_length(proposed_potential) <= 100),
  proposed_by bigint,
  calibrated_performance text check (char_length(calibrated_performance) <= 100),
  calibrated_potential text check (char_length(calibrated_potential) <= 100),
  calibrated_by bigint,
  notes text check (char_length(notes) <= 5000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (org_id, mode, id),
  foreign key (org_id, mode, cycle_id) references calibration_cycles (org_id, mode, id),
  foreign key (org_id, mode, user_id) references users (org_id, mode, id),
  foreign key (org_id, mode, session_id) references calibration_sessions (org_id, mode, id)
);
create unique index calibration_talent_records_person on calibration_talent_records (org_id, mode, cycle_id, user_id);
create index calibration_talent_records_manager on calibration_talent_records (org_id, mode, manager_id);
create index calibration_talent_records_session on calibration_talent_records (org_id, mode, session_id);

create table calibration_talent_record_changes (
  org_id bigint not null,
  mode text not null check (mode in ('live', 'test')),
  id bigint not null default nextval('trellis_id_seq'),
  record_id bigint not null,
  field text not null,
  from_value text,
  to_value text,
  changed_by bigint not null,
  changed_at timestamptz not null default now(),
  primary key (org_id, mode, id),
  foreign key (org_id, mode, record_id) references calibration_talent_records (org_id, mode, id)
);
create index calibration_talent_record_changes_record on calibration_talent_record_changes (org_id, mode, record_id, id);
`,
  );
}
