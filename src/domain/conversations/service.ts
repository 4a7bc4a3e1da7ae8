import type { Kysely } from 'kysely';
import type { ConversationStatus, DB } from '../../db/schema.js';
import { policy } from '../access/policy.js';
import type { Principal } from '../access/principal.js';
import { recordChange } from '../changes.js';
import { AppError, forbidden, notFound } from '../errors.js';
import { type PageRequest, paginate } from '../paging.js';
import { inTenant } from '../tenant.js';
import { inTransaction } from '../transactions.js';
import * as repo from './conversation-repo.js';
import * as templates from './template-repo.js';
import { conversationView } from './views.js';

export interface ConversationFilters {
  /** Conversations this person takes part in, on either side. */
  person_id?: number | undefined;
  manager_id?: number | undefined;
  report_id?: number | undefined;
  status?: ConversationStatus | undefined;
  deployment_id?: number | undefined;
  template_id?: number | undefined;
  /** Conversations of deployments for this period. */
  period_id?: number | undefined;
  due_from?: string | undefined;
  due_to?: string | undefined;
}

export interface NewConversation {
  template_id: number;
  report_id: number;
  manager_id?: number | undefined;
  starts_on?: string | undefined;
  due_on?: string | undefined;
}

/** Anytime conversations are due four weeks after they start unless told otherwise (Betterworks' default). */
export const ANYTIME_DUE_DAYS = 28;

export async function listConversations(
  db: Kysely<DB>,
  p: Principal,
  f: ConversationFilters,
  page: PageRequest,
) {
  let q = repo.selectConversations(db, p);
  const readable = repo.readableConversationSql(p);
  if (readable) q = q.where(readable);
  if (f.person_id !== undefined)
    q = q.where((eb) =>
      eb.or([eb('c.manager_id', '=', f.person_id as number), eb('c.report_id', '=', f.person_id as number)]),
    );
  if (f.manager_id !== undefined) q = q.where('c.manager_id', '=', f.manager_id);
  if (f.report_id !== undefined) q = q.where('c.report_id', '=', f.report_id);
  if (f.status !== undefined) q = q.where('c.status', '=', f.status);
  if (f.deployment_id !== undefined) q = q.where('c.deployment_id', '=', f.deployment_id);
  if (f.template_id !== undefined) q = q.where('c.template_id', '=', f.template_id);
  if (f.due_from !== undefined) q = q.where('c.due_on', '>=', f.due_from);
  if (f.due_to !== undefined) q = q.where('c.due_on', '<=', f.due_to);
  if (f.period_id !== undefined) {
    const periodId = f.period_id;
    q = q.where('c.deployment_id', 'in', (eb) =>
      eb
        .selectFrom('conversation_deployments as d')
        .select('d.id')
        .where(inTenant(p, 'd'))
        .where('d.period_id', '=', periodId),
    );
  }
  return paginate(q, 'c.id', page);
}

export async function getConversation(db: Kysely<DB>, p: Principal, id: number) {
  const row = await repo.findReadableConversation(db, p, id);
  if (!row) throw notFound('conversation');
  return readableView(db, p, id, row);
}

/** A readable conversation's view, with the caller's own private note. */
async function readableView(db: Kysely<DB>, p: Principal, id: number, row: repo.ConversationDetailRow) {
  const note = await repo.findOwnPrivateNote(db, p, id);
  return conversationView(p, row, note?.body ?? null);
}

/**
 * The conversation as it stands after a write by someone who may act on it without reading it (an admin
 * starting or reassigning where the template does not let admins read): its pair, dates and questions, but
 * no answers, notes or goals.
 */
export async function conversationAfterWrite(db: Kysely<DB>, p: Principal, id: number) {
  const readable = await repo.findReadableConversation(db, p, id);
  if (readable) return readableView(db, p, id, readable);
  const row = await repo.selectConversationDetail(db, p).where('c.id', '=', id).executeTakeFirstOrThrow();
  const blank = {
    ...row,
    shared_notes: null,
    manager_draft: null,
    report_draft: null,
    manager_answers: null,
    report_answers: null,
    goal_ids: [],
  };
  return conversationView(p, blank, null);
}

const addDays = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * Starts an anytime conversation between a report and their current manager. The caller is one of the
 * two (an org admin may start one for any pair); a report may not start one when the template says only
 * managers may.
 */
export async function startConversation(db: Kysely<DB>, p: Principal, input: NewConversation) {
  const startsOn = input.starts_on ?? new Date().toISOString().slice(0, 10);
  const dueOn = input.due_on ?? addDays(startsOn, ANYTIME_DUE_DAYS);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(dueOn))
    throw new AppError('invalid_operation', 'starts_on is too late for the default due date; send due_on.');
  if (dueOn < startsOn)
    throw new AppError(
      'invalid_operation',
      'due_on is before starts_on: a conversation is due on or after its start.',
    );
  const id = await inTransaction(db, async (trx) => {
    const template = await templates.findTemplate(trx, p, input.template_id);
    if (!template)
      throw new AppError('invalid_operation', `Conversation template ${input.template_id} does not exist.`);
    if (template.kind !== 'anytime')
      throw new AppError(
        'invalid_operation',
        'Scheduled templates reach people through deployments; start an anytime one.',
      );
    const report = await trx
      .selectFrom('users')
      .select(['id', 'manager_id', 'status'])
      .where(inTenant(p))
      .where('id', '=', input.report_id)
      .executeTakeFirst();
    if (!report) throw new AppError('invalid_operation', `User ${input.report_id} does not exist.`);
    if (report.status !== 'active')
      throw new AppError('invalid_operation', `User ${report.id} is deactivated.`);
    const managerId = input.manager_id ?? report.manager_id;
    if (managerId === null)
      throw new AppError(
        'invalid_operation',
        `User ${report.id} has no manager to have a conversation with.`,
      );
    if (managerId !== report.manager_id)
      throw new AppError('invalid_operation', `User ${managerId} is not the manager of user ${report.id}.`);
    const admin = policy.startAnyConversation(p);
    if (!admin && p.userId !== managerId && p.userId !== report.id)
      throw forbidden('You can start a conversation only with your manager or one of your reports.');
    if (!admin && p.userId === report.id && template.only_managers_start)
      throw forbidden('Only managers may start conversations from this template.');
    const { id } = await trx
      .insertInto('conversations')
      .values({
        org_id: p.orgId,
        mode: p.mode,
        template_id: template.id,
        template_version: template.version,
        manager_id: managerId,
        report_id: report.id,
        starts_on: startsOn,
        due_on: dueOn,
        created_by: p.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordChange(trx, p, 'conversation.created', id, {
      template_id: template.id,
      template_version: template.version,
      manager_id: managerId,
      report_id: report.id,
      starts_on: startsOn,
      due_on: dueOn,
    });
    return id;
  });
  return conversationAfterWrite(db, p, id);
}
