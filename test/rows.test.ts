import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('rows as queries return them', () => {
  it('keep every column under its own name, however it is spelt', async () => {
    const { rows } = await sql<Record<string, unknown>>`
      select 1 as "plain", 'x' as "with ""quotes"" and \\ backslash", null as "}; process.exit(1); {", 2.5 as "ünïcode"`.execute(
      t.db,
    );
    expect(rows).toEqual([
      { plain: 1, 'with "quotes" and \\ backslash': 'x', '}; process.exit(1); {': null, ünïcode: 2.5 },
    ]);
  });

  it('keep a column named __proto__ as a plain property', async () => {
    const { rows } = await sql<Record<string, unknown>>`select 1 as "__proto__", 2 as b`.execute(t.db);
    expect(Object.keys(rows[0] ?? {})).toEqual(['__proto__', 'b']);
  });

  it('keep the last of two columns of one name, as pg does', async () => {
    const { rows } = await sql<{ a: number }>`select 1 as a, 2 as a`.execute(t.db);
    expect(rows).toEqual([{ a: 2 }]);
  });

  it('come back empty, with no columns, and in order for many rows', async () => {
    const none = await sql`select 1 as a where false`.execute(t.db);
    expect(none.rows).toEqual([]);
    const { rows } = await sql<{ n: number }>`select g as n from generate_series(1, 500) g`.execute(t.db);
    expect(rows.map((r) => r.n)).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
  });
});

describe('a query that fails', () => {
  it('rejects with the database error, whose stack leads back to the code that ran the query', async () => {
    async function countTheImpossible() {
      const { rows } = await sql`select 1 / 0 as n`.execute(t.db);
      return rows;
    }
    const error = await countTheImpossible().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe('division by zero');
    expect((error as Error).stack).toContain('countTheImpossible');
  });
});
