import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { gates, pass } from '../access/policy.js';
import type { Principal } from '../access/principal.js';
import { type PageRequest, paginate } from '../paging.js';
import { inTenant } from '../tenant.js';

/** The fields that differ between two versions of an object, as { field: { from, to } }. */
export function diff<T extends Record<string, unknown>>(
  before: T,
  after: Partial<T>,
): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  for (const [field, to] of Object.entries(after)) {
    const from = before[field];
    if (to !== undefined && JSON.stringify(from) !== JSON.stringify(to)) changes[field] = { from, to };
  }
  return changes;
}

export interface AuditFilters {
  action?: string | undefined;
  object_type?: string | undefined;
  object_id?: number | undefined;
  actor_user_id?: number | undefined;
  api_key_id?: number | undefined;
  request_id?: string | undefined;
  since?: string | undefined;
  until?: string | undefined;
}

export function listAuditEvents(db: Kysely<DB>, actor: Principal, f: AuditFilters, page: PageRequest) {
  pass(actor, gates.readAuditEvents);
  let q = db.selectFrom('audit_events').selectAll().where(inTenant(actor));
  if (f.action) q = q.where('action', '=', f.action);
  if (f.object_type) q = q.where('object_type', '=', f.object_type);
  if (f.object_id !== undefined) q = q.where('object_id', '=', f.object_id);
  if (f.actor_user_id !== undefined) q = q.where('actor_user_id', '=', f.actor_user_id);
  if (f.api_key_id !== undefined) q = q.where('api_key_id', '=', f.api_key_id);
  if (f.request_id) q = q.where('request_id', '=', f.request_id);
  if (f.since) q = q.where('occurred_at', '>=', f.since);
  if (f.until) q = q.where('occurred_at', '<', f.until);
  return paginate(q, 'id', page);
}
