import { Type } from '@sinclair/typebox';
import { expect } from 'vitest';
import { createUser, getUser, listUsers } from '../src/domain/users/service.js';
import type { Face } from '../src/faces/face.js';
import { principalOf, schemeCredential } from '../src/http/auth.js';
import type { FaceDescription } from './face-description.js';

/**
 * A throwaway second face, to prove that a new face gets every shared security case on its first day:
 * another prefix, another credential header, another envelope, another error body and other statuses,
 * its routes calling the real domain services. The shared security and bad-input cases run against it
 * unchanged.
 */

/** `Authorization: Token <key>`, read into the same credential as /v1's Bearer. */
const tokenCredential = schemeCredential('Token');

/** This face answers a forbidden caller as unauthorised, and a bad parameter as unprocessable. */
const otherStatus = (status: number) => (status === 403 ? 401 : status === 400 ? 422 : status);

const OtherUser = Type.Object({
  id: Type.Integer(),
  email: Type.String(),
  firstName: Type.String(),
  lastName: Type.String(),
  active: Type.Boolean(),
});
const ok = <T extends Parameters<typeof Type.Object>[0]>(result: T) =>
  Type.Object({ ok: Type.Literal(true), result: Type.Object(result) });

const toOther = (u: {
  id: number;
  email: string;
  first_name: string;
  last_name: string;
  status: string;
}) => ({
  id: u.id,
  email: u.email,
  firstName: u.first_name,
  lastName: u.last_name,
  active: u.status === 'active',
});

export const otherFace: Face = {
  prefix: '/other',
  readCredential: tokenCredential,
  openapiSecurity: {
    name: 'otherToken',
    scheme: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'Token <key>' },
  },
  answerError: (request, error) => ({
    status: otherStatus(error.status),
    body: { ok: false, code: error.code, request: request.id, reason: error.message },
  }),
  routes(app, { db }) {
    const tags = ['Other'];
    // Public routes read no credential; the second one reads the caller anyway, by mistake.
    app.get('/status', {
      config: { public: true },
      schema: { tags, summary: 'Whether the face is up', response: { 200: ok({ up: Type.Boolean() }) } },
      handler: async () => ({ ok: true as const, result: { up: true } }),
    });
    app.get('/status/caller', {
      config: { public: true },
      schema: { tags, summary: 'A public route that reads the caller by mistake' },
      handler: async (request) => ({ ok: true, result: { userId: principalOf(request).userId } }),
    });
    app.get('/users', {
      schema: {
        tags,
        summary: 'List users, by offset and limit',
        querystring: Type.Object(
          {
            offset: Type.Optional(Type.Integer({ minimum: 0 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
            email: Type.Optional(Type.String({ maxLength: 320 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: ok({
            items: Type.Array(OtherUser),
            total: Type.Integer(),
            offset: Type.Integer(),
            limit: Type.Integer(),
          }),
        },
      },
      handler: async (request) => {
        const { offset = 0, limit = 25, email } = request.query;
        const page = await listUsers(db, principalOf(request), { email }, { offset, limit });
        return {
          ok: true as const,
          result: { items: page.rows.map(toOther), total: page.totalCount, offset, limit },
        };
      },
    });
    app.get('/users/:id', {
      schema: {
        tags,
        summary: 'Get a user by id or email',
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 320 }) }),
        response: { 200: Type.Object({ ok: Type.Literal(true), result: OtherUser }) },
      },
      handler: async (request) => ({
        ok: true as const,
        result: toOther(await getUser(db, principalOf(request), request.params.id)),
      }),
    });
    app.post('/users', {
      schema: {
        tags,
        summary: 'Create a user',
        body: Type.Object(
          {
            email: Type.String({ format: 'email', maxLength: 320 }),
            firstName: Type.String({ minLength: 1, maxLength: 100 }),
            lastName: Type.String({ minLength: 1, maxLength: 100 }),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ ok: Type.Literal(true), result: OtherUser }) },
      },
      handler: async (request, reply) => {
        const { email, firstName, lastName } = request.body;
        const user = await createUser(db, principalOf(request), {
          email,
          first_name: firstName,
          last_name: lastName,
        });
        return reply.status(201).send({ ok: true, result: toOther(user) });
      },
    });
  },
};

type Body = Record<string, unknown> & { result?: Record<string, unknown> };

/** The second face as the shared suites see it, stated independently of its implementation above. */
export const otherDescription: FaceDescription = {
  name: 'other',
  prefix: '/other',
  authorize: (key) => ({ authorization: `Token ${key}` }),
  pageQuery: (size) => `limit=${size}`,
  dataOf: (body) => (body as Body).result,
  rowsOf: (body) => {
    const items = (body as Body).result?.items;
    return Array.isArray(items) ? items : null;
  },
  totalOf: (body) => (body as Body).result?.total as number,
  errorOf: (body) => ({ code: (body as Body).code, requestId: (body as Body).request }),
  errorShape: { ok: false, reason: expect.any(String) },
  notInErrors: ['result', 'success', 'error', 'data'],
  statusFor: (_code, status) => (status === 403 ? 401 : status === 400 ? 422 : status),
  coreRoutes: ['GET /other/users', 'GET /other/users/{id}', 'POST /other/users'],
  memberRefused: (route) => route.method !== 'get',
  modeIndependentKinds: [],
  usersPath: '/other/users',
};
