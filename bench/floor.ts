import { createServer, type IncomingMessage } from 'node:http';
import pg from 'pg';
import { parsers } from '../src/db/connect.js';
import { reportListening } from './child.js';

/**
 * What every floor shares: node:http and a pg pool of the bench's size with the server's column parsers,
 * the queries Trellis runs for the page (captured by the bench, handed over in BENCH_QUERIES), and the
 * list envelope built by hand. No auth, no validation, no framework.
 */
export interface FloorQuery {
  sql: string;
  parameters: unknown[];
}

export const floorQueries = JSON.parse(process.env.BENCH_QUERIES ?? '[]') as FloorQuery[];
export const pageSize = Number(process.env.BENCH_SIZE ?? 100);

const typeParsers = parsers as Record<number, (v: string) => unknown>;
export const pool = new pg.Pool({
  connectionString: process.env.BENCH_DB_URL,
  max: Number(process.env.BENCH_POOL ?? 10),
  types: { getTypeParser: (oid, format) => typeParsers[oid] ?? pg.types.getTypeParser(oid, format) },
});

/** The page's envelope as Trellis writes it for page 1 of `url`, rows fetched one past the size. */
export function listEnvelope(data: { id: number }[], total: number, hasMore: boolean, url: string) {
  const last = data[data.length - 1];
  return {
    success: true,
    message: 'OK',
    data,
    total_count: total,
    page: 1,
    size: pageSize,
    next: hasMore ? `${url}&page=2` : null,
    next_cursor: hasMore && last ? Buffer.from(`id:${last.id}:total:${total}`).toString('base64url') : null,
  };
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return chunks.length === 0 ? {} : JSON.parse(Buffer.concat(chunks).toString());
}

/** Serves `answer(url, body)` as JSON on a free port and tells the bench where. */
export function serveFloor(answer: (url: string, body: Record<string, unknown>) => Promise<unknown>) {
  const server = createServer(async (req, res) => {
    try {
      const body = JSON.stringify(await answer(`http://${req.headers.host}${req.url}`, await readJson(req)));
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(body);
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  });
  server.listen(0, '127.0.0.1', () =>
    reportListening(server.address(), () => new Promise((resolve) => server.close(resolve))),
  );
}
