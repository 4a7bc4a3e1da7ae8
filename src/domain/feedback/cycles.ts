import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB, FeedbackCycleKind } from '../../db/schema.js';
import { gates, pass } from '../access/policy.js';
import type { Principal } from '../access/principal.js';
import { recordChange, recordChanges } from '../changes.js';
import { assertUsersExist } from '../directory/members.js';
import { AppError, notFound } from '../errors.js';
import { type PageRequest, paginate } from '../paging.js';
import { inTenant, type Tenant } from '../tenant.js';
import { inTransaction } from '../transactions.js';
import { getTemplate } from './templates.js';

/** One recipient of a cycle and the people asked about them; upward cycles default to their direct reports. */
export interface CycleAssignment {
  recipient_id: number;
  provider_ids?: number[] | undefined;
}

export interface NewCycle {
  name: string;
  kind: FeedbackCycleKind;
  template_id: number;
  due_on?: string | null | undefined;
  assignments: CycleAssignment[];
}

const invalid = (field: string, problem: string) =>
  new AppError('invalid_parameters', `${field}: ${problem}`, [{ field, problem }]);
const refused = (description: string) => new AppError('invalid_operation', description);

/** A cycle with its totals: how many requests, people asked and answers. Never who answered. */
function selectCycles(db: Kysely<DB>, t: Tenant) {
  const total = (status: string | null) =>
    sql<number>`(select count(*) from feedback_providers x join feedback_requests r
      on r.org_id = x.org_id and r.mode = x.mode and r.id = x.request_id
      where r.org_id = feedback_cycles.org_id and r.mode = feedback_cycles.mode and r.cycle_id = feedback_cycles.id
      ${status ? sql`and x.status = ${status}` : sql``})`;
  return db
    .selectFrom('feedback_cycles')
    .selectAll()
    .select([
      sql<number>`(select count(*) from feedback_requests r where r.org_id = feedback_cycles.org_id
        and r.mode = feedback_cycles.mode and r.cycle_id = feedback_cycles.id)`.as('requests'),
      total(null).as('asked'),
      total('submitted').as('submitted'),
      total('declined').as('declined'),
      total('pending').as('pending'),
    ])
    .where(inTenant(t));
}
export type CycleRow = NonNullable<Awaited<ReturnType<ReturnType<typeof selectCycles>['executeTakeFirst']>>>;

export function listCycles(db: Kysely<DB>, p: Principal, page: PageRequest) {
  pass(p, gates.manageFeedback);
  return paginate(selectCycles(db, p), 'id', page);
}

export async function getCycle(db: Kysely<DB>, p: Principal, id: number): Promise<CycleRow> {
  pass(p, gates.manageFeedback);
  const row = await selectCycles(db, p).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('feedback cycle');
  return row;
}

/** Each recipient's direct reports, for upward cycles. */
async function directReports(db: Kysely<DB>, t: Tenant, managerIds: number[]) {
  const rows = await db
    .selectFrom('users')
    .select(['id', 'manager_id'])
    .where(inTenant(t))
    .where('manager_id', 'in', managerIds)
    .where('status', '=', 'active')
    .execute();
  const reports = new Map<number, number[]>();
  for (const r of rows)
    reports.set(r.manager_id as number, [...(reports.get(r.manager_id as number) ?? []), r.id]);
  return reports;
}

/** Who is asked about each recipient, checked: 360s name them; upward asks direct reports only. */
async function providersOf(db: Kysely<DB>, p: Principal, input: NewCycle): Promise<Map<number, number[]>> {
  const recipients = input.assignments.map((a) => a.recipient_id);
  if (new Set(recipients).size !== recipients.length) invalidRepeat();
  await assertUsersExist(db, p, recipients);
  const reports =
    input.kind === 'upward' ? await directReports(db, p, recipients) : new Map<number, number[]>();
  const chosen = new Map<number, number[]>();
  for (const [i, a] of input.assignments.entries()) {
    const own = reports.get(a.recipient_id) ?? [];
    const ids = a.provider_ids ?? (input.kind === 'upward' ? own : []);
    if (ids.length === 0) {
      throw input.kind === 'upward'
        ? refused(`User ${a.recipient_id} has no direct reports to give upward feedback.`)
        : invalid(`assignments[${i}].provider_ids`, 'a 360 names its providers');
    }
    if (ids.includes(a.recipient_id)) refusedSelf(a.recipient_id);
    const notReport = input.kind === 'upward' ? ids.find((id) => !own.includes(id)) : undefined;
    if (notReport !== undefined) {
      throw refused(
        `User ${notReport} does not report to ${a.recipient_id}: upward feedback comes from reports.`,
      );
    }
    chosen.set(a.recipient_id, ids);
  }
  await assertUsersExist(db, p, [...chosen.values()].flat());
  return chosen;
}
function invalidRepeat(): never {
  throw invalid('assignments', 'names a recipient twice');
}
function refusedSelf(id: number): never {
  throw refused(`User ${id} cannot be asked for feedback on themselves.`);
}

