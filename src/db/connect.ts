import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { type ListenHandlers, listenPGlite, listenPostgres, type Unlisten } from './listen.js';
import { PGliteDialect } from './pglite-dialect.js';
import { preparingPool } from './prepared.js';
import type { DB } from './schema.js';

export type Engine = 'pglite' | 'postgres';

export interface Database {
  db: Kysely<DB>;
  engine: Engine;
  /** Hears NOTIFY on `channel` until the database is closed. */
  listen(channel: string, handlers: ListenHandlers): Promise<void>;
  close(): Promise<void>;
}

/** Each listener is stopped before the database closes. */
function listeners() {
  const all: Unlisten[] = [];
  return {
    add: (unlisten: Unlisten) => void all.push(unlisten),
    stopAll: () => Promise.all(all.splice(0).map((unlisten) => unlisten())),
  };
}

const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;
const INT8_ARRAY = 1016;
const TIMESTAMPTZ = 1184;

const parseTimestamptz = pg.types.getTypeParser(TIMESTAMPTZ, 'text') as (v: string) => Date | number;

/**
 * A moment as the API writes it: ISO 8601 in UTC to the millisecond (what Date#toISOString gives, the
 * microseconds truncated as a Date would). Sessions run in UTC, so PostgreSQL's text needs only its
 * punctuation changed; any other form goes through a Date. Strings rather than Dates: building a Date for
 * every timestamp and JSON.stringify calling toJSON on each made a page of goals cost twice what it does.
 */
export function momentOf(text: string): string {
  // 'YYYY-MM-DD HH:MM:SS[.f{1,6}]+00' by position, without a regular expression's match arrays: a page of
  // goals parses hundreds of these.
  const end = text.length - 3;
  if (end >= 19 && text[10] === ' ' && text.endsWith('+00') && (end === 19 || text[19] === '.')) {
    const fraction = end === 19 ? '000' : text.slice(20, Math.min(end, 23)).padEnd(3, '0');
    return `${text.slice(0, 10)}T${text.slice(11, 19)}.${fraction}Z`;
  }
  // pg's parser takes PostgreSQL's text forms; json's (`2026-12-08T01:02:03.456789+00:00`) is ISO 8601.
  const parsed = parseTimestamptz(text);
  const date = parsed instanceof Date && Number.isFinite(parsed.getTime()) ? parsed : new Date(text);
  return Number.isFinite(date.getTime()) ? date.toISOString() : text;
}

/**
 * ids are bigint in SQL and plain numbers in JS (safe below 2^53), lists of ids too (`{1,2}`: no quoting,
 * no nulls in the lists we select; PGlite parses array elements with INT8's parser, node-pg leaves strings);
 * dates stay 'YYYY-MM-DD' strings and moments become ISO 8601 strings (momentOf).
 */
export const parsers = {
  [INT8]: (v: string) => Number(v),
  [INT8_ARRAY]: (v: string) => (v === '{}' ? [] : v.slice(1, -1).split(',').map(Number)),
  [NUMERIC]: (v: string) => Number(v),
  [DATE]: (v: string) => v,
  [TIMESTAMPTZ]: momentOf,
};

export interface ConnectOptions {
  databaseUrl?: string | undefined;
  /** PGlite's directory; undefined keeps the data in memory. */
  dataDir?: string | undefined;
  poolSize?: number;
}

export async function connect(options: ConnectOptions): Promise<Database> {
  if (options.databaseUrl) return connectPostgres(options.databaseUrl, options.poolSize ?? 10);
  // One options object: PGlite drops the second argument when dataDir is undefined (in-memory).
  const pglite = new PGlite({ dataDir: options.dataDir, parsers });
  await pglite.waitReady;
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
  const listening = listeners();
  return {
    db,
    engine: 'pglite',
    listen: async (channel, handlers) => listening.add(await listenPGlite(pglite, channel, handlers)),
    close: async () => {
      await listening.stopAll();
      await db.destroy();
    },
  };
}

function connectPostgres(connectionString: string, max: number): Database {
  const pool = new pg.Pool({
    connectionString,
    max,
    types: {
      getTypeParser: (oid, format) =>
        parsers[oid as keyof typeof parsers] ?? pg.types.getTypeParser(oid, format),
    },
  });
  // A pooled connection that dies while idle (server restart, an administrator's termination) makes the
  // pool emit 'error'; unheard, Node would end the process. The pool has already dropped that connection
  // and opens a fresh one on demand, so saying so is all there is to do.
  pool.on('error', (error) => {
    process.emitWarning(`An idle PostgreSQL connection failed and was replaced: ${error.message}`);
  });
  // JIT compiling costs about 0.6 s a query and pays off only for long analytical scans. The recursive
  // reports query makes PostgreSQL's estimates huge enough to trigger it on a member's goal list, so a
  // page of goals took 0.9 s instead of 0.07 s. pg runs this before any other query on the connection.
  // Moments come back in UTC whatever the server's TimeZone, which keeps momentOf on its fast path.
  pool.on('connect', (client) => {
    client.query("set jit = off; set time zone 'UTC'").catch(() => {});
  });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: preparingPool(pool) }) });
  const listening = listeners();
  return {
    db,
    engine: 'postgres',
    listen: async (channel, handlers) => listening.add(listenPostgres(connectionString, channel, handlers)),
    close: async () => {
      await listening.stopAll();
      await db.destroy();
    },
  };
}
