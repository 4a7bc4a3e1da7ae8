import { compare, loadLine, warnIfBusy } from './compare.js';
import { createBenchDatabase, keyFor } from './database.js';
import { seedGoals } from './seed-goals.js';
import { captureQueries, pick } from './servers.js';

/**
 * GET /v1/goals?size=100 for a member (a manager with reports: the visibility predicate is on, with its
 * reporting-chain subquery): Trellis against the floor (node:http + pg running the same two queries,
 * floor-goals-server.ts). The last line is the throughput ratio.
 */
const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
const users = Number(process.env.BENCH_USERS ?? 1000);
const goals = Number(process.env.BENCH_GOALS ?? 10_000);
const path = '/v1/goals?size=100';

console.log(`GET ${path} as a member · ${users} users · ${goals} goals × 3 milestones · ${loadLine()}`);
warnIfBusy();
const database = await createBenchDatabase(serverUrl, users);
try {
  await seedGoals(database.url, database.orgId, goals, 3);
  // person0 manages a fiftieth of the organisation (database.ts).
  const key = await keyFor(database, 'person0@bench.test');
  const queries = await captureQueries(database.url, key, path);
  const floorQueries = [
    pick(queries, /^(?=.*from "goals")(?=.*order by)(?=.*limit)/s),
    pick(queries, /from "milestones"/),
  ];
  await compare({ database, path, key, floor: { file: './floor-goals-server.js', queries: floorQueries } });
} finally {
  await database.drop();
}
