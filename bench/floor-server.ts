import { createServer } from 'node:http';
import pg from 'pg';
import { parsers } from '../src/db/connect.js';
import { reportListening } from './child.js';

/**
 * The floor: node:http and a pg pool of the same size, running the very SQL Trellis runs for the page
 * (handed over by the bench), mapping rows to the same JSON and answering with JSON.stringify. No auth, no
 * validation, no framework: what the page costs at the least on this machine and this database.
 */
const sqlText = process.env.BENCH_SQL ?? '';
const params = JSON.parse(process.env.BENCH_PARAMS ?? '[]') as unknown[];
const size = Number(process.env.BENCH_SIZE ?? 100);

const typeParsers = parsers as Record<number, (v: string) => unknown>;
const pool = new pg.Pool({
  connectionString: process.env.BENCH_DB_URL,
  max: Number(process.env.BENCH_POOL ?? 10),
  types: { getTypeParser: (oid, format) => typeParsers[oid] ?? pg.types.getTypeParser(oid, format) },
});

type Row = Record<string, unknown> & { id: number; __total: number; dotted_line_manager_ids: unknown[] };
const iso = (d: unknown) => (d instanceof Date ? d.toISOString() : null);

function page(rows: Row[], host: string) {
  const hasMore = rows.length > size;
  const data = rows.slice(0, size).map(({ __total: _t, ...u }) => ({
    ...u,
    dotted_line_manager_ids: u.dotted_line_manager_ids.map(Number),
    created_at: iso(u.created_at),
    updated_at: iso(u.updated_at),
    deactivated_at: iso(u.deactivated_at),
  }));
  const last = data[data.length - 1];
  return {
    success: true,
    message: 'OK',
    data,
    total_count: Number(rows[0]?.__total ?? 0),
    page: 1,
    size,
    next: hasMore ? `http://${host}/v1/users?size=${size}&page=2` : null,
    next_cursor: hasMore && last ? Buffer.from(`id:${last.id}`).toString('base64url') : null,
  };
}

const server = createServer(async (req, res) => {
  try {
    const result = await pool.query<Row>(sqlText, params);
    const body = JSON.stringify(page(result.rows, req.headers.host ?? ''));
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(body);
  } catch (error) {
    res.writeHead(500).end(String(error));
  }
});
server.listen(0, '127.0.0.1', () =>
  reportListening(server.address(), () => new Promise((resolve) => server.close(resolve))),
);
