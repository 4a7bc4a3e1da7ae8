import type { Kysely } from 'kysely';
import { runStatements } from './0001_core.js';

// The secrets /v1 signs its list cursors with (src/http/cursor-secrets.ts). They belong to the server, not to
// an organisation, so the key is the secret's own id. The newest signs; a secret verifies until expires_at
// (null: for as long as it is the newest). Rotation sets the older ones' expiry to the end of a grace period.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
create table cursor_secrets (
  id int generated always as identity primary key,
  secret bytea not null check (octet_length(secret) = 32),
  created_at timestamptz not null default now(),
  expires_at timestamptz
);
`,
  );
}
