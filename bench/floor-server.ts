import { floorQueries, iso, listAndCount, listEnvelope, pageSize, serveFloor } from './floor.js';

/** The floor of GET /v1/users: the very SQL Trellis runs for the page, mapped to the same JSON. */
const [list, count] = floorQueries;
if (!list || !count) throw new Error('BENCH_QUERIES needs the list query and the count query');

type Row = Record<string, unknown> & { id: number; dotted_line_manager_ids: unknown[] };

serveFloor(async (url) => {
  const { rows, total } = await listAndCount<Row>(list, count);
  const data = rows.slice(0, pageSize).map((u) => ({
    ...u,
    dotted_line_manager_ids: u.dotted_line_manager_ids.map(Number),
    created_at: iso(u.created_at),
    updated_at: iso(u.updated_at),
    deactivated_at: iso(u.deactivated_at),
  }));
  return listEnvelope(data, total, rows.length > pageSize, url);
});
