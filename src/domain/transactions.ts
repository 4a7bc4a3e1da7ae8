import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.js';

/**
 * Runs a command in a transaction: its own, or the caller's when it is handed one. A command is still one
 * transaction either way; the demo seed runs many commands in its single transaction this way.
 */
export function inTransaction<T>(db: Kysely<DB>, command: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  return db.isTransaction ? command(db as Transaction<DB>) : db.transaction().execute(command);
}
