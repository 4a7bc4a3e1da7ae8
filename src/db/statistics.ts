import { sql, type Transaction } from 'kysely';
import type { DB } from './schema.js';

/**
 * Without statistics (a fresh table, or one filled inside the current transaction; PGlite has no
 * autovacuum) PostgreSQL cannot tell `(org_id, mode, id)` from any other index that leads with
 * `(org_id, mode)`, and may find a row by id, or check a foreign key, by scanning the whole organisation
 * through the wrong one: quadratic over a bulk write. A bulk write calls this once it has written `rows`
 * rows to `table`; the table is analysed (its own uncommitted rows included) when its statistics know
 * fewer rows than that.
 */
export async function refreshStatistics(trx: Transaction<DB>, table: keyof DB, rows: number) {
  const { rows: found } = await sql<{ reltuples: number }>`
    select reltuples from pg_class where oid = ${table}::regclass`.execute(trx);
  const known = Number(found[0]?.reltuples ?? -1);
  if (known <= 0 || known < rows) await sql`analyze ${sql.table(table)}`.execute(trx);
}
