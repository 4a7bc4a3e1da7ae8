import { CompiledQuery, type Kysely, type RawBuilder, sql } from 'kysely';
import { prepareOnServer, statementName } from './prepared.js';
import type { DB } from './schema.js';

/**
 * A lock statement and the write that needs it, in one round trip and one transaction: the
 * `write_after_lock` function (migration 0019) runs the first, then the second with a snapshot taken once the
 * locks are held, so the write sees every change committed before them, and returns the write's one json
 * value. The locks are held while PostgreSQL runs the two, never across a round trip to this process, which
 * is what bounds a hot row's rate (bench/README.md, checkins). Used where that rate matters; a write that
 * needs this process between its lock and its write takes a transaction as usual.
 *
 * The lock statement answers one json value (what it locked), which the write reads as `lockResult`. Each
 * statement is prepared in the session under a name its text gives, its parameters sent as quoted literals
 * (`literal`): untyped, as a bound parameter is, so PostgreSQL reads each as the type its place asks for.
 */
export async function writeAfterLock<T>(
  db: Kysely<DB>,
  lock: RawBuilder<unknown>,
  write: RawBuilder<unknown>,
): Promise<T | null> {
  const l = prepared(lock, db);
  const w = prepared(write, db);
  const { rows } = await db.executeQuery<{ written: T | null }>({
    ...CALL,
    parameters: [l.name, l.text, l.args, w.name, w.text, w.args],
  });
  return rows[0]?.written ?? null;
}

const CALL = CompiledQuery.raw('select write_after_lock($1, $2, $3, $4, $5, $6) as written');
prepareOnServer(CALL.sql);

/** In the write, the lock statement's json value: the write's last parameter. */
export const lockResult = sql.raw('$lock');

function prepared(statement: RawBuilder<unknown>, db: Kysely<DB>) {
  const compiled = statement.compile(db);
  const text = compiled.sql.replaceAll('$lock', `$${compiled.parameters.length + 1}::json`);
  return { name: statementName(text), text, args: compiled.parameters.map(literal).join(', ') };
}

/** Standard-conforming quoting (PostgreSQL's default): a quote doubled; backslashes only in E'' strings. */
function quoted(text: string) {
  if (!text.includes('\\')) return `'${text.replaceAll("'", "''")}'`;
  return `E'${text.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}

const arrayElement = (value: unknown) =>
  value === null ? 'NULL' : `"${text(value).replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;

/** A parameter as the drivers send it: its text form, which PostgreSQL reads by the type its place asks. */
function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot send ${value} as a parameter`);
    return String(value);
  }
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return `{${value.map(arrayElement).join(',')}}`;
  return JSON.stringify(value);
}

/** A parameter as a literal of an EXECUTE's argument list. */
const literal = (value: unknown) => (value === null || value === undefined ? 'NULL' : quoted(text(value)));
