import pg from 'pg';
import { connect } from '../src/db/connect.js';
import { operatorPrincipal } from '../src/domain/access/principal.js';
import { createGoal } from '../src/domain/goals/service.js';
import type { BenchDatabase } from './database.js';

/** The alignment chains the check-in benches write through (checkins.ts, inbound.ts). */
export const DEPTH = 5;
const SIBLINGS = 2;

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

export interface Chain {
  /** Top first. */
  goals: number[];
  milestone: number;
}

/** DEPTH goals, each aligned under the one above beside SIBLINGS others, the deepest with one milestone. */
export async function buildChain(database: BenchDatabase, label: string): Promise<Chain> {
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

export async function chainProgress(database: BenchDatabase, chain: Chain) {
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
