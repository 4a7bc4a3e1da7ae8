import type { ChildProcess } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { connect } from '../src/db/connect.js';
import { cliEnv, freePort, freshDatabase, run, serverUrl, start, useCli } from './cli-process.js';

/**
 * An upload is one transaction: a server killed in the middle of one leaves no goal of it behind. The
 * real server runs in a child process and gets SIGKILL (no shutdown hook, no rollback on its side).
 */
useCli();

const GOALS = 2500;

function rowsNamed(prefix: string) {
  const rows: object[] = [];
  for (let i = 0; i < GOALS; i++) {
    rows.push({ type: 'goal', name: `${prefix} ${i}`, start_date: '2027-01-01', end_date: '2027-06-30' });
    for (let k = 0; k < 3; k++) rows.push({ type: 'milestone', name: `KR ${k}`, progress: 30 * k });
  }
  return JSON.stringify({ rows });
}

async function serve(database: Record<string, string>) {
  const port = await freePort();
  const child = start(['serve', '--host', '127.0.0.1'], cliEnv(database, { PORT: String(port) }));
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk) => {
      out += chunk;
      if (out.includes('Trellis is listening')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
  });
  return { child, url: `http://127.0.0.1:${port}` };
}

const post = (url: string, key: string, body: string) =>
  fetch(`${url}/v1/goals/bulk`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body,
  });

/**
 * How the test sees, from outside the server, that an upload's transaction has written its goals and is
 * writing its milestones (writeUpload inserts goals first, then milestones, and commits after the audit
 * rows). On PostgreSQL the server's connection shows in pg_stat_activity inside a transaction, inserting
 * milestones. On PGlite (one process, its files in TRELLIS_DATA_DIR) the milestones table's file grows past
 * its committed size: PostgreSQL extends a table's file on disk as an INSERT needs pages, long before the
 * COMMIT, and nothing else writes milestones. Asked before the server holds the database; the watch it
 * returns resolves to true once the upload is caught so, or to false once it was answered first.
 */
async function milestonesWatch(database: Record<string, string>) {
  if (serverUrl)
    return (answered: () => boolean) => inPgStatActivity(database.DATABASE_URL as string, answered);
  const file = join(database.TRELLIS_DATA_DIR as string, await relationPath(database, 'milestones'));
  return (answered: () => boolean) => grows(file, answered);
}

async function inPgStatActivity(databaseUrl: string, answered: () => boolean) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (;;) {
      const { rows } = await client.query(
        `select 1 from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()
           and xact_start is not null and query like 'insert into "milestones"%'`,
      );
      if (rows.length > 0) return true;
      if (answered()) return false;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  } finally {
    await client.end();
  }
}

/** Where a table's main file lies under PGlite's directory (the path stays: nothing rewrites the table). */
async function relationPath(database: Record<string, string>, table: string) {
  const { db, close } = await connect({ dataDir: database.TRELLIS_DATA_DIR });
  try {
    const { rows } = await sql<{ path: string }>`select pg_relation_filepath(${table}) as path`.execute(db);
    return rows[0]?.path as string;
  } finally {
    await close();
  }
}

async function grows(file: string, answered: () => boolean) {
  const committed = statSync(file).size;
  for (;;) {
    if (answered()) return false;
    if (statSync(file).size > committed) return true;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

async function goalNames(database: Record<string, string>) {
  const { db, close } = await connect({
    databaseUrl: database.DATABASE_URL,
    dataDir: database.TRELLIS_DATA_DIR,
  });
  try {
    const { rows } = await sql<{ prefix: string; n: number }>`
      select split_part(name, ' ', 1) as prefix, count(*)::int as n from goals group by 1`.execute(db);
    const milestones = await sql<{ n: number }>`select count(*)::int as n from milestones`.execute(db);
    return { goals: Object.fromEntries(rows.map((r) => [r.prefix, r.n])), milestones: milestones.rows[0]?.n };
  } finally {
    await close();
  }
}

const killed = (child: ChildProcess) => new Promise((resolve) => child.once('exit', resolve));

describe('a server killed during a bulk upload', () => {
  it('leaves no goal of that upload, and keeps the ones committed before', async () => {
    const database = await freshDatabase();
    const init = await run(
      ['init', '--org-name', 'Kill Co', '--admin-email', 'ops@kill.test', '--json'],
      cliEnv(database),
    );
    expect(init.code, init.stderr).toBe(0);
    const { key } = JSON.parse(init.stdout);
    const writingMilestones = await milestonesWatch(database);

    const server = await serve(database);
    const committed = await post(server.url, key, rowsNamed('Committed'));
    expect(committed.status).toBe(201);

    let answered = false;
    const caught = writingMilestones(() => answered);
    const doomed = post(server.url, key, rowsNamed('Killed'))
      .catch((error: unknown) => error)
      .finally(() => {
        answered = true;
      });
    // The goals are inserted, the milestones are being written, nothing is committed: kill now.
    const inTransaction = await caught;
    const exit = killed(server.child);
    server.child.kill('SIGKILL');
    await exit;
    expect(inTransaction, 'The upload finished before it could be caught writing milestones.').toBe(true);
    expect(await doomed).toBeInstanceOf(Error);

    expect(await goalNames(database)).toEqual({ goals: { Committed: GOALS }, milestones: 3 * GOALS });
    // The server starts again on the same data (PGlite recovers its files and takes over the stale lock).
    const again = await serve(database);
    const health = await fetch(`${again.url}/v1/goals?size=1`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect((await health.json()).total_count).toBe(GOALS);
    const stopped = killed(again.child);
    again.child.kill('SIGTERM');
    await stopped;
  }, 120_000);
});
