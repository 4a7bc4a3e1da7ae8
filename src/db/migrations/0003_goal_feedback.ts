import type { Kysely } from 'kysely';
import { runStatements } from './0001_core.js';

// Comments on goals and milestones, assessments at period end, and each organisation's assessment scale.
// author_user_id and assessor_user_id hold the actor's live account id, like created_by on goals.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
-- Per organisation and mode, so that a test key can try a scale without touching live. No row: the defaults.
create table org_settings (
  org_id bigint not null references organizations,
  mode text not null check (mode in ('live', 'test')),
  assessment_scale jsonb,
  updated_at timestamptz not null default now(),
  primary key (org_id, mode)
);

create table goal_comments (
  org_id bigint not null,
  mode text not null check (mode in ('live', 'test')),
  id bigint not null default nextval('trellis_id_seq'),
  goal_id bigint not null,
  milestone_id bigint,
  author_user_id bigint not null,
  body text not null check (char_length(body) between 1 and 4000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  deleted_at timestamptz,
  primary key (org_id, mode, id),
  foreign key (org_id, mode, goal_id) references goals (org_id, mode, id),
  foreign key (org_id, mode, milestone_id) references milestones (org_id, mode, id)
);
create index goal_comments_goal on goal_comments (org_id, mode, goal_id, id);
create index goal_comments_milestone on goal_comments (org_id, mode, milestone_id, id);

create table goal_assessments (
  org_id bigint not null,
  mode text not null check (mode in ('live', 'test')),
  id bigint not null default nextval('trellis_id_seq'),
  goal_id bigint not null,
  assessor_user_id bigint not null,
  assessor_role text not null check (assessor_role in ('self', 'manager', 'team_lead', 'editor', 'admin')),
  score numeric not null,
  scale_min numeric not null,
  scale_max numeric not null,
  comment text check (char_length(comment) <= 4000),
  before_end boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (org_id, mode, id),
  foreign key (org_id, mode, goal_id) references goals (org_id, mode, id),
  check (score between scale_min and scale_max)
);
create unique index goal_assessments_one_each on goal_assessments (org_id, mode, goal_id, assessor_user_id);
`,
  );
}
