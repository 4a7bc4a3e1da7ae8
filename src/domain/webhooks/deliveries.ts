import type { Kysely } from 'kysely';
import type { DB, DeliveryStatus } from '../../db/schema.js';
import { gates, pass } from '../access/policy.js';
import type { Principal } from '../access/principal.js';
import { recordChange } from '../changes.js';
import { notFound } from '../errors.js';
import { type PageRequest, paginate } from '../paging.js';
import { inTenant } from '../tenant.js';
import { inTransaction } from '../transactions.js';
import { PING_EVENT } from './event-types.js';

export interface DeliveryFilters {
  endpoint_id?: number | undefined;
  event_id?: number | undefined;
  status?: DeliveryStatus | undefined;
}

const selectDeliveries = (db: Kysely<DB>, p: Principal) =>
  db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('events as ev', (j) =>
      j.onRef('ev.org_id', '=', 'd.org_id').onRef('ev.mode', '=', 'd.mode').onRef('ev.id', '=', 'd.event_id'),
    )
    .select([
      'd.id',
      'd.endpoint_id',
      'd.event_id',
      'ev.type as event_type',
      'd.status',
      'd.attempt_count',
      'd.next_attempt_at',
      'd.last_attempt_at',
      'd.last_status_code',
      'd.last_latency_ms',
      'd.last_response',
      'd.last_error',
      'd.created_at',
    ])
    .where(inTenant(p, 'd'));

export type DeliveryRow = NonNullable<
  Awaited<ReturnType<ReturnType<typeof selectDeliveries>['executeTakeFirst']>>
>;

/** The delivery log, newest first: what each endpoint was sent and what it answered. */
export function listDeliveries(db: Kysely<DB>, p: Principal, f: DeliveryFilters, page: PageRequest) {
  pass(p, gates.manageWebhooks);
  let q = selectDeliveries(db, p);
  if (f.endpoint_id !== undefined) q = q.where('d.endpoint_id', '=', f.endpoint_id);
  if (f.event_id !== undefined) q = q.where('d.event_id', '=', f.event_id);
  if (f.status !== undefined) q = q.where('d.status', '=', f.status);
  return paginate(q, 'd.id', page);
}

async function findDelivery(db: Kysely<DB>, p: Principal, id: number) {
  const delivery = await selectDeliveries(db, p).where('d.id', '=', id).executeTakeFirst();
  if (!delivery) throw notFound('webhook delivery');
  return delivery;
}

export function getDelivery(db: Kysely<DB>, p: Principal, id: number) {
  pass(p, gates.manageWebhooks);
  return findDelivery(db, p, id);
}

/** A new delivery of the same event to the same endpoint, due now; the old one stays in the log as it was. */
export async function redeliver(db: Kysely<DB>, p: Principal, id: number): Promise<DeliveryRow> {
  pass(p, gates.manageWebhooks);
  return inTransaction(db, async (trx) => {
    const old = await findDelivery(trx, p, id);
    const delivery = await queueDelivery(trx, p, old.endpoint_id, old.event_id);
    await recordChange(trx, p, 'webhook_delivery.redelivered', delivery.id, {
      endpoint_id: old.endpoint_id,
      event_id: old.event_id,
      redelivery_of: old.id,
    });
    return delivery;
  });
}

/** A `webhook.ping` event for one endpoint, delivered by the worker like any other; answers its delivery. */
export async function pingEndpoint(db: Kysely<DB>, p: Principal, endpointId: number): Promise<DeliveryRow> {
  pass(p, gates.manageWebhooks);
  return inTransaction(db, async (trx) => {
    const endpoint = await trx
      .selectFrom('webhook_endpoints')
      .select('id')
      .where(inTenant(p))
      .where('id', '=', endpointId)
      .executeTakeFirst();
    if (!endpoint) throw notFound('webhook endpoint');
    const { id: eventId } = await trx
      .insertInto('events')
      .values({
        org_id: p.orgId,
        mode: p.mode,
        type: PING_EVENT,
        object_type: 'webhook_endpoint',
        object_id: endpointId,
        payload: JSON.stringify({ object: 'webhook_endpoint', id: endpointId, mode: p.mode }),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const delivery = await queueDelivery(trx, p, endpointId, eventId);
    await recordChange(trx, p, 'webhook_endpoint.pinged', endpointId, { delivery_id: delivery.id });
    return delivery;
  });
}

async function queueDelivery(trx: Kysely<DB>, p: Principal, endpointId: number, eventId: number) {
  const { id } = await trx
    .insertInto('webhook_deliveries')
    .values({
      org_id: p.orgId,
      mode: p.mode,
      endpoint_id: endpointId,
      event_id: eventId,
      next_attempt_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return findDelivery(trx, p, id);
}
