import { floorQueries, listEnvelope, pageSize, pool, serveFloor } from './floor.js';

/** The floor of GET /v1/users: the very SQL Trellis runs for the page, mapped to the same JSON. */
const [list] = floorQueries;
if (!list) throw new Error('BENCH_QUERIES names no list query');

type Row = Record<string, unknown> & { id: number; __total: number };

serveFloor(async (url) => {
  const { rows } = await pool.query<Row>(list.sql, list.parameters);
  // The server's column parsers already give ids as numbers and moments as ISO strings.
  const data = rows.slice(0, pageSize).map(({ __total: _t, ...u }) => u);
  return listEnvelope(data, Number(rows[0]?.__total ?? 0), rows.length > pageSize, url);
});
