import type { Kysely, Transaction } from 'kysely';
import type { ConversationFormat, ConversationKind, ConversationQuestion, DB } from '../../db/schema.js';
import { authorize, gates, pass, policy } from '../access/policy.js';
import type { Principal } from '../access/principal.js';
import { recordChange } from '../changes.js';
import { nameContains } from '../directory/members.js';
import { AppError, notFound } from '../errors.js';
import { type Page, type PageRequest, paginate } from '../paging.js';
import { inTenant } from '../tenant.js';
import { inTransaction } from '../transactions.js';
import { assertQuestions, inputOf, type QuestionInput, questionOf } from './questions.js';
import * as repo from './template-repo.js';

export interface TemplateSettings {
  only_managers_start: boolean;
  confirm_meeting: boolean;
  allow_goals: boolean;
  readers: { skip_level: boolean; admins: boolean; hr_in_scope: boolean };
}

export interface SettingsInput {
  only_managers_start?: boolean | undefined;
  confirm_meeting?: boolean | undefined;
  allow_goals?: boolean | undefined;
  readers?: {
    skip_level?: boolean | undefined;
    admins?: boolean | undefined;
    hr_in_scope?: boolean | undefined;
  };
}

export interface NewTemplate {
  name: string;
  description?: string | null | undefined;
  kind: ConversationKind;
  format: ConversationFormat;
  manager_questions?: QuestionInput[] | undefined;
  report_questions?: QuestionInput[] | undefined;
  settings?: SettingsInput | undefined;
}

export type TemplateChanges = Partial<Omit<NewTemplate, 'kind' | 'format'>>;

export interface TemplateFilters {
  kind?: ConversationKind | undefined;
  q?: string | undefined;
}

export type DeploymentSummary = Awaited<
  ReturnType<ReturnType<typeof repo.selectDeploymentSummaries>['execute']>
>[number];

export interface Template {
  id: number;
  name: string;
  description: string | null;
  kind: ConversationKind;
  format: ConversationFormat;
  version: number;
  settings: TemplateSettings;
  manager_questions: ConversationQuestion[];
  report_questions: ConversationQuestion[];
  deployments: DeploymentSummary[];
  created_at: string;
  updated_at: string;
}

/** The settings as stored in the template's columns. */
const settingColumns = (s: SettingsInput | undefined, base: TemplateSettings) => ({
  only_managers_start: s?.only_managers_start ?? base.only_managers_start,
  confirm_meeting: s?.confirm_meeting ?? base.confirm_meeting,
  allow_goals: s?.allow_goals ?? base.allow_goals,
  skip_level_reads: s?.readers?.skip_level ?? base.readers.skip_level,
  admins_read: s?.readers?.admins ?? base.readers.admins,
  hr_in_scope_reads: s?.readers?.hr_in_scope ?? base.readers.hr_in_scope,
});

/** What a template has when created without settings: HR in scope reads, nobody else does. */
const DEFAULT_SETTINGS: TemplateSettings = {
  only_managers_start: false,
  confirm_meeting: false,
  allow_goals: false,
  readers: { skip_level: false, admins: false, hr_in_scope: true },
};

export const settingsOf = (row: repo.TemplateRow): TemplateSettings => ({
  only_managers_start: row.only_managers_start,
  confirm_meeting: row.confirm_meeting,
  allow_goals: row.allow_goals,
  readers: { skip_level: row.skip_level_reads, admins: row.admins_read, hr_in_scope: row.hr_in_scope_reads },
});

