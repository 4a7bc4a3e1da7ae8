import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ExpressionBuilder, Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { AppError } from '../domain/errors.js';
import { principalOf } from './auth.js';

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyKey?: string;
  }
  interface FastifyContextConfig {
    /** Removes secrets from a response before it is kept for replay: a secret is shown once, never stored. */
    redactStoredResponse?: (body: string) => string;
  }
}

const KEY = /^[\w.:-]{1,255}$/;
/** Keys are remembered for a day, as Stripe does; older ones may be reused. */
const TTL_MS = 24 * 60 * 60 * 1000;

interface KeyRow {
  org_id: number;
  api_key_id: number;
  idempotency_key: string;
}

const matching = (row: KeyRow) => (eb: ExpressionBuilder<DB, 'idempotency_keys'>) =>
  eb.and([
    eb('org_id', '=', row.org_id),
    eb('api_key_id', '=', row.api_key_id),
    eb('idempotency_key', '=', row.idempotency_key),
  ]);

const requestHash = (request: FastifyRequest) =>
  createHash('sha256')
    .update(
      `${request.method} ${request.url}\n${typeof request.body === 'string' ? request.body : JSON.stringify(request.body ?? null)}`,
    )
    .digest('hex');

/**
 * Idempotency-Key on POST: the first request's response is stored under (key holder's API key, key);
 * the same key with the same request replays it, with a different request it is a 409.
 */
export function idempotency(db: Kysely<DB>) {
  const preHandler = async (request: FastifyRequest, reply: FastifyReply) => {
    const key = request.headers['idempotency-key'];
    // A public route has no key holder to remember the key for (a webhook's own webhook-id does that job).
    if (request.method !== 'POST' || key === undefined || request.routeOptions.config.public) return;
    if (typeof key !== 'string' || !KEY.test(key)) {
      throw new AppError('invalid_parameters', 'Idempotency-Key must be 1 to 255 letters, digits or ._:-');
    }
    const { orgId, apiKeyId } = principalOf(request);
    if (apiKeyId === null) return;
    const hash = requestHash(request);
    const row = { org_id: orgId, api_key_id: apiKeyId, idempotency_key: key };
    await db
      .deleteFrom('idempotency_keys')
      .where(matching(row))
      .where('created_at', '<', new Date(Date.now() - TTL_MS).toISOString())
      .execute();
    const inserted = await db
      .insertInto('idempotency_keys')
      .values({ ...row, request_hash: hash })
      .onConflict((c) => c.doNothing())
      .returning('idempotency_key')
      .executeTakeFirst();
    if (inserted) {
      request.idempotencyKey = key;
      return;
    }
    const stored = await db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where(matching(row))
      .executeTakeFirstOrThrow();
    if (stored.request_hash !== hash) throw new AppError('idempotency_key_reused');
    if (stored.status_code === null || stored.response_body === null)
      throw new AppError('idempotency_key_in_progress');
    reply.header('idempotent-replayed', 'true').header('content-type', 'application/json; charset=utf-8');
    return reply.status(stored.status_code).send(stored.response_body);
  };

  /** Stores the outcome; a server error frees the key so that the client's retry runs for real. */
  const onSend = async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const key = request.idempotencyKey;
    if (!key) return payload;
    const { orgId, apiKeyId } = principalOf(request);
    const where = matching({ org_id: orgId, api_key_id: apiKeyId as number, idempotency_key: key });
    if (reply.statusCode >= 500) {
      await db.deleteFrom('idempotency_keys').where(where).execute();
    } else {
      const redact = request.routeOptions.config.redactStoredResponse;
      const body = redact && reply.statusCode < 300 ? redact(String(payload)) : String(payload);
      await db
        .updateTable('idempotency_keys')
        .set({ status_code: reply.statusCode, response_body: body })
        .where(where)
        .execute();
    }
    return payload;
  };
  return { preHandler, onSend };
}
