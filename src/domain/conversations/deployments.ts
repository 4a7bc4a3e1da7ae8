import type { Kysely } from 'kysely';
import type { DB, DeploymentAudience } from '../../db/schema.js';
import { authorize, gates, pass, policy } from '../access/policy.js';
import type { Principal } from '../access/principal.js';
import { recordChange } from '../changes.js';
import { resolvePopulation } from '../directory/population.js';
import { AppError, notFound } from '../errors.js';
import { type PageRequest, paginate } from '../paging.js';
import { inTenant } from '../tenant.js';
import { inTransaction } from '../transactions.js';
import * as repo from './deployment-repo.js';
import * as templates from './template-repo.js';

export interface NewDeployment {
  template_id: number;
  name?: string | undefined;
  period_id?: number | null | undefined;
  starts_on: string;
  due_on: string;
  audience: DeploymentAudience;
  department_ids?: number[] | undefined;
  group_ids?: number[] | undefined;
  user_ids?: number[] | undefined;
  only_with_manager?: boolean | undefined;
}

export interface DeploymentFilters {
  template_id?: number | undefined;
  period_id?: number | undefined;
}

const view = (row: repo.DeploymentRow) => ({ ...row, conversation_count: Number(row.conversation_count) });
export type Deployment = ReturnType<typeof view>;

export async function listDeployments(db: Kysely<DB>, p: Principal, f: DeploymentFilters, page: PageRequest) {
  authorize(policy.readConversationTemplates(p));
  let q = repo.selectDeployments(db, p);
  if (f.template_id !== undefined) q = q.where('d.template_id', '=', f.template_id);
  if (f.period_id !== undefined) q = q.where('d.period_id', '=', f.period_id);
  const found = await paginate(q, 'd.id', page);
  return { ...found, rows: found.rows.map(view) };
}

export async function getDeployment(db: Kysely<DB>, p: Principal, id: number) {
  authorize(policy.readConversationTemplates(p));
  const row = await repo.findDeployment(db, p, id);
  if (!row) throw notFound('conversation deployment');
  return view(row);
}

/** The population as asked, each id naming a row of the organisation (directory/population.ts). */
async function populationOf(db: Kysely<DB>, p: Principal, input: NewDeployment): Promise<repo.Population> {
  const population = await resolvePopulation(db, p, input, 'deployment');
  return { ...population, onlyWithManager: input.only_with_manager ?? true };
}

/**
 * Sends a scheduled template's current version to a population: one conversation per (manager, report)
 * pair, made in the deployment's own transaction by one INSERT … SELECT. A population with nobody in it
 * is refused and writes nothing.
 */
export async function createDeployment(db: Kysely<DB>, p: Principal, input: NewDeployment) {
  pass(p, gates.manageConversationTemplates);
  if (input.due_on < input.starts_on)
    throw new AppError(
      'invalid_operation',
      'due_on is before starts_on: a deployment is due on or after its start.',
    );
  const id = await inTransaction(db, async (trx) => {
    const template = await templates.findTemplate(trx, p, input.template_id);
    if (!template)
      throw new AppError('invalid_operation', `Conversation template ${input.template_id} does not exist.`);
    if (template.kind !== 'scheduled')
      throw new AppError(
        'invalid_operation',
        'Only scheduled templates are deployed; anytime ones are started by people.',
      );
    const population = await populationOf(trx, p, input);
    const { id } = await trx
      .insertInto('conversation_deployments')
      .values({
        org_id: p.orgId,
        mode: p.mode,
        template_id: template.id,
        template_version: template.version,
        name: input.name ?? `${template.name} ${input.starts_on}`.slice(0, 200),
        period_id: input.period_id ?? null,
        starts_on: input.starts_on,
        due_on: input.due_on,
        audience: population.audience,
        audience_ids: JSON.stringify(population.ids),
        only_with_manager: population.onlyWithManager,
        created_by: p.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const target = { ...input, id, template_version: template.version };
    const made = await repo.insertConversations(trx, p, target, population, p.userId);
    if (made === 0)
      throw new AppError(
        'invalid_operation',
        'The population is empty: nobody in it is active with an active manager, so no conversation would be made.',
      );
    await recordChange(trx, p, 'conversation_deployment.created', id, { ...input, conversation_count: made });
    return id;
  });
  return getDeployment(db, p, id);
}

/** Gives people who joined the population since (or gained a manager) their conversations. */
export async function syncDeployment(db: Kysely<DB>, p: Principal, id: number) {
  pass(p, gates.manageConversationTemplates);
  const added = await inTransaction(db, async (trx) => {
    const d = await trx
      .selectFrom('conversation_deployments')
      .selectAll()
      .where(inTenant(p))
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!d) throw notFound('conversation deployment');
    const population = { audience: d.audience, ids: d.audience_ids, onlyWithManager: d.only_with_manager };
    const made = await repo.insertConversations(trx, p, d, population, p.userId);
    await trx
      .updateTable('conversation_deployments')
      .set({ synced_at: new Date(), ...(made > 0 && { updated_at: new Date() }) })
      .where(inTenant(p))
      .where('id', '=', id)
      .execute();
    // synced_at moves even when nobody joined, so the sync is recorded either way.
    await recordChange(trx, p, 'conversation_deployment.synced', id, { conversations_added: made });
    return made;
  });
  return { deployment: await getDeployment(db, p, id), added };
}
