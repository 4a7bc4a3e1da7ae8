import type { Kysely } from 'kysely';
import { runStatements } from './0001_core.js';

// Sign-in (docs/sign-in.md): a person's password, their server-side sessions, the single-use links that
// invite them or reset their password, the lock-out counters, and the organisation's privacy-notice text.
// Sessions, passwords and links belong to the person's live account: mode is 'live' (kept so that every
// query filters by the tenant the same way). Every secret is stored as its hash only.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
alter table organizations add column privacy_notice_text text not null default '';
alter table organizations add column privacy_notice_updated_at timestamptz;

create table user_passwords (
  org_id bigint not null,
  mode text not null default 'live' check (mode = 'live'),
  user_id bigint not null,
  password_hash text not null,
  changed_at timestamptz not null default now(),
  primary key (org_id, mode, user_id),
  foreign key (org_id, mode, user_id) references users (org_id, mode, id) on delete cascade
);

create table sessions (
  org_id bigint not null,
  mode text not null default 'live' check (mode = 'live'),
  id bigint not null default nextval('trellis_id_seq'),
  user_id bigint not null,
  token_hash bytea not null check (octet_length(token_hash) = 32),
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz,
  user_agent text,
  ip text,
  primary key (org_id, mode, id),
  foreign key (org_id, mode, user_id) references users (org_id, mode, id) on delete cascade
);
create unique index sessions_token_hash on sessions (token_hash);
create index sessions_user on sessions (org_id, mode, user_id);

create table sign_in_links (
  org_id bigint not null,
  mode text not null default 'live' check (mode = 'live'),
  id bigint not null default nextval('trellis_id_seq'),
  user_id bigint not null,
  purpose text not null check (purpose in ('invitation', 'password_reset')),
  token_hash bytea not null check (octet_length(token_hash) = 32),
  created_by bigint,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz,
  primary key (org_id, mode, id),
  foreign key (org_id, mode, user_id) references users (org_id, mode, id) on delete cascade
);
create unique index sign_in_links_token_hash on sign_in_links (token_hash);

-- Failed sign-ins per subject (the SHA-256 of "email:<address>" or "ip:<address>"): not an organisation's
-- data, since an attempt names no organisation and must not reveal whether the account exists.
create table sign_in_throttle (
  subject bytea primary key check (octet_length(subject) = 32),
  failures int not null default 0,
  locked_until timestamptz,
  updated_at timestamptz not null default now()
);
`,
  );
}
