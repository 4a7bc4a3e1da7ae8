import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { refreshStatistics } from '../../db/statistics.js';
import type { Principal } from '../access/principal.js';
import { recordChanges } from '../changes.js';
import type { PlannedGoal } from './bulk-types.js';
import { round3 } from './progress.js';
import { recomputeProgress } from './rollup.js';

/** Rows per INSERT: well under PostgreSQL's 65,535 parameters for the widest table here. */
const CHUNK = 1000;
/** From this many goals an upload makes sure the planner knows the goals table (see refreshStatistics). */
const STATS_AT = 1000;

function chunks<T>(rows: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK));
  return out;
}

async function insertAll<T extends keyof DB>(trx: Transaction<DB>, table: T, rows: object[]) {
  for (const chunk of chunks(rows))
    await trx
      .insertInto(table)
      .values(chunk as never)
      .execute();
}

/** Ids for the new goals up front, so that a child row can name its parent row's goal in the same INSERT. */
async function allocateIds(trx: Transaction<DB>, count: number): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`select nextval('trellis_id_seq') as id
    from generate_series(1, ${count})`.execute(trx);
  return rows.map((r) => Number(r.id));
}

/** Weights are all 1 in an upload: the mean of its milestones, or its own progress column without any. */
const goalProgress = (g: PlannedGoal) =>
  g.milestones.length > 0
    ? round3(g.milestones.reduce((sum, m) => sum + m.metric.progress, 0) / g.milestones.length)
    : round3(g.input.progress ?? 0);

/**
 * Writes the planned goals with a few multi-row INSERTs: goals (parents first: the upload's order), their
 * categories, milestones and contributors, a goal-level check-in for each goal whose progress came from the
 * upload, and one audit row per goal. Returns each new goal's id by row.
 */
export async function writeUpload(trx: Transaction<DB>, p: Principal, goals: PlannedGoal[]) {
  if (goals.length === 0) return [];
  const ids = await allocateIds(trx, goals.length);
  const idOf = new Map(goals.map((g, i) => [g, ids[i] as number]));
  const now = new Date();
  const tenant = { org_id: p.orgId, mode: p.mode };
  const checkedIn = (g: PlannedGoal) => g.milestones.length === 0 && (g.input.progress ?? 0) > 0;

  await insertAll(
    trx,
    'goals',
    goals.map((g) => ({
      ...tenant,
      id: idOf.get(g),
      name: g.input.name,
      description: g.input.description ?? null,
      goal_type: g.goal_type,
      owner_user_id: g.owner_user_id,
      period_id: g.period_id,
      starts_on: g.starts_on,
      ends_on: g.ends_on,
      visibility: g.visibility,
      parent_id: g.parent === null ? null : 'id' in g.parent ? g.parent.id : idOf.get(g.parent.goal),
      progress: goalProgress(g),
      last_checkin_at: checkedIn(g) ? now : null,
      created_by: p.userId,
      updated_by: p.userId,
    })),
  );
  // The rows below each check a foreign key into goals: with stale statistics, one scan of the org per row.
  if (goals.length >= STATS_AT) await refreshStatistics(trx, 'goals', goals.length);
  await insertAll(
    trx,
    'goal_categories',
    goals.flatMap((g) => g.categories.map((name) => ({ ...tenant, goal_id: idOf.get(g), name }))),
  );
  await insertAll(
    trx,
    'milestones',
    goals.flatMap((g) =>
      g.milestones.map((m, position) => ({
        ...tenant,
        goal_id: idOf.get(g),
        owner_user_id: m.owner_user_id,
        name: m.name,
        unit: m.metric.unit,
        start_value: m.metric.start_value,
        target_value: m.metric.target_value,
        current_value: m.metric.current_value,
        direction: m.metric.direction,
        progress: m.metric.progress,
        position,
        created_by: p.userId,
        updated_by: p.userId,
      })),
    ),
  );
  // A milestone's owner takes part in the goal, as when a milestone is created on its own.
  await insertAll(
    trx,
    'goal_contributors',
    goals.flatMap((g) =>
      [...new Set(g.milestones.map((m) => m.owner_user_id))]
        .filter((user) => user !== g.owner_user_id)
        .map((user_id) => ({ ...tenant, goal_id: idOf.get(g), user_id, can_edit: false })),
    ),
  );
  await insertAll(
    trx,
    'checkins',
    goals.filter(checkedIn).map((g) => ({
      ...tenant,
      goal_id: idOf.get(g),
      milestone_id: null,
      user_id: p.userId,
      api_key_id: p.apiKeyId,
      request_id: p.requestId,
      value: g.input.progress,
      checked_in_at: now,
    })),
  );
  await recordChanges(
    trx,
    p,
    'goal.created',
    goals.map((g) => ({
      objectId: idOf.get(g) as number,
      changes: {
        bulk_upload_row: g.row,
        name: g.input.name,
        owner_user_id: g.owner_user_id,
        progress: goalProgress(g),
        milestones: g.milestones.map((m) => ({
          row: m.row,
          name: m.name,
          current_value: m.metric.current_value,
        })),
      },
    })),
  );
  // Existing parents that roll up from their children move once each; new parents roll up from milestones.
  const existingParents = new Set(goals.flatMap((g) => (g.parent && 'id' in g.parent ? [g.parent.id] : [])));
  for (const parentId of existingParents) await recomputeProgress(trx, p, parentId);
  return goals.map((g) => ({ row: g.row, key: g.key ?? null, id: idOf.get(g) as number }));
}
