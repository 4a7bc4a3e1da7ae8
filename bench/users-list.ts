import { compare, loadLine, warnIfBusy } from './compare.js';
import { createBenchDatabase } from './database.js';
import { captureQueries, pick } from './servers.js';

/**
 * GET /v1/users?size=100 with a super admin's key: Trellis against the floor (node:http + pg running the
 * same SQL, floor-server.ts), on the same fresh PostgreSQL database. The last line is the throughput ratio.
 */
const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
const users = Number(process.env.BENCH_USERS ?? 1000);
const path = '/v1/users?size=100';

console.log(`GET ${path} · ${users} users · ${loadLine()}`);
warnIfBusy();
const database = await createBenchDatabase(serverUrl, users);
try {
  const queries = await captureQueries(database.url, database.key, path);
  const list = [pick(queries, /^(?=.*from "users")(?=.*order by)(?=.*limit)/s)];
  await compare({ database, path, key: database.key, floor: { file: './floor-server.js', queries: list } });
} finally {
  await database.drop();
}
