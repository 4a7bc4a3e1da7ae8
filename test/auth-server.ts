import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import { AppError } from '../src/domain/errors.js';

/**
 * A bare Fastify server for the credential rules of http/auth.ts: the cookie plugin and the secure-cookie
 * flag as buildApp sets them, and errors answered as `{ error, description }` with the AppError's status.
 * The suites mount the real readers and hook on it, without the app and its world around them.
 */
export async function credentialServer(mount: (server: FastifyInstance) => void) {
  const server = Fastify();
  await server.register(cookie);
  server.decorate('secureSessionCookie', false);
  server.setErrorHandler((error, _request, reply) =>
    error instanceof AppError
      ? reply.code(error.status).send({ error: error.code, description: error.message })
      : reply.code(500).send({ error: 'internal', description: (error as Error).message }),
  );
  mount(server);
  await server.ready();
  return server;
}

/** The status, error code and description of a refused request. */
export async function refusalOf(server: FastifyInstance, url: string, headers: Record<string, string> = {}) {
  const res = await server.inject({ method: 'GET', url, headers });
  return { status: res.statusCode, ...res.json() };
}
