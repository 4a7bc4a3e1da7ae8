import { Type } from '@sinclair/typebox';
import { type SelectQueryBuilder, sql } from 'kysely';
import { AppError } from './errors.js';

export const PageQuery = {
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'Page number, from 1.' })),
  size: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'Rows per page (default 20).' })),
  cursor: Type.Optional(
    Type.String({ maxLength: 100, description: 'The next_cursor of the previous page; replaces page.' }),
  ),
};

export interface PageParams {
  page?: number | undefined;
  size?: number | undefined;
  cursor?: string | undefined;
}

export interface Page<T> {
  rows: T[];
  totalCount: number;
  page: number | null;
  size: number;
  nextCursor: string | null;
}

/** A cursor names the last row seen and the total counted when the walk began. */
interface Cursor {
  after: number;
  total: number | null;
}

const encodeCursor = (after: number, total: number) =>
  Buffer.from(`id:${after}:total:${total}`).toString('base64url');

function decodeCursor(cursor: string): Cursor {
  // `id:N` alone is the form cursors had before they carried the total; they still work.
  const match = /^id:(\d{1,16})(?::total:(\d{1,16}))?$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match?.[1]) throw new AppError('invalid_cursor');
  return { after: Number(match[1]), total: match[2] === undefined ? null : Number(match[2]) };
}

/**
 * The query's row count as a scalar subquery of the rows query: PostgreSQL runs it once (an InitPlan), in
 * the same round trip. A window count (`count(*) over ()`) would read every row in id order first.
 */
// biome-ignore lint/suspicious/noExplicitAny: generic over every table's select builder.
const countOf = (query: SelectQueryBuilder<any, any, any>) =>
  sql<number>`(${query.clearSelect().select(sql<number>`count(*)`.as('n'))})`;

/** The count that came with the rows; a page past the end brings no row to carry it, so it is asked for. */
// biome-ignore lint/suspicious/noExplicitAny: generic over every table's select builder.
async function totalOf(query: SelectQueryBuilder<any, any, any>, counted: number | undefined) {
  if (counted !== undefined) return Number(counted);
  const row = await query.clearSelect().select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  return Number((row as { n: number }).n);
}

/**
 * Pages a query ordered by `idColumn`: by page/size (offset) or by cursor (keyset). A cursor carries the
 * total counted on the walk's first page, so a deep page costs what the first does and walking a million
 * rows counts them once, not once a page; that total is as of the walk's start.
 */
// biome-ignore lint/suspicious/noExplicitAny: generic over every table's select builder.
export async function paginate<Row extends Record<string, any>>(
  // biome-ignore lint/suspicious/noExplicitAny: see above.
  query: SelectQueryBuilder<any, any, Row>,
  idColumn: string,
  params: PageParams,
): Promise<Page<Row>> {
  if (params.cursor !== undefined && params.page !== undefined) {
    throw new AppError('invalid_parameters', 'Send either page or cursor, not both.');
  }
  const size = params.size ?? 20;
  const cursor = params.cursor === undefined ? null : decodeCursor(params.cursor);
  const page = cursor ? null : (params.page ?? 1);
  let rowsQuery = query.orderBy(sql.ref(idColumn)).limit(size + 1);
  rowsQuery = cursor
    ? rowsQuery.where(sql.ref(idColumn), '>', cursor.after)
    : rowsQuery.offset(((page ?? 1) - 1) * size);
  const carried = cursor?.total ?? null;
  if (carried === null) rowsQuery = rowsQuery.select(countOf(query).as('__total'));
  const fetched = (await rowsQuery.execute()) as (Row & { __total?: number })[];
  const totalCount = carried ?? (await totalOf(query, fetched[0]?.__total));
  const rows = fetched.slice(0, size);
  // The count is the rows' last column (selected last, above): V8 deletes a last property by going back to
  // the row's previous hidden class, so the rows stay fast objects of one class without a copy of each.
  if (carried === null) for (const row of rows) delete row.__total;
  const last = rows[rows.length - 1];
  const column = idColumn.split('.').pop() as string;
  const nextCursor = fetched.length > size && last ? encodeCursor(Number(last[column]), totalCount) : null;
  return { rows, totalCount, page, size, nextCursor };
}

/** The list part of the envelope, with `next` built from the request's own URL. */
export function pageFields(page: Page<unknown>, request: { url: string; protocol: string; host: string }) {
  let next: string | null = null;
  if (page.nextCursor) {
    const url = new URL(request.url, `${request.protocol}://${request.host}`);
    if (page.page === null) url.searchParams.set('cursor', page.nextCursor);
    else url.searchParams.set('page', String(page.page + 1));
    next = url.toString();
  }
  return {
    total_count: page.totalCount,
    page: page.page,
    size: page.size,
    next,
    next_cursor: page.nextCursor,
  };
}
