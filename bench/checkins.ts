import pg from 'pg';
import { connect } from '../src/db/connect.js';
import { operatorPrincipal } from '../src/domain/access/principal.js';
import { createGoal } from '../src/domain/goals/service.js';
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
/** BENCH_FLOOR=minimal measures against the one-round-trip floor instead of the one-per-level one. */
const floorFile =
  process.env.BENCH_FLOOR === 'minimal' ? './floor-checkins-minimal-server.js' : './floor-checkins-server.js';
const DEPTH = 5;
const SIBLINGS = 2;

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

interface Chain {
  /** Top first. */
  goals: number[];
  milestone: number;
}

/** DEPTH goals, each aligned under the one above beside SIBLINGS others, the deepest with one milestone. */
async function buildChain(database: BenchDatabase, label: string): Promise<Chain> {
  const { db, close } = await connect({ databaseUrl: database.url, poolSize: 1 });
  const p = operatorPrincipal(database.orgId, database.adminId);
  const dates = { starts_on: day(-30), ends_on: day(60) };
  try {
    const goals: number[] = [];
    let milestone = 0;
    for (let level = 1; level <= DEPTH; level++) {
      const parent_id = goals[goals.length - 1] ?? null;
      for (let s = 0; s < (parent_id === null ? 0 : SIBLINGS); s++) {
        await createGoal(db, p, { name: `${label} sibling ${level}.${s}`, ...dates, parent_id });
      }
      const deepest = level === DEPTH;
      const goal = await createGoal(db, p, {
        name: `${label} level ${level}`,
        ...dates,
        parent_id,
        progress_source: deepest ? 'milestones' : 'children',
        milestones: deepest ? [{ name: `${label} revenue`, start_value: 0, target_value: 100 }] : [],
      });
      goals.push(goal.id);
      milestone = goal.milestones[0]?.id ?? milestone;
    }
    return { goals, milestone };
  } finally {
    await close();
  }
}

async function chainProgress(database: BenchDatabase, chain: Chain) {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string; progress: string }>(
      'select id, progress from goals where id = any($1)',
      [chain.goals],
    );
    const byId = new Map(rows.map((r) => [Number(r.id), Number(r.progress)]));
    return chain.goals.map((id) => byId.get(id));
  } finally {
    await client.end();
  }
}

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
