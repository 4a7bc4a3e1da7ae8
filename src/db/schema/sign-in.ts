import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, MaybeMoment, Timestamp } from './columns.js';

// Sign-in: passwords, sessions, invitation and reset links, lock-out counters (migration 0012).

type LiveOnly = ColumnType<'live', 'live' | undefined, never>;

export interface UserPasswordsTable {
  org_id: number;
  mode: LiveOnly;
  user_id: number;
  /** scrypt$N$r$p$salt$hash (base64url), so that the parameters can be raised later. */
  password_hash: string;
  changed_at: Timestamp;
}

export interface SessionsTable {
  org_id: number;
  mode: LiveOnly;
  id: Generated<number>;
  user_id: number;
  token_hash: Buffer;
  created_at: CreatedAt;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: MaybeMoment;
  user_agent: string | null;
  ip: string | null;
}

export type SignInLinkPurpose = 'invitation' | 'password_reset';

export interface SignInLinksTable {
  org_id: number;
  mode: LiveOnly;
  id: Generated<number>;
  user_id: number;
  purpose: SignInLinkPurpose;
  token_hash: Buffer;
  created_by: number | null;
  created_at: CreatedAt;
  expires_at: Timestamp;
  used_at: MaybeMoment;
}

export interface SignInThrottleTable {
  subject: Buffer;
  failures: number;
  locked_until: MaybeMoment;
  updated_at: Timestamp;
}

export interface SignInTables {
  user_passwords: UserPasswordsTable;
  sessions: SessionsTable;
  sign_in_links: SignInLinksTable;
  sign_in_throttle: SignInThrottleTable;
}
