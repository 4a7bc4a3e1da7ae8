import { type SelectQueryBuilder, sql } from 'kysely';
import { AppError } from './errors.js';

/**
 * What a caller asks of a list: a window of `limit` rows from `offset`, or the rows after a position a
 * previous page handed out (`after`, keyset: a deep page costs what the first does). Every face translates
 * its own parameters into this: /v1's page, size and cursor; WorkBoard's limit and offset; Betterworks'
 * page, size and nextURL.
 */
export interface PageRequest {
  limit: number;
  offset?: number | undefined;
  /** A previous page's `after`; it replaces `offset`. Opaque to the caller, made by the domain. */
  after?: string | undefined;
}

export interface Page<T> {
  rows: T[];
  totalCount: number;
  /** Where this page starts; null when it was reached by `after`. */
  offset: number | null;
  limit: number;
  /** The position of the next page, for `after`; null on the last page. */
  after: string | null;
}

/**
 * A position names the last row seen and the total counted when the walk began; on a newest-first list,
 * also that row's sort key as PostgreSQL writes it (a timestamp to the microsecond: the API's moments stop
 * at the millisecond, and a rounded key would skip or repeat rows that share it).
 */
interface Position {
  id: number;
  total: number | null;
  key: string | null;
}

const encodePosition = (id: number, total: number, key: string | null) =>
  Buffer.from(`id:${id}:total:${total}${key === null ? '' : `:key:${key}`}`).toString('base64url');

function decodePosition(after: string): Position {
  // `id:N` alone is the form positions had before they carried the total; they still work.
  const match = /^id:(\d{1,16})(?::total:(\d{1,16}))?(?::key:(.{1,40}))?$/.exec(
    Buffer.from(after, 'base64url').toString(),
  );
  if (!match?.[1]) throw new AppError('invalid_cursor');
  return {
    id: Number(match[1]),
    total: match[2] === undefined ? null : Number(match[2]),
    key: match[3] ?? null,
  };
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
export async function totalOf(query: SelectQueryBuilder<any, any, any>, counted?: number) {
  if (counted !== undefined) return Number(counted);
  const row = await query.clearSelect().select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  return Number((row as { n: number }).n);
}

// biome-ignore lint/suspicious/noExplicitAny: generic over every table's select builder.
type Query<Row> = SelectQueryBuilder<any, any, Row>;

/** Orders by id ascending, or by `newestFirst` descending then id descending; resumes after `position`. */
function ordered<Row>(
  query: Query<Row>,
  idColumn: string,
  newestFirst: string | undefined,
  position: Position | null,
) {
  const id = sql.ref(idColumn);
  if (newestFirst === undefined) {
    const q = query.orderBy(id);
    return position ? q.where(id, '>', position.id) : q;
  }
  if (position && position.key === null) throw new AppError('invalid_cursor');
  const key = sql.ref(newestFirst);
  const q = query.orderBy(key, 'desc').orderBy(id, 'desc').select(sql<string>`${key}::text`.as('__key'));
  return position ? q.where(sql<boolean>`(${key}, ${id}) < (${position.key}, ${position.id})`) : q;
}

/**
 * Pages a query ordered by `idColumn`, or newest first by the `newestFirst` column then the id: by offset,
 * or by position (keyset on the id, or on both). A position carries the total counted on the walk's first
 * page, so a deep page costs what the first does and walking a million rows counts them once, not once a
 * page; that total is as of the walk's start.
 */
// biome-ignore lint/suspicious/noExplicitAny: generic over every table's select builder.
export async function paginate<Row extends Record<string, any>>(
  query: Query<Row>,
  idColumn: string,
  request: PageRequest,
  newestFirst?: string,
): Promise<Page<Row>> {
  const { limit } = request;
  const position = request.after === undefined ? null : decodePosition(request.after);
  const offset = position ? null : (request.offset ?? 0);
  let rowsQuery = ordered(query, idColumn, newestFirst, position).limit(limit + 1);
  if (!position) rowsQuery = rowsQuery.offset(offset ?? 0);
  const carried = position?.total ?? null;
  if (carried === null) rowsQuery = rowsQuery.select(countOf(query).as('__total'));
  const fetched = (await rowsQuery.execute()) as (Row & { __total?: number; __key?: string })[];
  const totalCount = carried ?? (await totalOf(query, fetched[0]?.__total));
  const rows = fetched.slice(0, limit);
  const last = rows[rows.length - 1];
  const key = last?.__key ?? null;
  // The count and key are the rows' last columns (selected last, above), deleted last first: V8 deletes a
  // last property by going back to the row's previous hidden class, so the rows stay fast objects of one
  // class without a copy of each.
  if (carried === null) for (const row of rows) delete row.__total;
  if (newestFirst !== undefined) for (const row of rows) delete row.__key;
  const column = idColumn.split('.').pop() as string;
  const after = fetched.length > limit && last ? encodePosition(Number(last[column]), totalCount, key) : null;
  return { rows, totalCount, offset, limit, after };
}
