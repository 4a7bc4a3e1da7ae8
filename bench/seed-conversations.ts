import { sql } from 'kysely';
import { connect } from '../src/db/connect.js';
import { operatorPrincipal } from '../src/domain/access/principal.js';
import { createDeployment, type NewDeployment } from '../src/domain/conversations/deployments.js';
import { createTemplate } from '../src/domain/conversations/templates.js';
import type { BenchDatabase } from './database.js';

/**
 * The conversations world: the bench directory (database.ts) split into departments, an hr_admin, a
 * scheduled template, and one deployment made by the conversations service.
 * - Company → North and South share nine people in ten, alternating by id (so the hr_admin's people are
 *   spread over the whole deployment, not a block at its start); Contractors holds every tenth person.
 * - person59 (a contractor who manages nobody) is the hr_admin, scoped to North: half of the deployment, in none of it.
 * - The deployment sends the template to Company: one conversation per person of Company with their manager.
 */
export interface ConversationWorld {
  templateId: number;
  companyId: number;
  deploymentId: number;
  hrAdminId: number;
  hrAdminEmail: string;
  /** Seconds the service took to create the deployment. */
  deploySeconds: number;
  conversations: number;
}

export const HR_ADMIN_EMAIL = 'person59@bench.test';

async function insertDepartment(db: BenchDb, orgId: number, name: string, parentId: number | null) {
  const { rows } = await sql<{ id: number }>`insert into departments (org_id, mode, name, parent_id)
    values (${orgId}, 'live', ${name}, ${parentId}) returning id`.execute(db);
  return Number(rows[0]?.id);
}

type BenchDb = Awaited<ReturnType<typeof connect>>['db'];

/** Departments and the hr_admin in set-based SQL: the bench measures conversations, not the directory. */
async function splitDirectory(db: BenchDb, database: BenchDatabase) {
  const { orgId, adminId } = database;
  const company = await insertDepartment(db, orgId, 'Company', null);
  const north = await insertDepartment(db, orgId, 'North', company);
  const south = await insertDepartment(db, orgId, 'South', company);
  const contractors = await insertDepartment(db, orgId, 'Contractors', null);
  await sql`with people as (
      select id, row_number() over (order by id) - 1 as n from users
      where org_id = ${orgId} and mode = 'live' and id <> ${adminId}),
    staff as (select id, row_number() over (order by id) - 1 as k from people where n % 10 <> 9)
    update users u set department_id = case
      when s.k is null then ${contractors}::bigint
      when s.k % 2 = 0 then ${north}::bigint
      else ${south}::bigint end
    from people p left join staff s on s.id = p.id
    where u.org_id = ${orgId} and u.mode = 'live' and u.id = p.id`.execute(db);
  const { rows } = await sql<{ id: number }>`update users set role = 'hr_admin'
    where org_id = ${orgId} and mode = 'live' and email = ${HR_ADMIN_EMAIL} returning id`.execute(db);
  const hrAdminId = Number(rows[0]?.id);
  await sql`insert into hr_admin_scopes (org_id, mode, user_id, scope_type, scope_id)
    values (${orgId}, 'live', ${hrAdminId}, 'department', ${north})`.execute(db);
  await sql`analyze`.execute(db);
  return { company, hrAdminId };
}

export const deploymentOf = (templateId: number, companyId: number, name: string): NewDeployment => ({
  template_id: templateId,
  name,
  starts_on: '2027-01-04',
  due_on: '2027-01-29',
  audience: 'departments',
  department_ids: [companyId],
});

export async function seedConversations(database: BenchDatabase): Promise<ConversationWorld> {
  const { db, close } = await connect({ databaseUrl: database.url, poolSize: 2 });
  try {
    const { company, hrAdminId } = await splitDirectory(db, database);
    const actor = operatorPrincipal(database.orgId, database.adminId);
    const template = await createTemplate(db, actor, {
      name: 'Quarterly check-in',
      kind: 'scheduled',
      format: 'two_way',
      manager_questions: [{ text: 'What went well?', type: 'paragraph' }],
      report_questions: [
        { text: 'How was the quarter?', type: 'scale', scale_max: 5 },
        { text: 'Anything for HR?', type: 'paragraph', confidential: true },
      ],
    });
    const started = performance.now();
    const deployment = await createDeployment(db, actor, deploymentOf(template.id, company, 'Q1 check-ins'));
    const deploySeconds = (performance.now() - started) / 1000;
    // As autovacuum would have by now.
    await sql`analyze`.execute(db);
    return {
      templateId: template.id,
      companyId: company,
      deploymentId: deployment.id,
      hrAdminId,
      hrAdminEmail: HR_ADMIN_EMAIL,
      deploySeconds,
      conversations: deployment.conversation_count,
    };
  } finally {
    await close();
  }
}
