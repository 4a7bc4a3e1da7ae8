import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { TestApp } from './harness.js';
import type { Route } from './route-catalog.js';

/**
 * What the shared suites need to know about an API face to run their cases against it: how a key is sent,
 * how a success body carries its data and a list its rows, and what an error looks like. The native face's
 * is the first; a new face's suite describes its face and calls the shared cases with it.
 */
export interface FaceDescription {
  name: string;
  /** e.g. /v1: the face's routes are the OpenAPI document's paths under it. */
  prefix: string;
  /** The headers that carry a key the face's way (Authorization: Bearer, APIToken, ...). */
  authorize(key: string): Record<string, string>;
  /** A query string (without "?") asking a list for one page of up to `size` rows. */
  pageQuery(size: number): string;
  /** The object of a single-object success body. */
  dataOf(body: unknown): unknown;
  /** The rows of a list's success body, or null when the body holds no list. */
  rowsOf(body: unknown): unknown[] | null;
  /** Rows matching a list's filters across all pages. */
  totalOf(body: unknown): number;
  /** The code and request id of an error body. */
  errorOf(body: unknown): { code: unknown; requestId: unknown };
  /** What every error body of the face matches, beside its code and request id (for toMatchObject). */
  errorShape: Record<string, unknown>;
  /** Properties an error body never has: a success body's data. */
  notInErrors: string[];
  /** The status the face answers for a code that the native face answers with `status`. */
  statusFor(code: string, status: number): number;

  // Cases specific to the route families the face serves.
  /** Labels the route list must include: the core resources of the face. */
  coreRoutes: string[];
  /** Routes a member may not call at all; the rest of the role matrix lives in each area's own suite. */
  memberRefused(route: Route): boolean;
  /** Kinds of object that belong to the organisation, not to a mode: a test key sees live ones too. */
  modeIndependentKinds: string[];
  /** The users collection (GET {usersPath}/{id or email}, GET {usersPath}?email=), for the mode cases. */
  usersPath: string;
}

/** The native face, /v1: `Authorization: Bearer`, the seed's envelope and error body, honest statuses. */
export const nativeDescription: FaceDescription = {
  name: 'native',
  prefix: '/v1',
  authorize: (key) => ({ authorization: `Bearer ${key}` }),
  pageQuery: (size) => `size=${size}`,
  dataOf: (body) => (body as { data?: unknown }).data,
  rowsOf: (body) => {
    const data = (body as { data?: unknown }).data;
    return Array.isArray(data) ? data : null;
  },
  totalOf: (body) => (body as { total_count: number }).total_count,
  errorOf: (body) => {
    const { error, request_id } = body as { error?: unknown; request_id?: unknown };
    return { code: error, requestId: request_id };
  },
  errorShape: {
    success: false,
    message: expect.any(String),
    error_description: expect.any(String),
  },
  notInErrors: ['data'],
  statusFor: (_code, status) => status,
  coreRoutes: ['GET /v1/users', 'GET /v1/users/{id}', 'POST /v1/api-keys', 'GET /v1/audit-events'],
  // A route with a gate refuses members by role alone (every gate is closed to a plain member).
  memberRefused: (r) => r.gate !== null,
  modeIndependentKinds: ['api-keys', 'service-accounts'],
  usersPath: '/v1/users',
};

/** app.inject with the key sent the face's way; an explicit header in the options wins. */
export const requestAs = (t: TestApp, face: FaceDescription, key: string | null, options: InjectOptions) =>
  t.app.inject({ ...options, headers: { ...(key && face.authorize(key)), ...options.headers } });

/**
 * The face's error body: the status the face gives the code (the native status, translated), the code,
 * the request id of the header, the face's error shape and never a success body's data.
 */
export function expectFaceError(
  face: FaceDescription,
  res: LightMyRequestResponse,
  status: number,
  code: string,
  label = '',
) {
  const where = `${face.name}: ${label} → ${res.statusCode} ${res.body.slice(0, 300)}`;
  expect(res.statusCode, where).toBe(face.statusFor(code, status));
  const body = res.json();
  expect(body, where).toMatchObject(face.errorShape);
  const { code: answered, requestId } = face.errorOf(body);
  expect(answered, where).toBe(code);
  expect(requestId, where).toBe(res.headers['x-request-id']);
  for (const key of face.notInErrors) {
    expect(body, `${where}: an error never carries ${key}`).not.toHaveProperty(key);
  }
}

/** expectFaceError bound to one face, for suites that check many answers of it. */
export const errorExpecter =
  (face: FaceDescription) =>
  (res: LightMyRequestResponse, status: number, code: string, label = '') =>
    expectFaceError(face, res, status, code, label);
