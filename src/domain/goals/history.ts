import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Principal } from '../access/principal.js';
import { notFound } from '../errors.js';
import { type PageRequest, paginate } from '../paging.js';
import { inTenant } from '../tenant.js';
import { findVisibleGoal } from './references.js';

export interface HistoryFilters {
  since?: string | undefined;
}

/**
 * Everything that happened to a goal, its milestones (deleted ones included: they keep their goal_id), its
 * comments and its assessments, read from the audit log: who, when, through which key and request, and each
 * field's from → to. Oldest first, so that a client can follow it with the cursor and never miss an entry.
 */
export async function goalHistory(
  db: Kysely<DB>,
  p: Principal,
  goalId: number,
  f: HistoryFilters,
  page: PageRequest,
) {
  if (!(await findVisibleGoal(db, p, goalId))) throw notFound('goal');
  let q = db
    .selectFrom('audit_events')
    .selectAll()
    .where(inTenant(p))
    .where((eb) => {
      const ofGoal = (table: 'milestones' | 'goal_comments' | 'goal_assessments') =>
        eb.selectFrom(table).select('id').where(inTenant(p)).where('goal_id', '=', goalId);
      return eb.or([
        eb.and([eb('object_type', '=', 'goal'), eb('object_id', '=', goalId)]),
        eb.and([eb('object_type', '=', 'milestone'), eb('object_id', 'in', ofGoal('milestones'))]),
        eb.and([eb('object_type', '=', 'comment'), eb('object_id', 'in', ofGoal('goal_comments'))]),
        eb.and([eb('object_type', '=', 'assessment'), eb('object_id', 'in', ofGoal('goal_assessments'))]),
      ]);
    });
  if (f.since) q = q.where('occurred_at', '>=', f.since);
  return paginate(q, 'id', page);
}
