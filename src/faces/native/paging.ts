import { Type } from '@sinclair/typebox';
import { AppError } from '../../domain/errors.js';
import type { Page, PageRequest } from '../../domain/paging.js';

/** /v1 pages by page and size, or by an opaque cursor: the domain's position, handed out as it is. */
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

/** /v1's page, size and cursor as the domain's offset, limit and position. */
export function pageRequest(params: PageParams): PageRequest {
  if (params.cursor !== undefined && params.page !== undefined) {
    throw new AppError('invalid_parameters', 'Send either page or cursor, not both.');
  }
  const limit = params.size ?? 20;
  if (params.cursor !== undefined) return { limit, after: params.cursor };
  return { limit, offset: ((params.page ?? 1) - 1) * limit };
}

/** The list part of the envelope, with `next` built from the request's own URL. */
export function pageFields(page: Page<unknown>, request: { url: string; protocol: string; host: string }) {
  const number = page.offset === null ? null : Math.floor(page.offset / page.limit) + 1;
  let next: string | null = null;
  if (page.after) {
    const url = new URL(request.url, `${request.protocol}://${request.host}`);
    if (number === null) url.searchParams.set('cursor', page.after);
    else url.searchParams.set('page', String(number + 1));
    next = url.toString();
  }
  return { total_count: page.totalCount, page: number, size: page.limit, next, next_cursor: page.after };
}
