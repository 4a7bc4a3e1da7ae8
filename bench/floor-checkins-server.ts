import { pool, serveFloor } from './floor.js';

/**
 * The floor of POST /v1/milestones/{id}/checkins: the rows a check-in must change, in one transaction,
 * with pg and no framework: the goal locked, the check-in inserted, the milestone's value and progress,
 * the goal's mean, and each ancestor's mean of its children up the chain. No checks, no audit rows, no
 * answer beyond the new progress.
 */
const orgId = Number(process.env.BENCH_ORG_ID);
const milestoneId = Number(process.env.BENCH_MILESTONE_ID);
const userId = Number(process.env.BENCH_USER_ID);

async function checkIn(value: number) {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const { rows } = await client.query<{ goal_id: number }>(
      `select goal_id from milestones where org_id = $1 and mode = 'live' and id = $2`,
      [orgId, milestoneId],
    );
    let goalId: number | null = rows[0]?.goal_id ?? null;
    await client.query(`select 1 from goals where org_id = $1 and mode = 'live' and id = $2 for update`, [
      orgId,
      goalId,
    ]);
    await client.query(
      `insert into checkins (org_id, mode, goal_id, milestone_id, user_id, value, checked_in_at)
       values ($1, 'live', $2, $3, $4, $5, now())`,
      [orgId, goalId, milestoneId, userId, value],
    );
    await client.query(
      `update milestones set current_value = $3, progress = round(100 * least(greatest(($3 - start_value)
         / (target_value - start_value), 0), 1), 3), last_checkin_at = now(), updated_at = now()
       where org_id = $1 and mode = 'live' and id = $2`,
      [orgId, milestoneId, value],
    );
    let mean = `select avg(progress) from milestones m where m.org_id = $1 and m.mode = 'live' and m.goal_id = $2`;
    let progress = 0;
    while (goalId !== null) {
      const updated = await client.query<{ parent_id: number | null; progress: number }>(
        `update goals set progress = round((${mean}), 3), updated_at = now()
         where org_id = $1 and mode = 'live' and id = $2 returning parent_id, progress`,
        [orgId, goalId],
      );
      progress = updated.rows[0]?.progress ?? progress;
      goalId = updated.rows[0]?.parent_id ?? null;
      mean = `select avg(progress) from goals c where c.org_id = $1 and c.mode = 'live' and c.parent_id = $2`;
    }
    await client.query('commit');
    return progress;
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
}

serveFloor(async (_url, body) => ({ success: true, data: { progress: await checkIn(Number(body.value)) } }));
