import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { parsers } from '../src/db/connect.js';
import type { DB } from '../src/db/schema.js';

/** Milliseconds. */
export interface Usage {
  cpuMs: number;
  gcMs: number;
}

export interface Server {
  url: string;
  /** CPU time the server process has used so far, and the part of it spent collecting garbage. */
  usage(): Promise<Usage>;
  stop(): Promise<void>;
}

/** Forks one of the bench's servers (a file next to this one) and waits until it listens. */
export function startServer(file: string, env: Record<string, string>): Promise<Server> {
  const child: ChildProcess = fork(fileURLToPath(new URL(file, import.meta.url)), [], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  const usage = () =>
    new Promise<Usage>((resolve) => {
      child.once('message', (message) => resolve(message as Usage));
      child.send('usage');
    });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code} before listening`)));
    child.once('message', (message) => {
      const { port } = message as { port: number };
      resolve({ url: `http://127.0.0.1:${port}`, usage, stop });
    });
  });
}

/** The same column parsers as the server's pool, so that the app maps rows as it does in production. */
const typeParser = (oid: number) => (parsers as Record<number, (v: string) => unknown>)[oid];

export interface CapturedQuery {
  sql: string;
  parameters: unknown[];
}

/** Every query Trellis sends to PostgreSQL while it answers `path`, caught from Kysely's log: the floor runs them too. */
export async function captureQueries(dbUrl: string, key: string, path: string): Promise<CapturedQuery[]> {
  const queries: CapturedQuery[] = [];
  const db = new Kysely<DB>({
    dialect: new PostgresDialect({
      pool: new pg.Pool({
        connectionString: dbUrl,
        max: 1,
        types: { getTypeParser: (oid, format) => typeParser(oid) ?? pg.types.getTypeParser(oid, format) },
      }),
    }),
    log: (event) => {
      if (event.level === 'query')
        queries.push({ sql: event.query.sql, parameters: [...event.query.parameters] });
    },
  });
  const app = await buildApp({ db });
  try {
    const response = await app.inject({
      method: 'GET',
      url: path,
      headers: { authorization: `Bearer ${key}` },
    });
    if (response.statusCode !== 200)
      throw new Error(`${path} answered ${response.statusCode}: ${response.body}`);
  } finally {
    await app.close();
    await db.destroy();
  }
  return queries;
}

/** The one captured query that matches `pattern`. */
export function pick(queries: CapturedQuery[], pattern: RegExp): CapturedQuery {
  const found = queries.filter((q) => pattern.test(q.sql));
  if (found.length !== 1) throw new Error(`${found.length} of ${queries.length} queries match ${pattern}`);
  return found[0] as CapturedQuery;
}
