import type { FastifyRequest } from 'fastify';
import type { PrincipalCache } from '../domain/access/principal-cache.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The route's writes never touch what the auth query reads (keys, their holders' status, role and
     * data-admin grant, notice acceptances, the organisation's notice version: the tables migration 0004
     * watches), so its answer leaves the cached principals alone. Without it every check-in made the next
     * request of every key ask the database again. Set it only on routes whose commands keep off those tables.
     */
    keepsPrincipals?: boolean;
  }
}

/** On routes that keep off the auth tables: goals, milestones, check-ins, comments, assessments, recognition, metric hooks. */
export const KEEPS_PRINCIPALS = { keepsPrincipals: true } as const;

/**
 * An onSend hook: a write answered by this server forgets every cached principal before its answer leaves,
 * unless its route says it cannot have changed one.
 */
export function forgetAfterWrites(cache: PrincipalCache) {
  return async (request: FastifyRequest) => {
    if (request.method === 'GET' || request.method === 'HEAD') return;
    if (request.routeOptions.config?.keepsPrincipals) return;
    cache.forgetAll();
  };
}
