import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DB, FeedbackAnonymity } from '../../db/schema.js';
import type { Principal } from '../access/principal.js';
import { hrScopeUserIdsSql } from '../access/scope.js';
import { reportsSql } from '../goals/visibility.js';

/**
 * Who reads feedback: the feedback part of the policy layer (docs/feedback.md). Readers of a person's
 * feedback are that person, their managers up the chain where the template allows, and hr_admins whose scope
 * holds them; a provider reads what they wrote. Nobody else: not admins, not super admins.
 */

/** The person `column` names is one of the principal's reports, or of their hr_admin scope (and not the principal). */
function overseenSql(p: Principal, column: RawBuilder<number>, managersMayRead: RawBuilder<boolean>) {
  const inScope = p.role === 'hr_admin' ? sql`or ${column} in (${hrScopeUserIdsSql(p)})` : sql``;
  return sql<boolean>`(${column} <> ${p.userId} and (
    (${managersMayRead} and ${column} in (select unnest(array(${reportsSql(p)}))))
    ${inScope}))`;
}

/**
 * A response (table `feedback_responses`) the principal may read as a response of its own, provider and all:
 * they wrote it; or it is named and about them; or they oversee its recipient and it is not anonymous to
 * everyone. A response anonymous to the reader is never listed or read one by one: its answers reach them
 * only pooled, in its request's results, once enough providers answered.
 */
export function readableResponseSql(p: Principal): RawBuilder<boolean> {
  const r = (c: string) => sql.ref(`feedback_responses.${c}`);
  return sql<boolean>`(${r('provider_user_id')} = ${p.userId}
    or (${r('anonymity')} = 'named' and ${r('recipient_user_id')} = ${p.userId})
    or (${r('anonymity')} <> 'anonymous_to_all'
      and ${overseenSql(p, sql`${r('recipient_user_id')}`, sql`${r('managers_can_read')}`)}))`;
}

/**
 * A request (table `feedback_requests`) the principal reads in full: they asked for it, are its recipient or
 * oversee them. The admin who made a scheduled cycle is not its requests' reader: admins do not read feedback.
 */
export function readsRequestSql(p: Principal): RawBuilder<boolean> {
  const r = (c: string) => sql.ref(`feedback_requests.${c}`);
  return sql<boolean>`((${r('requester_user_id')} = ${p.userId} and ${r('kind')} <> 'scheduled')
    or ${r('recipient_user_id')} = ${p.userId}
    or ${overseenSql(p, sql`${r('recipient_user_id')}`, sql`${r('managers_can_read')}`)})`;
}

/** A request the principal was asked to answer. */
export function askedSql(p: Principal): RawBuilder<boolean> {
  return sql<boolean>`exists (select 1 from feedback_providers x where x.org_id = feedback_requests.org_id
    and x.mode = feedback_requests.mode and x.request_id = feedback_requests.id and x.provider_user_id = ${p.userId})`;
}

/** Whether providers' names are hidden from this reader of a request's answers. */
export function namesHiddenFrom(
  p: Principal,
  request: { anonymity: FeedbackAnonymity; recipient_user_id: number },
): boolean {
  if (request.anonymity === 'anonymous_to_all') return true;
  return request.anonymity === 'anonymous_to_recipient' && request.recipient_user_id === p.userId;
}

/** Whether the principal manages `userId`, directly or further up the chain. */
export async function manages(db: Kysely<DB>, p: Principal, userId: number): Promise<boolean> {
  const { rows } = await sql<{ yes: boolean }>`select ${userId} in (${reportsSql(p)}) as yes`.execute(db);
  return rows[0]?.yes === true;
}
