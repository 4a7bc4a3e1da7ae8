import type { FastifyRequest } from 'fastify';
import type { PrincipalCache } from '../domain/access/principal-cache.js';

/** An onSend hook: a write answered by this server forgets every cached principal before its answer leaves. */
export function forgetAfterWrites(cache: PrincipalCache) {
  return async (request: FastifyRequest) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') cache.forgetAll();
  };
}
