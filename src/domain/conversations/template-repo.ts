import { type Kysely, sql } from 'kysely';
import type { ConversationQuestion, DB } from '../../db/schema.js';
import { inTenant, type Tenant } from '../tenant.js';
import { conversationCount } from './deployment-repo.js';

/** Templates with their current version's questions. */
export function selectTemplates(db: Kysely<DB>, t: Tenant) {
  return db
    .selectFrom('conversation_templates as t')
    .innerJoin('conversation_template_versions as v', (j) =>
      j
        .onRef('v.org_id', '=', 't.org_id')
        .onRef('v.mode', '=', 't.mode')
        .onRef('v.template_id', '=', 't.id')
        .onRef('v.version', '=', 't.version'),
    )
    .select([
      't.id',
      't.name',
      't.description',
      't.kind',
      't.format',
      't.only_managers_start',
      't.confirm_meeting',
      't.allow_goals',
      't.skip_level_reads',
      't.admins_read',
      't.hr_in_scope_reads',
      't.version',
      'v.manager_questions',
      'v.report_questions',
      't.created_at',
      't.updated_at',
    ])
    .where(inTenant(t, 't'));
}

export type TemplateRow = NonNullable<
  Awaited<ReturnType<ReturnType<typeof selectTemplates>['executeTakeFirst']>>
>;

export const findTemplate = (db: Kysely<DB>, t: Tenant, id: number) =>
  selectTemplates(db, t).where('t.id', '=', id).executeTakeFirst();

/** Takes the template's row lock: two edits of one template make their versions one after the other. */
export const lockTemplate = (db: Kysely<DB>, t: Tenant, id: number) =>
  db
    .selectFrom('conversation_templates')
    .select('id')
    .where(inTenant(t))
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();

/** One version's questions: what a conversation of that version was asked. */
export const findVersion = (db: Kysely<DB>, t: Tenant, templateId: number, version: number) =>
  db
    .selectFrom('conversation_template_versions')
    .select(['manager_questions', 'report_questions'])
    .where(inTenant(t))
    .where('template_id', '=', templateId)
    .where('version', '=', version)
    .executeTakeFirst();

/** Whether anything was asked from this version: then it is never changed in place. */
export async function versionInUse(db: Kysely<DB>, t: Tenant, templateId: number, version: number) {
  const used = await sql<{ used: boolean }>`select exists (select 1 from conversations
      where org_id = ${t.orgId} and mode = ${t.mode} and template_id = ${templateId} and template_version = ${version})
    or exists (select 1 from conversation_deployments
      where org_id = ${t.orgId} and mode = ${t.mode} and template_id = ${templateId} and template_version = ${version})
    as used`.execute(db);
  return used.rows[0]?.used === true;
}

/** `n` fresh ids from the one sequence, for new questions. */
export async function newIds(db: Kysely<DB>, n: number): Promise<number[]> {
  if (n === 0) return [];
  const result = await sql<{ id: string | number }>`select nextval('trellis_id_seq') as id
    from generate_series(1, ${n})`.execute(db);
  return result.rows.map((r) => Number(r.id));
}

export async function insertVersion(
  db: Kysely<DB>,
  t: Tenant,
  templateId: number,
  version: number,
  questions: { manager: ConversationQuestion[]; report: ConversationQuestion[] },
) {
  await db
    .insertInto('conversation_template_versions')
    .values({
      org_id: t.orgId,
      mode: t.mode,
      template_id: templateId,
      version,
      manager_questions: JSON.stringify(questions.manager),
      report_questions: JSON.stringify(questions.report),
    })
    .execute();
}

/** The deployments of these templates, newest first, with how many conversations each made. */
export function selectDeploymentSummaries(db: Kysely<DB>, t: Tenant, templateIds: number[]) {
  return db
    .selectFrom('conversation_deployments as d')
    .select([
      'd.id',
      'd.template_id',
      'd.template_version',
      'd.name',
      'd.period_id',
      'd.starts_on',
      'd.due_on',
      conversationCount.as('conversation_count'),
    ])
    .where(inTenant(t, 'd'))
    .where('d.template_id', 'in', templateIds.length > 0 ? templateIds : [0])
    .orderBy('d.id', 'desc');
}
