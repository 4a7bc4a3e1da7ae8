import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../domain/errors.js';
import type { Page, PageRequest } from '../../domain/paging.js';
import type { CursorSecrets } from '../../http/cursor-secrets.js';
import { cursorBinding, openCursor, signCursor } from '../../http/signed-cursors.js';

/** /v1 pages by page and size, or by an opaque cursor: the domain's position, signed (listPaging). */
export const PageQuery = {
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'Page number, from 1.' })),
  size: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'Rows per page (default 20).' })),
  cursor: Type.Optional(
    Type.String({ maxLength: 200, description: 'The next_cursor of the previous page; replaces page.' }),
  ),
};

interface PageParams {
  page?: number | undefined;
  size?: number | undefined;
  cursor?: string | undefined;
}

/**
 * /v1's page, size and cursor as the domain's offset, limit and position, and the list part of the envelope.
 * The domain's position goes out signed and bound to the list and the caller (http/signed-cursors.ts), and
 * comes back only through verification: a cursor is never the client's to make or to move elsewhere.
 */
export function listPaging(secrets: CursorSecrets) {
  return {
    async pageRequest(request: FastifyRequest): Promise<PageRequest> {
      const params = request.query as PageParams;
      if (params.cursor !== undefined && params.page !== undefined) {
        throw new AppError('invalid_parameters', 'Send either page or cursor, not both.');
      }
      const limit = params.size ?? 20;
      if (params.cursor !== undefined) {
        return { limit, after: await openCursor(secrets, params.cursor, cursorBinding(request)) };
      }
      return { limit, offset: ((params.page ?? 1) - 1) * limit };
    },

    /** The list part of the envelope, with `next` built from the request's own URL. */
    async pageFields(page: Page<unknown>, request: FastifyRequest) {
      const number = page.offset === null ? null : Math.floor(page.offset / page.limit) + 1;
      const cursor = page.after && (await signCursor(secrets, page.after, cursorBinding(request)));
      let next: string | null = null;
      if (cursor) {
        const url = new URL(request.url, `${request.protocol}://${request.host}`);
        if (number === null) url.searchParams.set('cursor', cursor);
        else url.searchParams.set('page', String(number + 1));
        next = url.toString();
      }
      return {
        total_count: page.totalCount,
        page: number,
        size: page.limit,
        next,
        next_cursor: cursor || null,
      };
    },
  };
}
