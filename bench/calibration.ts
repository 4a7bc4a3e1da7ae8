import { compare, loadLine, warnIfBusy } from './compare.js';
import { createBenchDatabase, keyFor } from './database.js';
import { HR_ADMIN_EMAIL, seedCalibration } from './seed-calibration.js';
import type { Server } from './servers.js';

/**
 * Issue 15's Speed, in a cycle of 10,000 people whose hr_admin covers them all (but their own record):
 * 1. GET /v1/calibration/cycles/{id}/talent-records?size=100 against the floor
 *    (floor-talent-records-server.ts: one query of its own for the same page); goal ≥ 0.8;
 * 2. GET /v1/calibration/cycles/{id}/distribution?by=department over the 9,999 records against the single
 *    raw GROUP BY that computes it (floor-distribution-server.ts); goal within 2× (ratio ≥ 0.5).
 */
const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
const users = Number(process.env.BENCH_USERS ?? 10_000);

async function json(server: Server, path: string, key: string) {
  const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
  if (response.status !== 200) throw new Error(`${server.url}${path} answered ${response.status}`);
  return ((await response.json()) as { data: unknown }).data;
}

interface FloorGroup {
  department_id: number;
  level: string;
  n: string;
}
interface Distribution {
  levels: string[];
  groups: { key: number; counts: number[] }[];
  overall: { total: number };
}

/** Both must count the same records in the same groups and levels. */
function sameCounts(path: string, key: string, visible: number) {
  return async (trellis: Server, floor: Server) => {
    const d = (await json(trellis, path, key)) as Distribution;
    const rows = (await json(floor, path, key)) as FloorGroup[];
    const fromFloor = new Map(rows.map((r) => [`${r.department_id}/${r.level}`, Number(r.n)]));
    const differs = d.groups.some((g) =>
      g.counts.some((n, i) => n !== (fromFloor.get(`${g.key}/${d.levels[i]}`) ?? 0)),
    );
    if (differs || d.overall.total !== visible)
      throw new Error('Trellis and the floor count differently: fix the floor before trusting the ratio');
    console.log(`both count the same ${d.overall.total} records in ${d.groups.length} departments`);
  };
}

console.log(`calibration · ${users} people · ${loadLine()}`);
warnIfBusy();
const database = await createBenchDatabase(serverUrl, users);
try {
  const world = await seedCalibration(database);
  console.log(
    `setup: a cycle of ${world.visible + 1} records opened by the service in ${world.openSeconds.toFixed(2)} s`,
  );
  const key = await keyFor(database, HR_ADMIN_EMAIL);
  const env = { BENCH_ORG_ID: String(database.orgId), BENCH_USER_ID: String(world.hrAdminId) };
  const list = `/v1/calibration/cycles/${world.cycleId}/talent-records?size=100`;
  console.log(`GET ${list} as an hr_admin covering the cycle`);
  const listRatio = await compare({
    database,
    path: list,
    key,
    floor: { file: './floor-talent-records-server.js', env },
  });
  const view = `/v1/calibration/cycles/${world.cycleId}/distribution?by=department`;
  console.log(`GET ${view} as the same hr_admin`);
  const viewRatio = await compare({
    database,
    path: view,
    key,
    floor: { file: './floor-distribution-server.js', env },
    check: sameCounts(view, key, world.visible),
  });
  console.log(
    `talent records ratio trellis/floor = ${listRatio.toFixed(2)} (goal ≥ 0.8, requests per second)`,
  );
  console.log(`distribution ratio trellis/floor = ${viewRatio.toFixed(2)} (goal ≥ 0.5, requests per second)`);
} finally {
  await database.drop();
}
