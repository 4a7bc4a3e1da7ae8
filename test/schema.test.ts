import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './harness.js';

/**
 * CONVENTIONS: every table leads its primary key with org_id. Read from the migrated database's catalogue
 * (the same query on PGlite and PostgreSQL), so a new table that breaks the rule fails here.
 */
let t: TestApp;
let primaryKeys: Map<string, string[]>;
let tables: string[];

/**
 * Kysely's own bookkeeping tables (migrate.ts names them), the server's cursor-signing secrets
 * (docs/decisions.md) and the sign-in lock-out counters, keyed by email or address because a sign-in
 * attempt names no organisation (docs/sign-in.md): they belong to no organisation.
 */
const EXEMPT = ['trellis_migrations', 'trellis_migrations_lock', 'cursor_secrets', 'sign_in_throttle'];

beforeAll(async () => {
  t = await startTestApp();
  const keys = await sql<{ table_name: string; columns: string[] }>`
    select c.relname::text as table_name, array_agg(a.attname::text order by k.ord) as columns
    from pg_index i
    join pg_class c on c.oid = i.indrelid
    join pg_namespace n on n.oid = c.relnamespace
    cross join lateral unnest(i.indkey) with ordinality as k(attnum, ord)
    join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum
    where i.indisprimary and n.nspname = current_schema()
    group by c.relname`.execute(t.db);
  primaryKeys = new Map(keys.rows.map((r) => [r.table_name, r.columns]));
  const all = await sql<{ table_name: string }>`
    select table_name::text as table_name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(t.db);
  tables = all.rows.map((r) => r.table_name).sort();
}, 120_000);
afterAll(() => t.close());

describe('the schema', () => {
  it('has the tables the rule is about, and the exempt ones are really there', () => {
    expect(tables).toEqual(
      expect.arrayContaining(['organizations', 'users', 'api_keys', 'goals', ...EXEMPT]),
    );
  });

  it('gives every table a primary key', () => {
    expect(tables.filter((table) => !primaryKeys.has(table))).toEqual([]);
  });

  it('leads every primary key with org_id, except the server’s own tables', () => {
    const offenders = tables
      .filter((table) => !EXEMPT.includes(table))
      .filter((table) => primaryKeys.get(table)?.[0] !== 'org_id')
      .map((table) => `${table} (${primaryKeys.get(table)?.join(', ')})`);
    expect(offenders).toEqual([]);
  });

  it('puts mode second in the key of every mode-scoped table (docs/decisions.md)', () => {
    const offenders = tables
      .filter((table) => primaryKeys.get(table)?.includes('mode'))
      .filter((table) => primaryKeys.get(table)?.[1] !== 'mode')
      .map((table) => `${table} (${primaryKeys.get(table)?.join(', ')})`);
    expect(offenders).toEqual([]);
  });
});

describe('the connection', () => {
  // A member's goal list costs 0.07 s without JIT and 0.9 s with it (src/db/connect.ts).
  it.runIf(process.env.TEST_DATABASE_URL)('turns JIT off on every PostgreSQL connection', async () => {
    const settings = await Promise.all(
      [1, 2, 3].map(() => sql<{ jit: string }>`show jit`.execute(t.db).then((r) => r.rows[0]?.jit)),
    );
    expect(settings).toEqual(['off', 'off', 'off']);
  });
});
