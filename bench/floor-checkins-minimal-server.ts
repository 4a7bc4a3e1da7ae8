import { pool, serveFloor } from './floor.js';
import { lockSql, writeSql } from './floor-checkin-sql.js';

/**
 * The least a check-in five levels deep can cost, as the team's rule for floors asks: one round trip. One
 * simple-protocol message holds the transaction: the goal and its ancestors locked in one statement (so that
 * concurrent check-ins stay exact: the next statement sees the one before), then one statement that inserts
 * the check-in, moves the milestone, recomputes the goal and each ancestor with the new value of the child
 * below it, and writes an audit row and an outbox event for each change, as Trellis must. No checks, no
 * answer beyond the new progress. floor-checkins-server.ts is the older floor: the same rows but the audit
 * and outbox rows, one round trip per level, as Trellis used to make them.
 */
const target = {
  orgId: Number(process.env.BENCH_ORG_ID),
  milestoneId: Number(process.env.BENCH_MILESTONE_ID),
  userId: Number(process.env.BENCH_USER_ID),
};
const lock = lockSql(target);

async function checkIn(value: number) {
  const results = (await pool.query(`begin; ${lock}; ${writeSql(target, value)}; commit`)) as unknown as {
    rows: { progress: number }[];
  }[];
  return results[2]?.rows[0]?.progress;
}

serveFloor(async (_url, body) => ({ success: true, data: { progress: await checkIn(Number(body.value)) } }));
