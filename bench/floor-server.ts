import { floorQueries, iso, listEnvelope, pageSize, pool, serveFloor } from './floor.js';

/** The floor of GET /v1/users: the very SQL Trellis runs for the page, mapped to the same JSON. */
const [list] = floorQueries;
if (!list) throw new Error('BENCH_QUERIES names no list query');

type Row = Record<string, unknown> & { id: number; __total: number; dotted_line_manager_ids: unknown[] };

serveFloor(async (url) => {
  const { rows } = await pool.query<Row>(list.sql, list.parameters);
  const data = rows.slice(0, pageSize).map(({ __total: _t, ...u }) => ({
    ...u,
    dotted_line_manager_ids: u.dotted_line_manager_ids.map(Number),
    created_at: iso(u.created_at),
    updated_at: iso(u.updated_at),
    deactivated_at: iso(u.deactivated_at),
  }));
  return listEnvelope(data, Number(rows[0]?.__total ?? 0), rows.length > pageSize, url);
});
