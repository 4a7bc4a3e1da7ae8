import { cpus, loadavg } from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import { type BenchDatabase, createBenchDatabase } from './database.js';
import { add, describe, emptyTotals, type LoadOptions, load, type Target, type Totals } from './load.js';
import { postgresCpu } from './postgres-cpu.js';
import { captureListQuery, type Server, startServer } from './servers.js';

/**
 * GET /v1/users?size=100 with a valid key: Trellis against the floor (node:http + pg, the same SQL, the same
 * pool size), on the same fresh PostgreSQL database, one after the other with autocannon, the order
 * alternating by round. The last line is the ratio of their throughputs.
 */
const config = {
  serverUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/postgres',
  users: Number(process.env.BENCH_USERS ?? 1000),
  pool: Number(process.env.BENCH_POOL ?? 10),
  connections: Number(process.env.BENCH_CONNECTIONS ?? 10),
  duration: Number(process.env.BENCH_DURATION ?? 10),
  warmup: Number(process.env.BENCH_WARMUP ?? 3),
  rounds: Number(process.env.BENCH_ROUNDS ?? 2),
};
const PATH = '/v1/users?size=100';

async function fetchPage(server: Server, key: string) {
  const response = await fetch(`${server.url}${PATH}`, { headers: { authorization: `Bearer ${key}` } });
  if (response.status !== 200) throw new Error(`${server.url}${PATH} answered ${response.status}`);
  const page = (await response.json()) as { next: string | null; data: unknown[] };
  // `next` names the server's own port; the rest must be identical.
  return { ...page, next: page.next && new URL(page.next).pathname + new URL(page.next).search };
}

/** Both servers must answer the same page, or the comparison means nothing. */
async function assertSameAnswer(trellis: Server, floor: Server, key: string) {
  const [a, b] = [await fetchPage(trellis, key), await fetchPage(floor, key)];
  if (a.data.length !== 100 || !isDeepStrictEqual(a, b)) {
    throw new Error('Trellis and the floor answer different pages: fix the floor before trusting the ratio');
  }
}

/** A connection string that names the application, so that its PostgreSQL backends can be told apart. */
const named = (url: string, name: string) => {
  const u = new URL(url);
  u.searchParams.set('application_name', name);
  return u.toString();
};

async function startTargets(database: BenchDatabase): Promise<Target[]> {
  const query = await captureListQuery(database.url, database.key, PATH);
  const targets: Target[] = [];
  for (const [name, file, extra] of [
    ['trellis', './trellis-server.js', {}],
    ['floor', './floor-server.js', { BENCH_SQL: query.sql, BENCH_PARAMS: JSON.stringify(query.parameters) }],
  ] as const) {
    const app = `trellis_bench_${name}`;
    const env = { BENCH_DB_URL: named(database.url, app), BENCH_POOL: String(config.pool), ...extra };
    targets.push({ name, server: await startServer(file, env), postgres: postgresCpu(database.url, app) });
  }
  return targets;
}

async function measure(targets: Target[], key: string) {
  const options = (t: Target, duration: number): LoadOptions => ({
    url: `${t.server.url}${PATH}`,
    key,
    connections: config.connections,
    duration,
  });
  for (const t of targets) await load(t, options(t, config.warmup));
  const totals = new Map<Target, Totals>(targets.map((t) => [t, emptyTotals()]));
  for (let round = 1; round <= config.rounds; round++) {
    for (const t of round % 2 === 1 ? targets : [...targets].reverse()) {
      const run = await load(t, options(t, config.duration));
      add(totals.get(t) as Totals, run);
      console.log(`round ${round}  ${describe(t.name, run)}`);
    }
  }
  return totals;
}

function warnIfBusy() {
  const [oneMinute = 0] = loadavg();
  if (oneMinute > cpus().length / 2) {
    console.log(`note: load average ${oneMinute.toFixed(1)} before the run: other work shares the CPU`);
  }
}

async function main() {
  console.log(
    `GET ${PATH} · ${config.users} users · pool ${config.pool} · ` +
      `${config.connections} connections × ${config.duration} s × ${config.rounds} rounds`,
  );
  warnIfBusy();
  const database = await createBenchDatabase(config.serverUrl, config.users);
  const targets: Target[] = [];
  const cleanUp = async () => {
    for (const t of targets) await t.server.stop();
    await database.drop();
  };
  process.once('SIGINT', () => cleanUp().finally(() => process.exit(130)));
  try {
    targets.push(...(await startTargets(database)));
    const [trellis, floor] = targets as [Target, Target];
    await assertSameAnswer(trellis.server, floor.server, database.key);
    const totals = await measure(targets, database.key);
    const rate = (t: Target) => {
      const total = totals.get(t) as Totals;
      return total.requests / total.seconds;
    };
    for (const t of targets) {
      const total = totals.get(t) as Totals;
      console.log(`${describe(t.name, { ...total, p99: Math.max(...total.p99) })} (p99: worst round)`);
    }
    console.log(`ratio trellis/floor = ${(rate(trellis) / rate(floor)).toFixed(2)}`);
  } finally {
    await cleanUp();
  }
}

await main();
