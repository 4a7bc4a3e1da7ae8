import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, Json, MaybeMoment, Timestamp } from './columns.js';

// Single sign-on through OpenID Connect: an organisation's provider, and the attempts in flight (migration 0014).

type LiveOnly = ColumnType<'live', 'live' | undefined, never>;

export interface SsoSettingsTable {
  org_id: number;
  mode: LiveOnly;
  enabled: boolean;
  issuer_url: string;
  client_id: string;
  /** Kept in clear (the provider needs it); never returned by the API, never logged (docs/sso.md). */
  client_secret: string;
  allowed_email_domains: Json<string[]>;
  jit_provisioning: boolean;
  /** Whether people other than admins may still sign in with a password while SSO is enabled. */
  password_sign_in: boolean;
  updated_by: number | null;
  updated_at: Timestamp;
}

export interface SsoAttemptsTable {
  org_id: number;
  mode: LiveOnly;
  id: Generated<number>;
  state_hash: Buffer;
  nonce: string;
  code_verifier: string;
  /** A path on this server (never another site) to land on after sign-in. */
  return_to: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
  used_at: MaybeMoment;
}

export interface SsoTables {
  sso_settings: SsoSettingsTable;
  sso_attempts: SsoAttemptsTable;
}
