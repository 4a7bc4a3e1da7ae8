import { buildChain, type Chain, chainProgress, DEPTH } from './chains.js';
import { compare, loadLine, warnIfBusy } from './compare.js';
import { type BenchDatabase, createBenchDatabase } from './database.js';
import type { Server } from './servers.js';

/**
 * POST /v1/milestones/{id}/checkins on a milestone five levels deep in the alignment tree, every ancestor
 * rolling up from its children (and each with siblings, which are read but never written): Trellis
 * against the floor (floor-checkins-server.ts: the same row changes in one transaction in bare SQL).
 * Each request sends a new value, so every check-in moves progress all the way up; concurrent check-ins
 * queue on the goal's row lock, in both. The last line is the throughput ratio.
 */
const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
/** The one-round-trip floor; BENCH_FLOOR=per-level measures against the older one-round-trip-per-level one. */
const floorFile =
  process.env.BENCH_FLOOR === 'per-level'
    ? './floor-checkins-server.js'
    : './floor-checkins-minimal-server.js';
/** One check-in of 40 on each side must leave both chains with the same progress at every level. */
function sameRollUp(database: BenchDatabase, path: string, chains: [Chain, Chain]) {
  return async (trellis: Server, floor: Server) => {
    for (const server of [trellis, floor]) {
      const response = await fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${database.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ value: 40 }),
      });
      if (!response.ok)
        throw new Error(`${server.url}${path} answered ${response.status}: ${await response.text()}`);
    }
    const [a, b] = [await chainProgress(database, chains[0]), await chainProgress(database, chains[1])];
    if (a.join() !== b.join() || a[0] === 0) {
      throw new Error(`the chains rolled up differently: trellis ${a}, floor ${b}`);
    }
    console.log(`after one check-in of 40, both chains read ${a.join(' / ')} from the top down`);
  };
}

console.log(`POST /v1/milestones/{id}/checkins, ${DEPTH} levels deep · ${floorFile} · ${loadLine()}`);
warnIfBusy();
const database = await createBenchDatabase(serverUrl, 100);
try {
  const chains: [Chain, Chain] = [await buildChain(database, 'Trellis'), await buildChain(database, 'Floor')];
  const path = `/v1/milestones/${chains[0].milestone}/checkins`;
  const env = {
    BENCH_ORG_ID: String(database.orgId),
    BENCH_MILESTONE_ID: String(chains[1].milestone),
    BENCH_USER_ID: String(database.adminId),
  };
  await compare({
    database,
    path,
    key: database.key,
    floor: { file: floorFile, env },
    post: () => ({ value: Math.round(Math.random() * 1000) / 10 }),
    check: sameRollUp(database, path, chains),
  });
} finally {
  await database.drop();
}
