import { createHash } from 'node:crypto';
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';

/**
 * Hot queries whose text never changes, only their parameters (authentication runs one on every request).
 * On PostgreSQL they run as named prepared statements, so that each connection parses and plans them once
 * rather than on every call. Behind PgBouncer in transaction mode this needs PgBouncer 1.21 or later with
 * max_prepared_statements set.
 */
const statementNames = new Map<string, string>();

export function prepareOnServer(sqlText: string) {
  if (statementNames.has(sqlText)) return;
  statementNames.set(sqlText, `trellis_${createHash('sha256').update(sqlText).digest('hex').slice(0, 24)}`);
}

type Row = Record<string, unknown>;
const rowMakers = new Map<string, (values: unknown[]) => Row>();
const MAX_ROW_MAKERS = 1000;

/**
 * Rows are built by a function compiled once per column list: one object literal, so every row of a query
 * shares one hidden class (V8). pg's own rows did not: milestones of the same goal came out with different
 * classes, and every property access on them (the response's shape check, the progress colours) went
 * megamorphic, which made a page of goals cost a millisecond more. A repeated column keeps its last value,
 * as in pg's rows. Column names come from our own SQL and are written as JSON string literals.
 */
function rowMaker(fields: pg.FieldDef[]): (values: unknown[]) => Row {
  const key = fields.map((f) => f.name).join('\u0000');
  let make = rowMakers.get(key);
  if (!make) {
    // `"__proto__": x` in a literal would set the prototype; a computed key makes it a plain property.
    const name = (f: pg.FieldDef) => (f.name === '__proto__' ? '["__proto__"]' : JSON.stringify(f.name));
    const properties = fields.map((f, i) => `${name(f)}: v[${i}]`).join(', ');
    make = new Function('v', `return { ${properties} };`) as (values: unknown[]) => Row;
    if (rowMakers.size < MAX_ROW_MAKERS) rowMakers.set(key, make);
  }
  return make;
}

/** The pg pool as Kysely sees it, sending the registered texts as named statements. */
export function preparingPool(pool: pg.Pool): PostgresPool {
  // One wrapper per pg client: Kysely keys its connection objects by client identity.
  const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const wrap = (client: pg.PoolClient): PostgresPoolClient => ({
    // Kysely's type also declares a cursor overload, used only with the dialect's cursor option: not set.
    query: (async (text: string, parameters: readonly unknown[]) => {
      const name = statementNames.get(text);
      const result = await client.query({
        ...(name && { name }),
        text,
        values: [...parameters],
        rowMode: 'array',
      });
      return { ...result, rows: result.rows.map(rowMaker(result.fields)) };
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
