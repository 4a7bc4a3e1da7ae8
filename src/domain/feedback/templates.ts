import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DB, FeedbackAnonymity } from '../../db/schema.js';
import { gates, pass } from '../access/policy.js';
import type { Principal } from '../access/principal.js';
import { diff } from '../audit/service.js';
import { recordChange } from '../changes.js';
import { nameContains } from '../directory/members.js';
import { notFound, type UniqueConstraints } from '../errors.js';
import { type PageRequest, paginate } from '../paging.js';
import { inTenant, type Tenant } from '../tenant.js';
import { inTransaction } from '../transactions.js';
import { buildQuestions, type QuestionInput } from './questions.js';

export const uniqueConstraints: UniqueConstraints = {
  feedback_templates_name: 'A feedback template with this name already exists.',
  feedback_responses_one_each: 'You have already answered this request.',
};

export interface TemplateFields {
  name?: string;
  description?: string | null;
  questions?: QuestionInput[];
  anonymity?: FeedbackAnonymity;
  managers_can_read?: boolean;
  archived?: boolean;
}
export interface NewTemplate extends TemplateFields {
  name: string;
  questions: QuestionInput[];
}
export interface TemplateFilters {
  q?: string | undefined;
  anonymity?: FeedbackAnonymity | undefined;
  archived?: boolean | undefined;
}

const selectTemplates = (db: Kysely<DB>, t: Tenant) =>
  db.selectFrom('feedback_templates').selectAll().where(inTenant(t));

export type TemplateRow = NonNullable<
  Awaited<ReturnType<ReturnType<typeof selectTemplates>['executeTakeFirst']>>
>;

/** Everyone reads templates: a provider answers a template's questions, a requester picks one. */
export function listTemplates(db: Kysely<DB>, p: Principal, f: TemplateFilters, page: PageRequest) {
  let q = selectTemplates(db, p);
  if (f.q) q = q.where(nameContains('name', f.q));
  if (f.anonymity) q = q.where('anonymity', '=', f.anonymity);
  q = q.where('archived', '=', f.archived ?? false);
  return paginate(q, 'id', page);
}

export async function getTemplate(db: Kysely<DB>, t: Tenant, id: number): Promise<TemplateRow> {
  const row = await selectTemplates(db, t).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('feedback template');
  return row;
}

/** Question ids come from the shared sequence, so that a question is named once across templates. */
async function questionIds(db: Kysely<DB>, count: number): Promise<number[]> {
  if (count === 0) return [];
  const { rows } = await sql<{ id: string | number }>`
    select nextval('trellis_id_seq') as id from generate_series(1, ${count})`.execute(db);
  return rows.map((r) => Number(r.id));
}

async function questionsOf(db: Kysely<DB>, input: QuestionInput[]) {
  const ids = await questionIds(db, input.length);
  return buildQuestions(input, () => ids.shift() as number);
}

export async function createTemplate(db: Kysely<DB>, p: Principal, input: NewTemplate) {
  pass(p, gates.manageFeedback);
  return inTransaction(db, async (trx) => {
    const questions = await questionsOf(trx, input.questions);
    const { id } = await trx
      .insertInto('feedback_templates')
      .values({
        org_id: p.orgId,
        mode: p.mode,
        name: input.name,
        description: input.description ?? null,
        questions: JSON.stringify(questions),
        anonymity: input.anonymity ?? 'named',
        managers_can_read: input.managers_can_read ?? true,
        archived: input.archived ?? false,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const created = await getTemplate(trx, p, id);
    await recordChange(trx, p, 'feedback_template.created', id, { ...created });
    return created;
  });
}

/**
 * Changes a template. Requests already made keep the questions, anonymity and manager access they were
 * made with (each request copies them), so no edit here reaches feedback already asked for or given.
 */
export async function updateTemplate(db: Kysely<DB>, p: Principal, id: number, fields: TemplateFields) {
  pass(p, gates.manageFeedback);
  return inTransaction(db, async (trx) => {
    const before = await getTemplate(trx, p, id);
    const { questions: input, ...rest } = fields;
    const questions = input ? await questionsOf(trx, input) : undefined;
    const after = { ...rest, ...(questions && { questions }) };
    const changes = diff(before as unknown as Record<string, unknown>, after as Record<string, unknown>);
    if (Object.keys(changes).length === 0) return before;
    await trx
      .updateTable('feedback_templates')
      .set({ ...rest, ...(questions && { questions: JSON.stringify(questions) }), updated_at: new Date() })
      .where(inTenant(p))
      .where('id', '=', id)
      .execute();
    await recordChange(trx, p, 'feedback_template.updated', id, changes);
    return getTemplate(trx, p, id);
  });
}
