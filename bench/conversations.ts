import { isDeepStrictEqual } from 'node:util';
import { compare, loadLine, warnIfBusy } from './compare.js';
import { createBenchDatabase, keyFor } from './database.js';
import { measureCreation } from './deployment-creation.js';
import { seedConversations } from './seed-conversations.js';
import type { Server } from './servers.js';

/**
 * Issue 14's Speed: in an organisation of 10,000 people with a deployment of 9,000 conversations,
 * 1. GET /v1/conversations?deployment_id=…&size=100 as an hr_admin scoped to half of the deployment, against
 *    the floor (floor-conversations-server.ts: node:http + pg running one query of its own for the same
 *    page); the throughput ratio, goal ≥ 0.8;
 * 2. creating that deployment through the API against a raw multi-row INSERT of the same rows
 *    (deployment-creation.ts); the ratio of the times, goal ≤ 3.
 */
const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
const users = Number(process.env.BENCH_USERS ?? 10_000);

async function fetchPage(server: Server, url: string, key: string) {
  const response = await fetch(`${server.url}${url}`, { headers: { authorization: `Bearer ${key}` } });
  if (response.status !== 200) throw new Error(`${server.url}${url} answered ${response.status}`);
  const page = (await response.json()) as {
    next: string | null;
    next_cursor: string | null;
    data: unknown[];
  };
  // `next` names the server's own port; Trellis signs its cursor (src/http/signed-cursors.ts), the floor
  // does not: both must have one, the rest must be identical.
  const next = page.next && new URL(page.next);
  return { ...page, next: next && next.pathname + next.search, next_cursor: page.next_cursor !== null };
}

/** Both must answer the same page: the same 100 rows, the same count, the same next page. */
function samePage(path: string, key: string, expectedTotal: number) {
  return async (trellis: Server, floor: Server) => {
    const [a, b] = [await fetchPage(trellis, path, key), await fetchPage(floor, path, key)];
    const total = (a as { total_count?: number }).total_count;
    if (a.data.length !== 100 || total !== expectedTotal || !isDeepStrictEqual(a, b)) {
      throw new Error(
        'Trellis and the floor answer different pages: fix the floor before trusting the ratio',
      );
    }
    console.log(`both answer the same page: 100 of ${total} conversations`);
  };
}

console.log(`conversations · ${users} people · ${loadLine()}`);
warnIfBusy();
const database = await createBenchDatabase(serverUrl, users);
try {
  const world = await seedConversations(database);
  console.log(
    `setup: a deployment of ${world.conversations} conversations made by the service in ` +
      `${world.deploySeconds.toFixed(2)} s`,
  );
  const key = await keyFor(database, world.hrAdminEmail);
  const path = `/v1/conversations?deployment_id=${world.deploymentId}&size=100`;
  console.log(`GET ${path} as an hr_admin scoped to half of it`);
  const env = { BENCH_ORG_ID: String(database.orgId), BENCH_USER_ID: String(world.hrAdminId) };
  const listRatio = await compare({
    database,
    path,
    key,
    floor: { file: './floor-conversations-server.js', env },
    check: samePage(path, key, world.conversations / 2),
  });
  const createRatio = await measureCreation(database, world);
  console.log(`list ratio trellis/floor = ${listRatio.toFixed(2)} (goal ≥ 0.8, requests per second)`);
  console.log(`create ratio trellis/floor = ${createRatio.toFixed(2)} (goal ≤ 3, time)`);
} finally {
  await database.drop();
}
