import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { notFound } from '../../http/errors.js';
import { type PageParams, paginate } from '../../http/pagination.js';
import type { Principal } from '../access/principal.js';
import { findVisibleGoal } from './references.js';

export interface HistoryFilters extends PageParams {
  since?: string | undefined;
}

/**
 * Everything that happened to a goal and its milestones (deleted ones included: they keep their goal_id),
 * read from the audit log: who, when, through which key and request, and each field's from → to. Oldest
 * first, so that a client can follow it with the cursor and never miss an entry.
 */
export async function goalHistory(db: Kysely<DB>, p: Principal, goalId: number, f: HistoryFilters) {
  if (!(await findVisibleGoal(db, p, goalId))) throw notFound('goal');
  let q = db
    .selectFrom('audit_events')
    .selectAll()
    .where('org_id', '=', p.orgId)
    .where('mode', '=', p.mode)
    .where((eb) =>
      eb.or([
        eb.and([eb('object_type', '=', 'goal'), eb('object_id', '=', goalId)]),
        eb.and([
          eb('object_type', '=', 'milestone'),
          eb(
            'object_id',
            'in',
            eb
              .selectFrom('milestones')
              .select('id')
              .where('org_id', '=', p.orgId)
              .where('mode', '=', p.mode)
              .where('goal_id', '=', goalId),
          ),
        ]),
      ]),
    );
  if (f.since) q = q.where('occurred_at', '>=', new Date(f.since));
  return paginate(q, 'id', f);
}
