import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { gates, pass } from '../access/policy.js';
import type { Principal } from '../access/principal.js';
import { recordChange, recordSystemChange } from '../changes.js';
import { notFound } from '../errors.js';
import { generateSigningSecret } from '../metric-hooks/signature.js';
import { type PageRequest, paginate } from '../paging.js';
import { inTenant, type Tenant } from '../tenant.js';
import { inTransaction } from '../transactions.js';
import { type AddressAllowList, checkEndpointUrl } from './addresses.js';
import { checkEventTypes } from './event-types.js';

export interface NewEndpoint {
  url: string;
  description?: string | null | undefined;
  /** The event types it receives; null or absent: every outbound event. */
  event_types?: string[] | null | undefined;
  /** False: made disabled, so that nothing is sent until an admin enables it. True when absent. */
  enabled?: boolean | undefined;
}

export interface EndpointFields {
  url?: string | undefined;
  description?: string | null | undefined;
  event_types?: string[] | null | undefined;
  enabled?: boolean | undefined;
}

/** What an endpoint's reads show: never its signing secret. */
const endpointColumns = [
  'id',
  'mode',
  'url',
  'description',
  'event_types',
  'enabled',
  'disabled_reason',
  'created_by',
  'created_at',
  'updated_at',
] as const;

const selectEndpoints = (db: Kysely<DB>, p: Principal) =>
  db.selectFrom('webhook_endpoints').select(endpointColumns).where(inTenant(p));

export type EndpointRow = NonNullable<
  Awaited<ReturnType<ReturnType<typeof selectEndpoints>['executeTakeFirst']>>
>;

/** An endpoint with its signing secret: what creation and rotation show, once. */
export interface IssuedEndpoint {
  endpoint: EndpointRow;
  secret: string;
}

async function findEndpoint(db: Kysely<DB>, p: Principal, id: number): Promise<EndpointRow> {
  const endpoint = await selectEndpoints(db, p).where('id', '=', id).executeTakeFirst();
  if (!endpoint) throw notFound('webhook endpoint');
  return endpoint;
}

export async function createEndpoint(
  db: Kysely<DB>,
  p: Principal,
  input: NewEndpoint,
  allow: AddressAllowList,
): Promise<IssuedEndpoint> {
  pass(p, gates.manageWebhooks);
  const url = checkEndpointUrl(input.url, allow);
  const eventTypes = checkEventTypes(input.event_types ?? null);
  const enabled = input.enabled ?? true;
  const secret = generateSigningSecret();
  const endpoint = await inTransaction(db, async (trx) => {
    const { id } = await trx
      .insertInto('webhook_endpoints')
      .values({
        org_id: p.orgId,
        mode: p.mode,
        url,
        description: input.description ?? null,
        event_types: eventTypes,
        enabled,
        signing_secret: secret,
        created_by: p.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordChange(trx, p, 'webhook_endpoint.created', id, { url, event_types: eventTypes, enabled });
    return findEndpoint(trx, p, id);
  });
  return { endpoint, secret };
}

export function listEndpoints(db: Kysely<DB>, p: Principal, page: PageRequest) {
  pass(p, gates.manageWebhooks);
  return paginate(selectEndpoints(db, p), 'id', page);
}

export function getEndpoint(db: Kysely<DB>, p: Principal, id: number) {
  pass(p, gates.manageWebhooks);
  return findEndpoint(db, p, id);
}

/** Enabling an endpoint the worker disabled (a 410) clears its reason; its waiting deliveries resume. */
export async function updateEndpoint(
  db: Kysely<DB>,
  p: Principal,
  id: number,
  fields: EndpointFields,
  allow: AddressAllowList,
) {
  pass(p, gates.manageWebhooks);
  return inTransaction(db, async (trx) => {
    // Another organisation's endpoint is a 404 before its new URL is judged.
    const before = await findEndpoint(trx, p, id);
    const next = {
      ...(fields.url !== undefined && { url: checkEndpointUrl(fields.url, allow) }),
      ...(fields.description !== undefined && { description: fields.description }),
      ...(fields.event_types !== undefined && { event_types: checkEventTypes(fields.event_types) }),
      ...(fields.enabled !== undefined && { enabled: fields.enabled }),
    };
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const [field, to] of Object.entries(next)) {
      const from = before[field as keyof typeof next];
      if (JSON.stringify(from) !== JSON.stringify(to)) changes[field] = { from, to };
    }
    if (Object.keys(changes).length === 0) return before;
    const reason = next.enabled === true ? { disabled_reason: null } : {};
    await trx
      .updateTable('webhook_endpoints')
      .set({ ...next, ...reason, updated_at: new Date() })
      .where(inTenant(p))
      .where('id', '=', id)
      .execute();
    await recordChange(trx, p, 'webhook_endpoint.updated', id, changes);
    return findEndpoint(trx, p, id);
  });
}

/** A new secret signs every delivery from now on, retries of older events included; it is shown once. */
export async function rotateEndpointSecret(
  db: Kysely<DB>,
  p: Principal,
  id: number,
): Promise<IssuedEndpoint> {
  pass(p, gates.manageWebhooks);
  const secret = generateSigningSecret();
  const endpoint = await inTransaction(db, async (trx) => {
    await findEndpoint(trx, p, id);
    await trx
      .updateTable('webhook_endpoints')
      .set({ signing_secret: secret, updated_at: new Date() })
      .where(inTenant(p))
      .where('id', '=', id)
      .execute();
    await recordChange(trx, p, 'webhook_endpoint.rotated', id, {});
    return findEndpoint(trx, p, id);
  });
  return { endpoint, secret };
}

/** Deletes the endpoint and its delivery log (the events stay, for /v1/events and other endpoints). */
export function deleteEndpoint(db: Kysely<DB>, p: Principal, id: number) {
  pass(p, gates.manageWebhooks);
  return inTransaction(db, async (trx) => {
    const endpoint = await findEndpoint(trx, p, id);
    await trx.deleteFrom('webhook_deliveries').where(inTenant(p)).where('endpoint_id', '=', id).execute();
    await trx.deleteFrom('webhook_endpoints').where(inTenant(p)).where('id', '=', id).execute();
    await recordChange(trx, p, 'webhook_endpoint.deleted', id, { url: endpoint.url });
  });
}

const GONE = 'The endpoint answered 410 Gone.';

/**
 * The delivery worker's answer to a 410 Gone: the endpoint is disabled and the system's change audited, with
 * the delivery that was answered and nothing of the endpoint's URL or secret. An endpoint already disabled
 * (a second 410 in the same round) records nothing more.
 */
export function disableGoneEndpoint(db: Kysely<DB>, t: Tenant, id: number, deliveryId: number) {
  return inTransaction(db, async (trx) => {
    const disabled = await trx
      .updateTable('webhook_endpoints')
      .set({ enabled: false, disabled_reason: GONE, updated_at: new Date() })
      .where(inTenant(t))
      .where('id', '=', id)
      .where('enabled', '=', true)
      .returning('id')
      .executeTakeFirst();
    if (!disabled) return;
    await recordSystemChange(trx, t, 'webhook_endpoint.disabled', id, {
      enabled: { from: true, to: false },
      disabled_reason: GONE,
      delivery_id: deliveryId,
    });
  });
}
