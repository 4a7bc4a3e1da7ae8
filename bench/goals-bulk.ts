import pg from 'pg';
import { createBenchDatabase } from './database.js';
import { startServer } from './servers.js';

/**
 * POST /v1/goals/bulk with 10,000 goals of 3 milestones each (inline: 10,000 rows), against the floor: the same
 * goals and milestones written by `pg` with bare multi-row INSERTs in one transaction, on the same
 * database. Rounds alternate; every round adds its goals to the same organisation, as real uploads do.
 * The last line is the ratio of the times (goal: at most 3).
 */
const config = {
  serverUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/postgres',
  goals: Number(process.env.BENCH_GOALS ?? 10_000),
  rounds: Number(process.env.BENCH_ROUNDS ?? 3),
};
const MILESTONES = 3;
const CHUNK = 1000;
const DATES = { start_date: '2027-01-01', end_date: '2027-06-30' };

function uploadBody(round: number) {
  const rows: object[] = [];
  for (let i = 0; i < config.goals; i++) {
    const milestones = Array.from({ length: MILESTONES }, (_, k) => ({ name: `KR ${k}`, progress: 25 * k }));
    rows.push({
      type: 'goal',
      name: `Round ${round} goal ${i}`,
      ...DATES,
      categories: ['Bench'],
      milestones,
    });
  }
  return JSON.stringify({ rows });
}

/** One multi-row INSERT of `rows` (arrays of values) into `table`'s `columns`. */
function insert(client: pg.Client, table: string, columns: string[], rows: unknown[][]) {
  const values = rows.map((row, r) => `(${row.map((_, c) => `$${r * columns.length + c + 1}`).join(', ')})`);
  return client.query(
    `insert into ${table} (${columns.join(', ')}) values ${values.join(', ')}`,
    rows.flat(),
  );
}

/** The same goals, categories and milestones as the upload, and nothing else: no checks, no audit. */
async function floorUpload(client: pg.Client, orgId: number, adminId: number, round: number) {
  await client.query('begin');
  const { rows } = await client.query<{ id: string }>(
    `select nextval('trellis_id_seq') as id from generate_series(1, $1)`,
    [config.goals],
  );
  const ids = rows.map((r) => Number(r.id));
  const goalColumns = [
    'org_id',
    'mode',
    'id',
    'name',
    'goal_type',
    'owner_user_id',
    'starts_on',
    'ends_on',
    'progress',
  ];
  const milestoneColumns = [
    ...['org_id', 'mode', 'goal_id', 'owner_user_id', 'name', 'unit', 'start_value', 'target_value'],
    ...['current_value', 'direction', 'progress', 'position'],
  ];
  for (let start = 0; start < config.goals; start += CHUNK) {
    const chunk = ids.slice(start, start + CHUNK);
    await insert(
      client,
      'goals',
      goalColumns,
      chunk.map((id, i) => [
        orgId,
        'live',
        id,
        `Floor ${round} goal ${start + i}`,
        'personal',
        adminId,
        DATES.start_date,
        DATES.end_date,
        25,
      ]),
    );
  }
  // As Trellis does (src/db/statistics.ts): without it every foreign-key check below scans the organisation.
  await client.query('analyze goals');
  for (let start = 0; start < config.goals; start += CHUNK) {
    const chunk = ids.slice(start, start + CHUNK);
    await insert(
      client,
      'goal_categories',
      ['org_id', 'mode', 'goal_id', 'name'],
      chunk.map((id) => [orgId, 'live', id, 'Bench']),
    );
    const milestones = chunk.flatMap((id) =>
      Array.from({ length: MILESTONES }, (_, k) => [
        orgId,
        'live',
        id,
        adminId,
        `KR ${k}`,
        'percent',
        0,
        100,
        25 * k,
        'increase',
        25 * k,
        k,
      ]),
    );
    for (let m = 0; m < milestones.length; m += CHUNK) {
      await insert(client, 'milestones', milestoneColumns, milestones.slice(m, m + CHUNK));
    }
  }
  await client.query('commit');
}

async function timed(run: () => Promise<void>) {
  const started = performance.now();
  await run();
  return (performance.now() - started) / 1000;
}

async function main() {
  console.log(
    `POST /v1/goals/bulk · ${config.goals} goals × ${MILESTONES} milestones · ${config.rounds} rounds`,
  );
  const database = await createBenchDatabase(config.serverUrl, 100);
  const server = await startServer('./trellis-server.js', { BENCH_DB_URL: database.url, BENCH_POOL: '4' });
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string }>(
      `select id from users where org_id = $1 and email = 'admin@bench.test'`,
      [database.orgId],
    );
    const adminId = Number(rows[0]?.id);
    const totals = { trellis: 0, floor: 0 };
    for (let round = 1; round <= config.rounds; round++) {
      const body = uploadBody(round);
      const trellis = async () => {
        const response = await fetch(`${server.url}/v1/goals/bulk`, {
          method: 'POST',
          headers: { authorization: `Bearer ${database.key}`, 'content-type': 'application/json' },
          body,
        });
        if (response.status !== 201)
          throw new Error(`upload answered ${response.status}: ${await response.text()}`);
      };
      const floor = () => floorUpload(client, database.orgId, adminId, round);
      const order =
        round % 2 === 1
          ? ([
              ['trellis', trellis],
              ['floor', floor],
            ] as const)
          : ([
              ['floor', floor],
              ['trellis', trellis],
            ] as const);
      const line: string[] = [];
      for (const [name, run] of order) {
        const seconds = await timed(run);
        totals[name] += seconds;
        line.push(`${name} ${seconds.toFixed(2)} s`);
      }
      console.log(`round ${round}  ${line.join('  ')}`);
    }
    const per = (s: number) => `${(s / config.rounds).toFixed(2)} s`;
    console.log(`trellis  ${per(totals.trellis)} per upload (parse, check, write, audit, respond)`);
    console.log(`floor    ${per(totals.floor)} per upload (bare multi-row INSERTs)`);
    console.log(`ratio trellis/floor = ${(totals.trellis / totals.floor).toFixed(2)}`);
  } finally {
    await client.end();
    await server.stop();
    await database.drop();
  }
}

await main();
