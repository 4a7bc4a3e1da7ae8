import type { Kysely } from 'kysely';
import { runStatements } from './0001_core.js';

// Goals, milestones and check-ins. Ids come from the one sequence, so a goal id and a milestone id never
// collide: the Betterworks face serves both at goals/{id}/. created_by, updated_by and checkins.user_id hold
// the actor's live account id (as audit_events does), so they carry no foreign key.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
create table periods (
  org_id bigint not null references organizations,
  mode text not null check (mode in ('live', 'test')),
  id bigint not null default nextval('trellis_id_seq'),
  name text not null,
  starts_on date not null,
  ends_on date not null,
  parent_id bigint,
  status text not null default 'open' check (status in ('open', 'closed')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  closed_at timestamptz,
  primary key (org_id, mode, id),
  foreign key (org_id, mode, parent_id) references periods (org_id, mode, id),
  check (starts_on <= ends_on)
);
create unique index periods_name on periods (org_id, mode, lower(name));
create index periods_parent on periods (org_id, mode, parent_id);

create table goals (
  org_id bigint not null references organizations,
  mode text not null check (mode in ('live', 'test')),
  id bigint not null default nextval('trellis_id_seq'),
  name text not null,
  description text check (char_length(description) <= 2048),
  goal_type text not null check (goal_type in ('company', 'department', 'team', 'personal')),
  owner_user_id bigint,
  owner_team_id bigint,
  owner_department_id bigint,
  period_id bigint,
  starts_on date not null,
  ends_on date not null,
  visibility text not null default 'public' check (visibility in ('public', 'private', 'teams')),
  status text not null default 'open' check (status in ('open', 'closed', 'archived')),
  parent_id bigint,
  progress_source text not null default 'milestones' check (progress_source in ('milestones', 'children')),
  progress numeric(6, 3) not null default 0 check (progress between 0 and 100),
  last_checkin_at timestamptz,
  custom_fields jsonb not null default '{}',
  created_by bigint,
  updated_by bigint,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  deleted_at timestamptz,
  primary key (org_id, mode, id),
  foreign key (org_id, mode, owner_user_id) references users (org_id, mode, id),
  foreign key (org_id, mode, owner_team_id) references teams (org_id, mode, id),
  foreign key (org_id, mode, owner_department_id) references departments (org_id, mode, id),
  foreign key (org_id, mode, period_id) references periods (org_id, mode, id),
  foreign key (org_id, mode, parent_id) references goals (org_id, mode, id),
  check (num_nonnulls(owner_user_id, owner_team_id, owner_department_id) = 1),
  check (starts_on <= ends_on),
  check (parent_id <> id)
);
create index goals_parent on goals (org_id, mode, parent_id);
create index goals_owner_user on goals (org_id, mode, owner_user_id);
create index goals_owner_team on goals (org_id, mode, owner_team_id);
create index goals_owner_department on goals (org_id, mode, owner_department_id);
create index goals_period on goals (org_id, mode, period_id);
create index goals_updated on goals (org_id, mode, updated_at);

create table goal_contributors (
  org_id bigint not null,
  mode text not null,
  goal_id bigint not null,
  user_id bigint not null,
  can_edit boolean not null default false,
  created_at timestamptz not null default now(),
  primary key (org_id, mode, goal_id, user_id),
  foreign key (org_id, mode, goal_id) references goals (org_id, mode, id) on delete cascade,
  foreign key (org_id, mode, user_id) references users (org_id, mode, id) on delete cascade
);
create index goal_contributors_user on goal_contributors (org_id, mode, user_id);

-- The teams a goal with visibility 'teams' is limited to.
create table goal_teams (
  org_id bigint not null,
  mode text not null,
  goal_id bigint not null,
  team_id bigint not null,
  primary key (org_id, mode, goal_id, team_id),
  foreign key (org_id, mode, goal_id) references goals (org_id, mode, id) on delete cascade,
  foreign key (org_id, mode, team_id) references teams (org_id, mode, id) on delete cascade
);

create table goal_categories (
  org_id bigint not null,
  mode text not null,
  goal_id bigint not null,
  name text not null,
  primary key (org_id, mode, goal_id, name),
  foreign key (org_id, mode, goal_id) references goals (org_id, mode, id) on delete cascade
);

create table goal_tags (
  org_id bigint not null,
  mode text not null,
  goal_id bigint not null,
  name text not null,
  primary key (org_id, mode, goal_id, name),
  foreign key (org_id, mode, goal_id) references goals (org_id, mode, id) on delete cascade
);

create table milestones (
  org_id bigint not null,
  mode text not null check (mode in ('live', 'test')),
  id bigint not null default nextval('trellis_id_seq'),
  goal_id bigint not null,
  owner_user_id bigint not null,
  name text not null,
  description text check (char_length(description) <= 2048),
  unit text not null default 'number' check (unit in ('number', 'percent', 'currency', 'binary')),
  currency_code text check (currency_code ~ '^[A-Z]{3}$'),
  start_value numeric not null default 0,
  target_value numeric not null,
  current_value numeric not null,
  direction text not null check (direction in ('increase', 'decrease', 'range')),
  range_yellow numeric check (range_yellow >= 0),
  range_red numeric check (range_red >= 0),
  weight numeric not null default 1 check (weight >= 0),
  update_interval text not null default 'weekly'
    check (update_interval in ('daily', 'weekly', 'monthly', 'quarterly')),
  confidence numeric(4, 3) check (confidence between 0 and 1),
  progress numeric(6, 3) not null default 0 check (progress between 0 and 100),
  position int not null default 0,
  status text not null default 'open' check (status in ('open', 'closed')),
  starts_on date,
  ends_on date,
  last_checkin_at timestamptz,
  created_by bigint,
  updated_by bigint,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  deleted_at timestamptz,
  primary key (org_id, mode, id),
  foreign key (org_id, mode, goal_id) references goals (org_id, mode, id),
  foreign key (org_id, mode, owner_user_id) references users (org_id, mode, id),
  check ((unit = 'currency') = (currency_code is not null)),
  check ((direction = 'range') = (range_yellow is not null and range_red is not null)),
  check (range_red >= range_yellow)
);
create index milestones_goal on milestones (org_id, mode, goal_id);
create index milestones_owner on milestones (org_id, mode, owner_user_id);
create index milestones_updated on milestones (org_id, mode, updated_at);

-- The immutable history of progress updates; a trigger refuses any UPDATE (deletes stay possible for the sandbox reset).
create table checkins (
  org_id bigint not null,
  mode text not null check (mode in ('live', 'test')),
  id bigint not null default nextval('trellis_id_seq'),
  goal_id bigint not null,
  milestone_id bigint,
  user_id bigint not null,
  api_key_id bigint,
  request_id text,
  value numeric,
  comment text check (char_length(comment) <= 4000),
  confidence numeric(4, 3) check (confidence between 0 and 1),
  closed_period_override boolean not null default false,
  checked_in_at timestamptz not null,
  created_at timestamptz not null default now(),
  primary key (org_id, mode, id),
  foreign key (org_id, mode, goal_id) references goals (org_id, mode, id),
  foreign key (org_id, mode, milestone_id) references milestones (org_id, mode, id),
  check (value is not null or comment is not null or confidence is not null)
);
create index checkins_goal on checkins (org_id, mode, goal_id, checked_in_at desc, id desc);
create index checkins_milestone on checkins (org_id, mode, milestone_id, checked_in_at desc, id desc);

create function checkins_immutable() returns trigger language plpgsql as $$ begin raise exception 'check-ins are immutable'; end $$;
create trigger checkins_no_update before update on checkins for each row execute function checkins_immutable();
`,
  );
}
