type Row = Record<string, unknown>;
export type RowMaker = (values: unknown[]) => Row;

const rowMakers = new Map<string, RowMaker>();
const MAX_ROW_MAKERS = 1000;

/**
 * Rows are built from the drivers' array rows by a function compiled once per column list: one object
 * literal, so every row of a query shares one hidden class (V8). The drivers' own rows did not: pg's
 * milestones of the same goal came out with different classes, PGlite's came from Object.fromEntries, and
 * every property access on them (the response's shape check, the progress colours) went megamorphic,
 * which made a page of goals cost a millisecond more. A repeated column keeps its last value, as in the
 * drivers' rows. Column names come from our own SQL and are written as JSON string literals.
 */
export function rowMaker(names: readonly string[]): RowMaker {
  const key = names.join('\u0000');
  let make = rowMakers.get(key);
  if (!make) {
    // `"__proto__": x` in a literal would set the prototype; a computed key makes it a plain property.
    const name = (n: string) => (n === '__proto__' ? '["__proto__"]' : JSON.stringify(n));
    const properties = names.map((n, i) => `${name(n)}: v[${i}]`).join(', ');
    make = new Function('v', `return { ${properties} };`) as RowMaker;
    if (rowMakers.size < MAX_ROW_MAKERS) rowMakers.set(key, make);
  }
  return make;
}

/** A result's array rows as objects. */
export const rowsOf = (fields: readonly { name: string }[], rows: unknown[][]) =>
  rows.map(rowMaker(fields.map((f) => f.name)));
