import type { Kysely } from 'kysely';
import { runStatements } from './0001_core.js';

// Single sign-on through OpenID Connect (docs/sso.md): an organisation's identity provider, and the
// short-lived attempts that match a callback to the browser that started it. Both belong to the live
// account (mode is 'live', kept so that every query filters by the tenant the same way).
// The client secret is kept in clear: it is needed to talk to the provider. It is never returned or logged.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
create table sso_settings (
  org_id bigint not null references organizations,
  mode text not null default 'live' check (mode = 'live'),
  enabled boolean not null default false,
  issuer_url text not null,
  client_id text not null,
  client_secret text not null default '',
  allowed_email_domains jsonb not null default '[]',
  jit_provisioning boolean not null default false,
  password_sign_in boolean not null default true,
  updated_by bigint,
  updated_at timestamptz not null default now(),
  primary key (org_id, mode)
);

-- One row per redirect to the provider: found by the SHA-256 of its state, used once, dead after 10 minutes.
create table sso_attempts (
  org_id bigint not null references organizations,
  mode text not null default 'live' check (mode = 'live'),
  id bigint not null default nextval('trellis_id_seq'),
  state_hash bytea not null check (octet_length(state_hash) = 32),
  nonce text not null,
  code_verifier text not null,
  return_to text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz,
  primary key (org_id, mode, id)
);
create unique index sso_attempts_state_hash on sso_attempts (state_hash);
create index sso_attempts_expires_at on sso_attempts (expires_at);
`,
  );
}
