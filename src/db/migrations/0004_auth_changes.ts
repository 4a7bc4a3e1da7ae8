import type { Kysely } from 'kysely';
import { runStatements } from './0001_core.js';

// Servers cache who a key belongs to (src/http/principal-cache.ts). Any change to what the auth query reads
// notifies trellis_auth, whoever makes it (another server, the CLI, an operator's SQL), and every listening
// server forgets what it cached. Inserts need no notice: only keys that pass are cached. PostgreSQL sends
// one notice per transaction however many statements fire.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
create function trellis_auth_changed() returns trigger language plpgsql as $$ begin perform pg_notify('trellis_auth', ''); return null; end $$;
create trigger api_keys_auth_changed after update of org_id, user_id, mode, key_hash, status or delete on api_keys for each statement execute function trellis_auth_changed();
create trigger api_keys_auth_truncated after truncate on api_keys for each statement execute function trellis_auth_changed();
create trigger users_auth_changed after update of org_id, mode, id, status, role, data_admin or delete on users for each statement execute function trellis_auth_changed();
create trigger acceptances_auth_changed after update or delete on privacy_notice_acceptances for each statement execute function trellis_auth_changed();
create trigger organizations_auth_changed after update of org_id, privacy_notice_version or delete on organizations for each statement execute function trellis_auth_changed();
`,
  );
}
