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

const encodeCursor = (id: number) => Buffer.from(`id:${id}`).toString('base64url');

function decodeCursor(cursor: string): number {
  const match = /^id:(\d{1,16})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match?.[1]) throw new AppError('invalid_cursor');
  return Number(match[1]);
}

/**
 * Pages a query ordered by `idColumn`: by page/size (offset) or by cursor (keyset, so the last page costs
 * what the first does). The total comes from a window count in the same query when it can.
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
  const page = params.cursor === undefined ? (params.page ?? 1) : null;
  let rowsQuery = query.orderBy(sql.ref(idColumn)).limit(size + 1);
  if (params.cursor !== undefined) {
    rowsQuery = rowsQuery.where(sql.ref(idColumn), '>', decodeCursor(params.cursor));
  } else {
    rowsQuery = rowsQuery
      .select(sql<number>`count(*) over ()`.as('__total'))
      .offset(((page ?? 1) - 1) * size);
  }
  const fetched = (await rowsQuery.execute()) as (Row & { __total?: number })[];
  const hasMore = fetched.length > size;
  // A rest copy drops the window column: `delete` would turn every row into a slow dictionary-mode object.
  const rows = fetched.slice(0, size).map(({ __total: _total, ...row }) => row as Row);
  let totalCount = fetched[0]?.__total;
  if (totalCount === undefined) {
    const counted = await query.clearSelect().select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    totalCount = Number((counted as { n: number }).n);
  }
  const last = rows[rows.length - 1];
  const nextCursor = hasMore && last ? encodeCursor(Number(last[idColumn.split('.').pop() as string])) : null;
  return { rows, totalCount: Number(totalCount), page, size, nextCursor };
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
