import type { Config } from '../config.js';
import { connect, type Database } from '../db/connect.js';
import { migrate } from '../db/migrate.js';
import { lockDataDir } from './lock.js';

/**
 * Opens the configured database (taking the PGlite directory's lock) and brings its schema up to date.
 * Every command migrates: Kysely's migrator holds a lock on PostgreSQL, so processes may start together.
 */
export interface OpenDatabase extends Database {
  /** The migrations this start applied. */
  applied: string[];
}

export async function openDatabase(config: Config): Promise<OpenDatabase> {
  if (config.database.engine === 'postgres') {
    const database = await connect({ databaseUrl: config.database.url, poolSize: config.poolSize });
    return migrated(database, () => {});
  }
  const release = lockDataDir(config.database.dataDir);
  try {
    const database = await connect({ dataDir: config.database.dataDir });
    return migrated(database, release);
  } catch (error) {
    release();
    throw error;
  }
}

async function migrated(database: Database, release: () => void): Promise<OpenDatabase> {
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    try {
      await database.close();
    } finally {
      release();
    }
  };
  try {
    return { ...database, close, applied: await migrate(database.db) };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Runs a command against the database and always closes it (and releases the PGlite lock). */
export async function withDatabase<T>(config: Config, run: (database: Database) => Promise<T>): Promise<T> {
  const database = await openDatabase(config);
  try {
    return await run(database);
  } finally {
    await database.close();
  }
}
