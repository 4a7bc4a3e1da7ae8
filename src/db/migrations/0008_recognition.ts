import type { Kysely } from 'kysely';
import { runStatements } from './0001_core.js';

// Recognition (issue 15): company values, recognitions with their receivers and hashtags, reactions and
// comments. giver_user_id, user_id and author_user_id hold the actor's id in the mode, like goal comments.
// Receivers are written one row each at write time (a team is expanded to its members then).
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
create table company_values (
  org_id bigint not null,
  mode text not null check (mode in ('live', 'test')),
  id bigint not null default nextval('trellis_id_seq'),
  name text not null check (char_length(name) between 1 and 100),
  description text check (char_length(description) <= 2000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  deleted_at timestamptz,
  primary key (org_id, mode, id)
);
create unique index company_values_name on company_values (org_id, mode, lower(name)) where deleted_at is null;

create table recognitions (
  org_id bigint not null,
  mode text not null check (mode in ('live', 'test')),
  id bigint not null default nextval('trellis_id_seq'),
  giver_user_id bigint not null,
  message text not null check (char_length(message) between 1 and 2000),
  visibility text not null default 'public' check (visibility in ('public', 'private')),
  company_value_id bigint,
  goal_id bigint,
  team_id bigint,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  deleted_at timestamptz,
  primary key (org_id, mode, id),
  foreign key (org_id, mode, giver_user_id) references users (org_id, mode, id),
  foreign key (org_id, mode, company_value_id) references company_values (org_id, mode, id),
  foreign key (org_id, mode, goal_id) references goals (org_id, mode, id)
);
create index recognitions_giver on recognitions (org_id, mode, giver_user_id, id);
create index recognitions_created on recognitions (org_id, mode, created_at);

create table recognition_receivers (
  org_id bigint not null,
  mode text not null check (mode in ('live', 'test')),
  recognition_id bigint not null,
  user_id bigint not null,
  primary key (org_id, mode, recognition_id, user_id),
  foreign key (org_id, mode, recognition_id) references recognitions (org_id, mode, id),
  foreign key (org_id, mode, user_id) references users (org_id, mode, id)
);
create index recognition_receivers_user on recognition_receivers (org_id, mode, user_id, recognition_id);

create table recognition_hashtags (
  org_id bigint not null,
  mode text not null check (mode in ('live', 'test')),
  recognition_id bigint not null,
  hashtag text not null check (hashtag ~ '^[a-z0-9_]{1,50}$'),
  primary key (org_id, mode, recognition_id, hashtag),
  foreign key (org_id, mode, recognition_id) references recognitions (org_id, mode, id)
);
create index recognition_hashtags_tag on recognition_hashtags (org_id, mode, hashtag, recognition_id);

create table recognition_reactions (
  org_id bigint not null,
  mode text not null check (mode in ('live', 'test')),
  id bigint not null default nextval('trellis_id_seq'),
  recognition_id bigint not null,
  user_id bigint not null,
  kind text not null,
  created_at timestamptz not null default now(),
  primary key (org_id, mode, id),
  foreign key (org_id, mode, recognition_id) references recognitions (org_id, mode, id)
);
create unique index recognition_reactions_one_each
  on recognition_reactions (org_id, mode, recognition_id, user_id, kind);

create table recognition_comments (
  org_id bigint not null,
  mode text not null check (mode in ('live', 'test')),
  id bigint not null default nextval('trellis_id_seq'),
  recognition_id bigint not null,
  author_user_id bigint not null,
  body text not null check (char_length(body) between 1 and 2000),
  created_at timestamptz not null default now(),
  deleted_at timestamptz,
  primary key (org_id, mode, id),
  foreign key (org_id, mode, recognition_id) references recognitions (org_id, mode, id)
);
create index recognition_comments_recognition on recognition_comments (org_id, mode, recognition_id, id);
`,
  );
}
