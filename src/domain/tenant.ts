import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { Mode } from '../db/schema.js';

/** The organisation and mode a query runs in; a Principal is one. */
export interface Tenant {
  orgId: number;
  mode: Mode;
}

/** A mode-scoped table: every such table's key leads with these two columns. */
interface ModeScoped {
  org_id: number;
  mode: Mode;
}

/**
 * `.where(inTenant(t))`, or `.where(inTenant(t, 'tm'))` for a table or alias of a join: the rows of one
 * organisation and mode, as `org_id = $1 and mode = $2`, which every index leads with.
 */
export function inTenant<Table extends string = never>(t: Tenant, table?: Table) {
  const column = (name: string) => sql.ref(table ? `${table}.${name}` : name);
  // The table must be mode-scoped and be one the query reads: a typo fails to compile, not at run time.
  return <DB extends Record<Table, ModeScoped>, TB extends keyof DB>(
    eb: ExpressionBuilder<DB, TB> & ([Table] extends [TB] ? unknown : never),
  ): Expression<SqlBool> => eb.and([eb(column('org_id'), '=', t.orgId), eb(column('mode'), '=', t.mode)]);
}
