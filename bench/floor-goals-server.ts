import { goalColor, milestoneColor } from '../src/domain/goals/progress.js';
import { floorQueries, iso, listEnvelope, pageSize, pool, serveFloor } from './floor.js';

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

const dates = (r: Row) => ({
  last_checkin_at: iso(r.last_checkin_at),
  created_at: iso(r.created_at),
  updated_at: iso(r.updated_at),
});

serveFloor(async (url) => {
  const { rows } = await pool.query<Row & { __total: number; team_ids: unknown[] }>(
    list.sql,
    list.parameters,
  );
  const goals = rows.slice(0, pageSize);
  const ids = goals.map((g) => g.id);
  const found = await pool.query<MilestoneRow>(milestones.sql, [...prefix, ...ids]);
  const byGoal = new Map<number, MilestoneRow[]>();
  for (const m of found.rows) byGoal.set(m.goal_id, [...(byGoal.get(m.goal_id) ?? []), m]);
  const now = new Date();
  const data = goals.map(({ __total: _t, ...g }) => ({
    ...g,
    ...dates(g),
    team_ids: g.team_ids.map(Number),
    progress_color: goalColor(g as never, now),
    milestones: (byGoal.get(g.id) ?? []).map((m) => ({
      ...m,
      ...dates(m),
      progress_color: milestoneColor(m as never, g, now),
    })),
  }));
  return listEnvelope(data, Number(rows[0]?.__total ?? 0), rows.length > pageSize, url);
});
