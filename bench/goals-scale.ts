import { loadConfig, warnIfBusy } from './compare.js';
import { type BenchDatabase, createBenchDatabase, keyFor } from './database.js';
import { add, describe, emptyTotals, load, type Target, type Totals } from './load.js';
import { postgresCpu } from './postgres-cpu.js';
import { seedGoals } from './seed-goals.js';
import { type Server, startServer } from './servers.js';

/**
 * A large organisation (100,000 people, 1,000,000 goals by default, made by the generator in SQL) and
 * GET /v1/goals?size=100 on its first page against its last page reached by cursor, for a super admin
 * (every goal) and for a member (the visibility predicate on). The floor here is the first page: the last
 * line is the cost of the last page over the first (goal: at most 1.5).
 */
const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
const users = Number(process.env.BENCH_USERS ?? 100_000);
const goals = Number(process.env.BENCH_GOALS ?? 1_000_000);
const milestones = Number(process.env.BENCH_MILESTONES ?? 1);
const FIRST = '/v1/goals?size=100';
// A first page counts a million rows: with more connections than cores, requests only queue into timeouts.
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 2);

interface Page {
  next_cursor: string | null;
  total_count: number;
}

async function get(server: Server, key: string, path: string): Promise<Page> {
  const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
  if (response.status !== 200)
    throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as Page;
}

/**
 * The cursor of the last page: cursors are signed and bound to the key (docs/decisions.md), so jump near
 * the end by page (one deep OFFSET, once), then follow next_cursor from there.
 */
async function lastPagePath(server: Server, key: string, total: number) {
  let path = `${FIRST}&page=${Math.max(1, Math.ceil(total / 100) - 50)}`;
  for (;;) {
    const page = await get(server, key, path);
    if (!page.next_cursor) return path;
    path = `${FIRST}&cursor=${page.next_cursor}`;
  }
}

async function measure(target: Target, key: string, path: string) {
  const totals = emptyTotals();
  const options = { url: `${target.server.url}${path}`, key, connections: CONNECTIONS };
  await load(target, { ...options, duration: loadConfig.warmup });
  for (let round = 1; round <= loadConfig.rounds; round++) {
    add(totals, await load(target, { ...options, duration: loadConfig.duration }));
  }
  return totals;
}

const rate = (t: Totals) => t.requests / t.seconds;

console.log(`GET ${FIRST}: last page by cursor against the first · ${users} users · ${goals} goals`);
warnIfBusy();
/** The two cost ratios, last page over first, for the super admin and for a member. */
async function measureBoth(database: BenchDatabase, server: Server) {
  const target: Target = { name: 'trellis', server, postgres: postgresCpu(database.url, APP) };
  const member = await keyFor(database, 'person0@bench.test');
  const ratios: number[] = [];
  for (const [who, key] of [
    ['super admin', database.key],
    ['member', member],
  ] as const) {
    const first = await get(server, key, FIRST);
    const last = await lastPagePath(server, key, first.total_count);
    const a = await measure(target, key, FIRST);
    const b = await measure(target, key, last);
    console.log(`${who}: ${first.total_count} goals visible`);
    console.log(`  ${describe('first', { ...a, p99: Math.max(...a.p99) })}`);
    console.log(`  ${describe('last', { ...b, p99: Math.max(...b.p99) })}`);
    ratios.push(rate(a) / rate(b));
  }
  return ratios;
}

const APP = 'trellis_bench_scale';
const started = performance.now();
const database = await createBenchDatabase(serverUrl, users);
try {
  await seedGoals(database.url, database.orgId, goals, milestones);
  console.log(`generated in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  const server = await startServer('./trellis-server.js', {
    BENCH_DB_URL: `${database.url}?application_name=${APP}`,
    BENCH_POOL: String(loadConfig.pool),
  });
  try {
    const ratios = await measureBoth(database, server);
    const worst = Math.max(...ratios).toFixed(2);
    console.log(`ratio last/first page cost = ${worst} (worst of super admin, member)`);
  } finally {
    await server.stop();
  }
} finally {
  await database.drop();
}