async function insertRequests(
  trx: Transaction<DB>,
  p: Principal,
  cycleId: number,
  input: NewCycle,
  chosen: Map<number, number[]>,
) {
  const template = await getTemplate(trx, p, input.template_id);
  if (template.archived) throw refused('The feedback template is archived.');
  const made = await trx
    .insertInto('feedback_requests')
    .values(
      [...chosen.keys()].map((recipient) => ({
        org_id: p.orgId,
        mode: p.mode,
        kind: 'scheduled' as const,
        cycle_id: cycleId,
        requester_user_id: p.userId,
        recipient_user_id: recipient,
        template_id: template.id,
        questions: JSON.stringify(template.questions),
        anonymity: template.anonymity,
        managers_can_read: template.managers_can_read,
        message: null,
        due_on: input.due_on ?? null,
      })),
    )
    .returning(['id', 'recipient_user_id'])
    .execute();
  const asks = made.flatMap((r) =>
    (chosen.get(r.recipient_user_id) ?? []).map((provider) => ({
      org_id: p.orgId,
      mode: p.mode,
      request_id: r.id,
      provider_user_id: provider,
      decline_reason: null,
    })),
  );
  for (let i = 0; i < asks.length; i += 5000) {
    await trx
      .insertInto('feedback_providers')
      .values(asks.slice(i, i + 5000))
      .execute();
  }
  return made;
}

/**
 * A scheduled 360 or upward cycle (admins): one request per recipient with the providers chosen for them,
 * all in one transaction. The admin is the requests' requester but not their reader: the recipient and
 * those who oversee them read the results, under the template's anonymity and the threshold.
 */
export async function createCycle(db: Kysely<DB>, p: Principal, input: NewCycle) {
  pass(p, gates.manageFeedback);
  if (input.due_on && input.due_on < new Date().toISOString().slice(0, 10)) {
    throw invalid('due_on', 'is in the past');
  }
  const chosen = await providersOf(db, p, input);
  const id = await inTransaction(db, async (trx) => {
    const { id } = await trx
      .insertInto('feedback_cycles')
      .values({
        org_id: p.orgId,
        mode: p.mode,
        name: input.name,
        kind: input.kind,
        template_id: input.template_id,
        due_on: input.due_on ?? null,
        created_by: p.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const made = await insertRequests(trx, p, id, input, chosen);
    await recordChange(trx, p, 'feedback_cycle.created', id, {
      name: input.name,
      kind: input.kind,
      template_id: input.template_id,
      due_on: input.due_on ?? null,
      recipients: made.length,
    });
    await recordChanges(
      trx,
      p,
      'feedback_request.created',
      made.map((r) => ({
        objectId: r.id,
        changes: {
          kind: 'scheduled',
          cycle_id: id,
          recipient_id: r.recipient_user_id,
          provider_ids: chosen.get(r.recipient_user_id),
        },
      })),
    );
    return id;
  });
  return getCycle(db, p, id);
}

/**
 * Records a reminder for every open request of the cycle that still has providers to answer. The event names
 * the request and how many are pending, never who: on an anonymous request that would say who answered. The
 * outbox worker (webhooks issue) finds the pending providers when it delivers.
 */
export async function remindCycle(db: Kysely<DB>, p: Principal, id: number) {
  pass(p, gates.manageFeedback);
  await getCycle(db, p, id);
  const pending = await db
    .selectFrom('feedback_requests as r')
    .innerJoin('feedback_providers as x', (j) =>
      j.onRef('x.org_id', '=', 'r.org_id').onRef('x.mode', '=', 'r.mode').onRef('x.request_id', '=', 'r.id'),
    )
    .select(['r.id', sql<number>`count(*)`.as('pending')])
    .where(inTenant(p, 'r'))
    .where('r.cycle_id', '=', id)
    .where('r.status', '=', 'open')
    .where('x.status', '=', 'pending')
    .groupBy('r.id')
    .execute();
  await inTransaction(db, async (trx) => {
    await recordChanges(
      trx,
      p,
      'feedback_request.reminder_due',
      pending.map((r) => ({ objectId: r.id, changes: { cycle_id: id, pending: Number(r.pending) } })),
    );
  });
  return {
    cycle_id: id,
    reminded_requests: pending.length,
    pending_providers: pending.reduce((n, r) => n + Number(r.pending), 0),
  };
}
