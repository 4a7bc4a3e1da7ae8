import type { Generated } from 'kysely';
import type { CreatedAt, Json, MaybeMoment, Mode, Timestamp } from './columns.js';

// OAuth apps, their authorization codes, and the tokens (OAuth and instant) they issue (migration 0013).

export type OAuthAppKind = 'public' | 'confidential';

export interface OAuthAppsTable {
  org_id: number;
  mode: Mode;
  id: Generated<number>;
  name: string;
  description: string;
  logo_url: string | null;
  redirect_uris: Json<string[]>;
  contact_email: string;
  kind: OAuthAppKind;
  client_id: string;
  /** SHA-256 of the client hash (the secret); null for a public app, which has none. */
  secret_hash: Buffer | null;
  /** The hash before the last rotation, accepted until previous_secret_expires_at. */
  previous_secret_hash: Buffer | null;
  previous_secret_expires_at: MaybeMoment;
  created_by: number | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
  revoked_at: MaybeMoment;
}

export interface OAuthCodesTable {
  org_id: number;
  mode: Mode;
  id: Generated<number>;
  app_id: number;
  user_id: number;
  code_hash: Buffer;
  redirect_uri: string;
  /** The PKCE S256 challenge, when the request sent one. */
  code_challenge: string | null;
  scope: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
  used_at: MaybeMoment;
}

export interface OAuthTokensTable {
  org_id: number;
  mode: Mode;
  id: Generated<number>;
  /** Null for an instant token, which a person makes for their own scripts. */
  app_id: number | null;
  user_id: number;
  /** An instant token's name; null for an app's. */
  name: string | null;
  access_hash: Buffer;
  refresh_hash: Buffer | null;
  last_four: string;
  scope: string;
  /** The authorization code the grant came from: a reused code revokes every token of it. */
  code_id: number | null;
  created_at: CreatedAt;
  expires_at: Timestamp;
  revoked_at: MaybeMoment;
  last_used_at: MaybeMoment;
}

export interface OAuthTables {
  oauth_apps: OAuthAppsTable;
  oauth_codes: OAuthCodesTable;
  oauth_tokens: OAuthTokensTable;
}
