import { goalColor, milestoneColor } from '../src/domain/goals/progress.js';
import { floorQueries, listEnvelope, pageSize, pool, serveFloor } from './floor.js';

/**
 * The floor of GET /v1/goals: the two queries Trellis runs for the page (the goals the caller may see
 * with their count, then their milestones), mapped to the same JSON, colours included (they are part of
 * the answer).
 */
const [list, milestones] = floorQueries;
if (!list || !milestones) throw new Error('BENCH_QUERIES needs the goals query and the milestones query');
// The milestones query ends with the page's goal ids; the floor sends the ids its own first query found.
const prefix = milestones.parameters.slice(0, milestones.parameters.length - pageSize);

type Row = Record<string, unknown> & { id: number; starts_on: string; ends_on: string; progress: number };
type MilestoneRow = Row & { goal_id: number };

serveFloor(async (url) => {
  const { rows } = await pool.query<Row & { __total: number }>(list.sql, list.parameters);
  const goals = rows.slice(0, pageSize);
  const ids = goals.map((g) => g.id);
  const found = await pool.query<MilestoneRow>(milestones.sql, [...prefix, ...ids]);
  const byGoal = new Map<number, MilestoneRow[]>();
  for (const m of found.rows) byGoal.set(m.goal_id, [...(byGoal.get(m.goal_id) ?? []), m]);
  const now = new Date();
  // The server's column parsers already give ids as numbers and moments as ISO strings.
  const data = goals.map(({ __total: _t, ...g }) => ({
    ...g,
    progress_color: goalColor(g as never, now),
    milestones: (byGoal.get(g.id) ?? []).map((m) => ({
      ...m,
      progress_color: milestoneColor(m as never, g, now),
    })),
  }));
  return listEnvelope(data, Number(rows[0]?.__total ?? 0), rows.length > pageSize, url);
});
