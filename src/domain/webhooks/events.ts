import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { gates, pass } from '../access/policy.js';
import type { Principal } from '../access/principal.js';
import { type PageRequest, paginate } from '../paging.js';
import { inTenant } from '../tenant.js';

export interface EventFilters {
  type?: string | undefined;
  /** Events written at or after this moment. */
  since?: string | undefined;
}

/** The outbox as subscribers see it: every outbound event of the organisation and mode, oldest first. */
export function listEvents(db: Kysely<DB>, p: Principal, f: EventFilters, page: PageRequest) {
  pass(p, gates.manageWebhooks);
  let q = db
    .selectFrom('events')
    .select(['id', 'type', 'object_type', 'object_id', 'payload', 'created_at'])
    .where(inTenant(p));
  if (f.type) q = q.where('type', '=', f.type);
  if (f.since) q = q.where('created_at', '>=', f.since);
  return paginate(q, 'id', page);
}
