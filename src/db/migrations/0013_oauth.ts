import type { Kysely } from 'kysely';
import { runStatements } from './0001_core.js';

// OAuth 2.0 (docs/oauth.md): apps registered by admins, single-use authorization codes, and the tokens they
// become. An app belongs to one mode, and so do its codes and tokens: a test-mode app acts in the sandbox.
// Instant tokens are rows of oauth_tokens without an app. Every secret (client hash, code, access and refresh
// token) is stored as its SHA-256 only. The person a code or token acts for is their live account, as a key's.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
create table oauth_apps (
  org_id bigint not null references organizations,
  mode text not null check (mode in ('live', 'test')),
  id bigint not null default nextval('trellis_id_seq'),
  name text not null,
  description text not null default '',
  logo_url text,
  redirect_uris jsonb not null,
  contact_email text not null,
  kind text not null check (kind in ('public', 'confidential')),
  client_id text not null,
  secret_hash bytea check (octet_length(secret_hash) = 32),
  previous_secret_hash bytea check (octet_length(previous_secret_hash) = 32),
  previous_secret_expires_at timestamptz,
  created_by bigint,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  revoked_at timestamptz,
  primary key (org_id, mode, id),
  check (kind = 'confidential' or secret_hash is null)
);
create unique index oauth_apps_client_id on oauth_apps (client_id);
create unique index oauth_apps_name on oauth_apps (org_id, mode, lower(name)) where revoked_at is null;

create table oauth_codes (
  org_id bigint not null,
  mode text not null,
  id bigint not null default nextval('trellis_id_seq'),
  app_id bigint not null,
  user_id bigint not null,
  code_hash bytea not null check (octet_length(code_hash) = 32),
  redirect_uri text not null,
  code_challenge text,
  scope text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz,
  primary key (org_id, mode, id),
  foreign key (org_id, mode, app_id) references oauth_apps (org_id, mode, id) on delete cascade
);
create unique index oauth_codes_code_hash on oauth_codes (code_hash);

create table oauth_tokens (
  org_id bigint not null references organizations,
  mode text not null check (mode in ('live', 'test')),
  id bigint not null default nextval('trellis_id_seq'),
  app_id bigint,
  user_id bigint not null,
  name text,
  access_hash bytea not null check (octet_length(access_hash) = 32),
  refresh_hash bytea check (octet_length(refresh_hash) = 32),
  last_four text not null,
  scope text not null,
  code_id bigint,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz,
  last_used_at timestamptz,
  primary key (org_id, mode, id),
  foreign key (org_id, mode, app_id) references oauth_apps (org_id, mode, id) on delete cascade
);
create unique index oauth_tokens_access_hash on oauth_tokens (access_hash);
create unique index oauth_tokens_refresh_hash on oauth_tokens (refresh_hash);
create index oauth_tokens_user on oauth_tokens (org_id, mode, user_id);
create index oauth_tokens_code on oauth_tokens (org_id, mode, code_id);
`,
  );
}
