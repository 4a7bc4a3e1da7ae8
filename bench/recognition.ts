import { isDeepStrictEqual } from 'node:util';
import { compare, loadLine, warnIfBusy } from './compare.js';
import { createBenchDatabase } from './database.js';
import { seedRecognitions } from './seed-recognition.js';
import type { Server } from './servers.js';

/**
 * Issue 15's Speed, hashtags: GET /v1/recognition/hashtags over a six-month range of 100,000 recognitions
 * (a year's worth), as a super admin, against the raw GROUP BY on a bare floor (floor-recognition-server.ts).
 * The last line is the throughput ratio; goal ≥ 0.5 (within 2× of the floor).
 */
const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
const users = Number(process.env.BENCH_USERS ?? 1000);
const recognitions = Number(process.env.BENCH_RECOGNITIONS ?? 100_000);
const size = 20;

const DAY = 86_400_000;
const from = new Date(Date.now() - 183 * DAY).toISOString();
const to = new Date(Date.now() + DAY).toISOString();
const path = `/v1/recognition/hashtags?from=${from}&to=${to}&size=${size}`;

async function answer(server: Server, key: string) {
  const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
  if (response.status !== 200) throw new Error(`${server.url}${path} answered ${response.status}`);
  return (await response.json()) as { data: { hashtag: string; count: number }[] };
}

/** Both must give the same counts for the same hashtags, in the same order. */
const sameCounts = (key: string) => async (trellis: Server, floor: Server) => {
  const [a, b] = [await answer(trellis, key), await answer(floor, key)];
  if (a.data.length !== size || !isDeepStrictEqual(a, b))
    throw new Error('Trellis and the floor count differently: fix the floor before trusting the ratio');
  const counted = a.data.reduce((sum, row) => sum + row.count, 0);
  console.log(
    `both answer the same ${size} hashtags (${counted} uses; top: ${a.data[0]?.hashtag} ×${a.data[0]?.count})`,
  );
};

console.log(`recognition hashtags · ${recognitions} recognitions · ${users} users · ${loadLine()}`);
warnIfBusy();
const database = await createBenchDatabase(serverUrl, users);
try {
  const started = performance.now();
  const seeded = await seedRecognitions(database, recognitions);
  console.log(
    `setup: ${recognitions} recognitions, ${seeded.hashtagRows} hashtag rows in ` +
      `${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  console.log(`GET ${path} as a super admin`);
  const ratio = await compare({
    database,
    path,
    key: database.key,
    floor: { file: './floor-recognition-server.js', env: { BENCH_ORG_ID: String(database.orgId) } },
    check: sameCounts(database.key),
  });
  console.log(`hashtags ratio trellis/floor = ${ratio.toFixed(2)} (goal ≥ 0.5, requests per second)`);
} finally {
  await database.drop();
}
