import { expect } from 'vitest';
import type { FaceDescription } from './face-description.js';

interface WbBody {
  data?: { totalCount?: number } & Record<string, unknown>;
}

/** The rows of WorkBoard's list envelope, `data: {totalCount, <resource>: [...]}`, whatever the resource. */
const listIn = (body: unknown) =>
  Object.entries((body as WbBody).data ?? {}).find(
    ([key, value]) => key !== 'totalCount' && Array.isArray(value),
  )?.[1] as Record<string, unknown>[] | undefined;

/** WorkBoard writes ids as `<resource>_id` strings; the matrix reads rows by a numeric `id`. */
const withId = (row: Record<string, unknown>) => {
  const key = Object.keys(row).find((k) => k.endsWith('_id') && /^\d+$/.test(String(row[k])));
  return { ...row, id: key === undefined ? undefined : Number(row[key]) };
};

/**
 * WorkBoard's face, /wb (src/faces/workboard): `Authorization: Bearer`, `{success, message, data: {totalCount,
 * <resource>}}`, `{success: false, error, error_description, request_id}` errors at the registry's statuses,
 * lists paged by limit and offset. Its bearer routes are few (stream management); the rest are public.
 */
export const workboardDescription: FaceDescription = {
  name: 'workboard',
  prefix: '/wb',
  authorize: (key) => ({ authorization: `Bearer ${key}` }),
  pageQuery: (size) => `limit=${size}`,
  dataOf: (body) => (body as WbBody).data,
  rowsOf: (body) => listIn(body)?.map(withId) ?? null,
  totalOf: (body) => (body as WbBody).data?.totalCount ?? 0,
  errorOf: (body) => {
    const { error, request_id } = body as { error?: unknown; request_id?: unknown };
    return { code: error, requestId: request_id };
  },
  errorShape: { success: false, error_description: expect.any(String) },
  notInErrors: ['data'],
  statusFor: (_code, status) => status,
  coreRoutes: ['GET /wb/apis/stream', 'POST /wb/apis/stream'],
  memberRefused: () => false,
  modeIndependentKinds: [],
  usersPath: '',
};
