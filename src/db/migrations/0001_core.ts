import { type Kysely, sql } from 'kysely';

// Every table leads its primary key with org_id; mode-scoped tables follow it with mode, so that the
// test sandbox can hold a copy of the live directory under the same ids.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
create sequence trellis_id_seq;

create table organizations (
  org_id bigint primary key default nextval('trellis_id_seq'),
  slug text not null unique,
  name text not null,
  privacy_notice_version int not null default 1,
  created_at timestamptz not null default now()
);

create table departments (
  org_id bigint not null references organizations,
  mode text not null check (mode in ('live', 'test')),
  id bigint not null default nextval('trellis_id_seq'),
  name text not null,
  parent_id bigint,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (org_id, mode, id),
  foreign key (org_id, mode, parent_id) references departments (org_id, mode, id)
);
create unique index departments_name on departments (org_id, mode, parent_id, lower(name)) nulls not distinct;

create table users (
  org_id bigint not null references organizations,
  mode text not null check (mode in ('live', 'test')),
  id bigint not null default nextval('trellis_id_seq'),
  employee_id text,
  email text not null,
  first_name text not null,
  last_name text not null,
  preferred_name text,
  title text,
  department_id bigint,
  manager_id bigint,
  location text,
  phone text,
  hire_date date,
  status text not null default 'active' check (status in ('active', 'deactivated')),
  role text not null default 'member' check (role in ('super_admin', 'admin', 'hr_admin', 'member')),
  data_admin boolean not null default false,
  custom_fields jsonb not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  deactivated_at timestamptz,
  primary key (org_id, mode, id),
  foreign key (org_id, mode, department_id) references departments (org_id, mode, id),
  foreign key (org_id, mode, manager_id) references users (org_id, mode, id)
);
create unique index users_email on users (org_id, mode, lower(email));
create unique index users_employee_id on users (org_id, mode, employee_id);
create index users_manager on users (org_id, mode, manager_id);
create index users_department on users (org_id, mode, department_id);

create table user_dotted_managers (
  org_id bigint not null,
  mode text not null,
  user_id bigint not null,
  manager_id bigint not null,
  primary key (org_id, mode, user_id, manager_id),
  foreign key (org_id, mode, user_id) references users (org_id, mode, id) on delete cascade,
  foreign key (org_id, mode, manager_id) references users (org_id, mode, id) on delete cascade
);

create table groups (
  org_id bigint not null references organizations,
  mode text not null check (mode in ('live', 'test')),
  id bigint not null default nextval('trellis_id_seq'),
  name text not null,
  description text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (org_id, mode, id)
);
create unique index groups_name on groups (org_id, mode, lower(name));

create table group_members (
  org_id bigint not null,
  mode text not null,
  group_id bigint not null,
  user_id bigint not null,
  primary key (org_id, mode, group_id, user_id),
  foreign key (org_id, mode, group_id) references groups (org_id, mode, id) on delete cascade,
  foreign key (org_id, mode, user_id) references users (org_id, mode, id) on delete cascade
);

create table teams (
  org_id bigint not null references organizations,
  mode text not null check (mode in ('live', 'test')),
  id bigint not null default nextval('trellis_id_seq'),
  name text not null,
  kind text not null check (kind in ('functional', 'working_group')),
  description text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (org_id, mode, id)
);
create unique index teams_name on teams (org_id, mode, lower(name));

create table team_members (
  org_id bigint not null,
  mode text not null,
  team_id bigint not null,
  user_id bigint not null,
  team_role text not null check (team_role in ('owner', 'manager', 'member')),
  primary key (org_id, mode, team_id, user_id),
  foreign key (org_id, mode, team_id) references teams (org_id, mode, id) on delete cascade,
  foreign key (org_id, mode, user_id) references users (org_id, mode, id) on delete cascade
);

-- An hr_admin sees and manages only the people of these departments (and their sub-departments) and groups.
create table hr_admin_scopes (
  org_id bigint not null,
  mode text not null,
  user_id bigint not null,
  scope_type text not null check (scope_type in ('department', 'group')),
  scope_id bigint not null,
  primary key (org_id, mode, user_id, scope_type, scope_id),
  foreign key (org_id, mode, user_id) references users (org_id, mode, id) on delete cascade
);

-- Privacy-notice acceptance belongs to the person (the live account), whatever the mode of their key.
create table privacy_notice_acceptances (
  org_id bigint not null references organizations,
  user_id bigint not null,
  version int not null,
  accepted_at timestamptz not null default now(),
  primary key (org_id, user_id, version)
);

-- A key belongs to a person: user_id is their live account, whatever the key's mode.
create table api_keys (
  org_id bigint not null references organizations,
  id bigint not null default nextval('trellis_id_seq'),
  user_id bigint not null,
  mode text not null check (mode in ('live', 'test')),
  name text not null,
  key_hash bytea not null,
  last_four text not null,
  status text not null default 'active' check (status in ('active', 'revoked')),
  created_by bigint,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz,
  primary key (org_id, id)
);
create unique index api_keys_hash on api_keys (key_hash);
create unique index api_keys_name on api_keys (org_id, lower(name));

create table audit_events (
  org_id bigint not null references organizations,
  mode text not null,
  id bigint not null default nextval('trellis_id_seq'),
  occurred_at timestamptz not null default now(),
  actor_user_id bigint,
  api_key_id bigint,
  request_id text,
  action text not null,
  object_type text not null,
  object_id bigint,
  changes jsonb not null default '{}',
  primary key (org_id, mode, id)
);
create index audit_events_object on audit_events (org_id, mode, object_type, object_id);

create table idempotency_keys (
  org_id bigint not null references organizations,
  api_key_id bigint not null,
  idempotency_key text not null,
  request_hash text not null,
  status_code int,
  response_body text,
  created_at timestamptz not null default now(),
  primary key (org_id, api_key_id, idempotency_key)
);
`,
  );
}

/** PGlite's extended protocol takes one statement at a time, so a migration script is run statement by statement. */
export async function runStatements(db: Kysely<unknown>, script: string): Promise<void> {
  for (const statement of script.split(/;\s*\n/)) {
    if (statement.trim()) await sql.raw(statement).execute(db);
  }
}
