import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
import * as m0001 from './migrations/0001_core.js';
import * as m0002 from './migrations/0002_goals.js';
import * as m0003 from './migrations/0003_goal_feedback.js';
import * as m0004 from './migrations/0004_auth_changes.js';
import * as m0005 from './migrations/0005_cursor_secrets.js';
import * as m0006 from './migrations/0006_conversations.js';
import * as m0007 from './migrations/0007_feedback.js';
import * as m0008 from './migrations/0008_recognition.js';
import * as m0009 from './migrations/0009_calibration.js';
import * as m0010 from './migrations/0010_talent_fields.js';
import * as m0011 from './migrations/0011_webhooks.js';
import * as m0012 from './migrations/0012_sign_in.js';
import * as m0013 from './migrations/0013_oauth.js';
import * as m0014 from './migrations/0014_sso.js';
import * as m0015 from './migrations/0015_service_accounts.js';
import * as m0016 from './migrations/0016_webhook_outbox.js';
import * as m0017 from './migrations/0017_datastreams.js';
import * as m0018 from './migrations/0018_unsigned_hooks.js';
import * as m0019 from './migrations/0019_write_after_lock.js';
import * as m0020 from './migrations/0020_stream_descriptions.js';
import * as m0021 from './migrations/0021_checkin_confidence_index.js';
import type { DB } from './schema.js';

/** Listed explicitly so that the built server needs no directory scan; numbered, forward-only. */
const migrations: Record<string, Migration> = {
  '0001_core': m0001,
  '0002_goals': m0002,
  '0003_goal_feedback': m0003,
  '0004_auth_changes': m0004,
  '0005_cursor_secrets': m0005,
  '0006_conversations': m0006,
  '0007_feedback': m0007,
  '0008_recognition': m0008,
  '0009_calibration': m0009,
  '0010_talent_fields': m0010,
  '0011_webhooks': m0011,
  '0012_sign_in': m0012,
  '0013_oauth': m0013,
  '0014_sso': m0014,
  '0015_service_accounts': m0015,
  '0016_webhook_outbox': m0016,
  '0017_datastreams': m0017,
  '0018_unsigned_hooks': m0018,
  '0019_write_after_lock': m0019,
  '0020_stream_descriptions': m0020,
  '0021_checkin_confidence_index': m0021,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Applies pending migrations; Kysely's migrator holds a lock so that concurrent starts apply each once. */
export async function migrate(db: Kysely<DB>): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: 'trellis_migrations',
    migrationLockTableName: 'trellis_migrations_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
