import { createHash } from 'node:crypto';
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';
import { rowsOf } from './rows.js';

/**
 * Hot queries whose text never changes, only their parameters (authentication runs one on every request).
 * On PostgreSQL they run as named prepared statements, so that each connection parses and plans them once
 * rather than on every call. Behind PgBouncer in transaction mode this needs PgBouncer 1.21 or later with
 * max_prepared_statements set.
 */
const statementNames = new Map<string, string>();

/** A statement's name on the server: the same text, the same name, in every session. */
export const statementName = (sqlText: string) =>
  `trellis_${createHash('sha256').update(sqlText).digest('hex').slice(0, 24)}`;

export function prepareOnServer(sqlText: string) {
  if (statementNames.has(sqlText)) return;
  statementNames.set(sqlText, statementName(sqlText));
}

/**
 * The pg pool as Kysely sees it, sending the registered texts as named statements. Queries go through pg's
 * callback form, as its own Pool#query does: through its promise form, every result stayed reachable past
 * its request as far as V8's young-generation collector could tell, so the rows of every page were promoted
 * to the old generation and freed only by full collections (a users page: 68 KB of 400 promoted, scavenges
 * 8 ms instead of 2; see Speed in docs/decisions.md).
 */
export function preparingPool(pool: pg.Pool): PostgresPool {
  // One wrapper per pg client: Kysely keys its connection objects by client identity.
  const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const wrap = (client: pg.PoolClient): PostgresPoolClient => ({
    // Kysely's type also declares a cursor overload, used only with the dialect's cursor option: not set.
    query: ((text: string, parameters: readonly unknown[]) => {
      const name = statementNames.get(text);
      const config = { ...(name && { name }), text, values: [...parameters], rowMode: 'array' as const };
      return new Promise((resolve, reject) => {
        client.query(config, (error: Error | null, result: pg.QueryArrayResult) => {
          if (error) reject(error);
          else resolve({ ...result, rows: rowsOf(result.fields, result.rows) });
        });
      });
    }) as unknown as PostgresPoolClient['query'],
    release: () => client.release(),
  });
  return {
    connect: async () => {
      const client = await pool.connect();
      let wrapper = wrappers.get(client);
      if (!wrapper) {
        wrapper = wrap(client);
        wrappers.set(client, wrapper);
      }
      return wrapper;
    },
    end: () => pool.end(),
  };
}