function viewOf(row: repo.TemplateRow, deployments: DeploymentSummary[]): Template {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    kind: row.kind,
    format: row.format,
    version: row.version,
    settings: settingsOf(row),
    manager_questions: row.manager_questions,
    report_questions: row.report_questions,
    deployments: deployments
      .filter((d) => d.template_id === row.id)
      .map((d) => ({ ...d, conversation_count: Number(d.conversation_count) })),
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

async function withDeployments(db: Kysely<DB>, p: Principal, rows: repo.TemplateRow[]) {
  const deployments = await repo
    .selectDeploymentSummaries(
      db,
      p,
      rows.map((r) => r.id),
    )
    .execute();
  return rows.map((row) => viewOf(row, deployments));
}

export async function listTemplates(
  db: Kysely<DB>,
  p: Principal,
  f: TemplateFilters,
  page: PageRequest,
): Promise<Page<Template>> {
  authorize(policy.readConversationTemplates(p));
  let q = repo.selectTemplates(db, p);
  if (f.kind) q = q.where('t.kind', '=', f.kind);
  if (f.q) q = q.where(nameContains('t.name', f.q));
  const found = await paginate(q, 't.id', page);
  return { ...found, rows: await withDeployments(db, p, found.rows) };
}

export async function getTemplate(db: Kysely<DB>, p: Principal, id: number): Promise<Template> {
  authorize(policy.readConversationTemplates(p));
  const row = await repo.findTemplate(db, p, id);
  if (!row) throw notFound('conversation template');
  return (await withDeployments(db, p, [row]))[0] as Template;
}

/** Both sides' questions checked and given fresh ids; a one-way template asks one side only. */
async function questionsOf(
  trx: Transaction<DB>,
  format: ConversationFormat,
  manager: QuestionInput[],
  report: QuestionInput[],
) {
  if (format === 'one_way' && manager.length > 0 && report.length > 0)
    throw new AppError(
      'invalid_operation',
      'A one_way template asks one side only: leave the other list empty.',
    );
  assertQuestions(manager, report);
  const ids = await repo.newIds(trx, manager.length + report.length);
  const at = (i: number) => ids[i] as number;
  return {
    manager: manager.map((q, i) => questionOf(q, at(i))),
    report: report.map((q, i) => questionOf(q, at(manager.length + i))),
  };
}

export async function createTemplate(db: Kysely<DB>, p: Principal, input: NewTemplate) {
  pass(p, gates.manageConversationTemplates);
  const id = await inTransaction(db, async (trx) => {
    const questions = await questionsOf(
      trx,
      input.format,
      input.manager_questions ?? [],
      input.report_questions ?? [],
    );
    const { id } = await trx
      .insertInto('conversation_templates')
      .values({
        org_id: p.orgId,
        mode: p.mode,
        name: input.name,
        description: input.description ?? null,
        kind: input.kind,
        format: input.format,
        ...settingColumns(input.settings, DEFAULT_SETTINGS),
        created_by: p.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await repo.insertVersion(trx, p, id, 1, questions);
    await recordChange(trx, p, 'conversation_template.created', id, { ...input });
    return id;
  });
  return getTemplate(db, p, id);
}

/**
 * Questions as they compare: what a client sent, without the ids the server gave them, keys sorted (jsonb
 * gives them back in its own order, so a plain stringify made every re-sent question look new).
 */
const comparable = (questions: ConversationQuestion[]) =>
  JSON.stringify(
    questions.map(({ id: _id, ...q }) => q),
    (_key, value) =>
      value && typeof value === 'object' && !Array.isArray(value)
        ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)))
        : value,
  );

/**
 * Changes a template. Name, description and settings change in place. New questions change the current
 * version in place while nothing uses it; once a conversation or deployment does, they make a new version,
 * so that every conversation keeps showing the questions it was asked.
 */
export async function updateTemplate(db: Kysely<DB>, p: Principal, id: number, input: TemplateChanges) {
  pass(p, gates.manageConversationTemplates);
  await inTransaction(db, async (trx) => {
    if (!(await repo.lockTemplate(trx, p, id))) throw notFound('conversation template');
    const before = (await repo.findTemplate(trx, p, id)) as repo.TemplateRow;
    const changes: Record<string, unknown> = {};
    let version = before.version;
    if (input.manager_questions !== undefined || input.report_questions !== undefined) {
      const asked = await questionsOf(
        trx,
        before.format,
        input.manager_questions ?? before.manager_questions.map(inputOf),
        input.report_questions ?? before.report_questions.map(inputOf),
      );
      const same =
        comparable(asked.manager) === comparable(before.manager_questions) &&
        comparable(asked.report) === comparable(before.report_questions);
      if (!same) {
        if (await repo.versionInUse(trx, p, id, before.version)) {
          version = before.version + 1;
          await repo.insertVersion(trx, p, id, version, asked);
          changes.version = { from: before.version, to: version };
        } else {
          await trx
            .updateTable('conversation_template_versions')
            .set({
              manager_questions: JSON.stringify(asked.manager),
              report_questions: JSON.stringify(asked.report),
            })
            .where(inTenant(p))
            .where('template_id', '=', id)
            .where('version', '=', version)
            .execute();
        }
        changes.questions = { manager: asked.manager.length, report: asked.report.length };
      }
    }
    const fields = {
      ...(input.name !== undefined && { name: input.name }),
      ...(input.description !== undefined && { description: input.description }),
      ...settingColumns(input.settings, settingsOf(before)),
    };
    for (const [field, to] of Object.entries(fields)) {
      const from = (before as unknown as Record<string, unknown>)[field];
      if (from !== to) changes[field] = { from, to };
    }
    if (Object.keys(changes).length === 0) return;
    await trx
      .updateTable('conversation_templates')
      .set({ ...fields, version, updated_at: new Date() })
      .where(inTenant(p))
      .where('id', '=', id)
      .execute();
    await recordChange(trx, p, 'conversation_template.updated', id, changes);
  });
  return getTemplate(db, p, id);
}
