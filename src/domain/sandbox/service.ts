import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { gates, pass } from '../access/policy.js';
import type { Principal } from '../access/principal.js';
import { recordChange } from '../changes.js';

/** Test-mode tables, children first so that deleting in this order never breaks a foreign key. */
const SANDBOX_TABLES = [
  'datastreams',
  'metric_hook_messages',
  'metric_hooks',
  'calibration_talent_record_changes',
  'calibration_talent_records',
  'calibration_session_facilitators',
  'calibration_sessions',
  'calibration_cycles',
  'recognition_comments',
  'recognition_reactions',
  'recognition_hashtags',
  'recognition_receivers',
  'recognitions',
  'company_values',
  'conversation_edit_requests',
  'conversation_goals',
  'conversation_private_notes',
  'conversations',
  'conversation_deployments',
  'conversation_template_versions',
  'conversation_templates',
  'org_settings',
  'feedback_responses',
  'feedback_providers',
  'feedback_requests',
  'feedback_cycles',
  'feedback_templates',
  'goal_assessments',
  'goal_comments',
  'checkins',
  'milestones',
  'goal_tags',
  'goal_categories',
  'goal_teams',
  'goal_contributors',
  'goals',
  'periods',
  'hr_admin_scopes',
  'team_members',
  'group_members',
  'user_dotted_managers',
  'teams',
  'groups',
  'users',
  'departments',
] as const;

/**
 * Replaces the test sandbox with a copy of the live directory, keeping ids, so that a person's test key
 * acts as the same person on the copy. Live data is only read.
 */
export async function copyLiveDirectoryToTest(trx: Transaction<DB>, actor: Principal) {
  const org = actor.orgId;
  for (const table of SANDBOX_TABLES) {
    await sql`delete from ${sql.table(table)} where org_id = ${org} and mode = 'test'`.execute(trx);
  }
  // Departments and users point at each other's rows; copy without the self-references, then set them.
  await sql`insert into departments (org_id, mode, id, name, parent_id, created_at, updated_at)
    select org_id, 'test', id, name, null, created_at, updated_at from departments where org_id = ${org} and mode = 'live'`.execute(
    trx,
  );
  await sql`update departments t set parent_id = l.parent_id from departments l
    where t.org_id = ${org} and t.mode = 'test' and l.org_id = ${org} and l.mode = 'live' and l.id = t.id`.execute(
    trx,
  );
  await sql`insert into users (org_id, mode, id, employee_id, email, first_name, last_name, preferred_name, title,
      department_id, manager_id, location, phone, hire_date, status, role, data_admin, kind, custom_fields,
      created_at, updated_at, deactivated_at)
    select org_id, 'test', id, employee_id, email, first_name, last_name, preferred_name, title, department_id, null,
      location, phone, hire_date, status, role, data_admin, kind, custom_fields, created_at, updated_at,
      deactivated_at
    from users where org_id = ${org} and mode = 'live'`.execute(trx);
  await sql`update users t set manager_id = l.manager_id from users l
    where t.org_id = ${org} and t.mode = 'test' and l.org_id = ${org} and l.mode = 'live' and l.id = t.id`.execute(
    trx,
  );
  await sql`insert into user_dotted_managers select org_id, 'test', user_id, manager_id from user_dotted_managers
    where org_id = ${org} and mode = 'live'`.execute(trx);
  await sql`insert into groups select org_id, 'test', id, name, description, created_at, updated_at from groups
    where org_id = ${org} and mode = 'live'`.execute(trx);
  await sql`insert into group_members select org_id, 'test', group_id, user_id from group_members
    where org_id = ${org} and mode = 'live'`.execute(trx);
  await sql`insert into teams select org_id, 'test', id, name, kind, description, created_at, updated_at from teams
    where org_id = ${org} and mode = 'live'`.execute(trx);
  await sql`insert into team_members select org_id, 'test', team_id, user_id, team_role from team_members
    where org_id = ${org} and mode = 'live'`.execute(trx);
  await sql`insert into hr_admin_scopes select org_id, 'test', user_id, scope_type, scope_id from hr_admin_scopes
    where org_id = ${org} and mode = 'live'`.execute(trx);
  await recordChange(trx, { ...actor, mode: 'test' }, 'sandbox.reset', org);
}

export async function resetSandbox(db: Kysely<DB>, actor: Principal) {
  pass(actor, gates.resetSandbox);
  await db.transaction().execute((trx) => copyLiveDirectoryToTest(trx, actor));
}
