import type { ChildProcess } from 'node:child_process';
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

/** Resolves once the server's transaction has written goals and is writing milestones (PostgreSQL only). */
async function midTransaction(databaseUrl: string, answered: () => boolean) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (;;) {
      const { rows } = await client.query(
        `select 1 from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()
           and xact_start is not null and query like 'insert into "milestones"%'`,
      );
      if (rows.length > 0) return;
      if (answered()) throw new Error('The upload finished before it could be caught writing milestones.');
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  } finally {
    await client.end();
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

    const server = await serve(database);
    const started = performance.now();
    const committed = await post(server.url, key, rowsNamed('Committed'));
    expect(committed.status).toBe(201);
    const duration = performance.now() - started;

    let answered = false;
    const doomed = post(server.url, key, rowsNamed('Killed'))
      .catch((error: unknown) => error)
      .finally(() => {
        answered = true;
      });
    if (serverUrl) {
      // Deterministic on PostgreSQL: the goals are inserted, the milestones are being written.
      await midTransaction(database.DATABASE_URL as string, () => answered);
    } else {
      // PGlite has no second observer: kill well inside the time the same upload just took.
      await new Promise((resolve) => setTimeout(resolve, duration * 0.6));
    }
    const exit = killed(server.child);
    server.child.kill('SIGKILL');
    await exit;
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
