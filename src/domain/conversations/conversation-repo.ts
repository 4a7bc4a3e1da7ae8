import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import { policy } from '../access/policy.js';
import type { Principal } from '../access/principal.js';
import { hrScopeUserIdsSql } from '../access/scope.js';
import { reportsSql } from '../goals/visibility.js';
import { inTenant } from '../tenant.js';

/** A conversation with what its template says about who else reads it. */
export function selectConversations(db: Kysely<DB>, p: Principal) {
  return db
    .selectFrom('conversations as c')
    .innerJoin('conversation_templates as t', (j) =>
      j.onRef('t.org_id', '=', 'c.org_id').onRef('t.mode', '=', 'c.mode').onRef('t.id', '=', 'c.template_id'),
    )
    .select([
      'c.id',
      'c.template_id',
      'c.template_version',
      'c.deployment_id',
      'c.manager_id',
      'c.report_id',
      'c.status',
      'c.starts_on',
      'c.due_on',
      'c.manager_submitted_at',
      'c.report_submitted_at',
      'c.shared_at',
      'c.completed_at',
      'c.manager_confirmed_at',
      'c.report_confirmed_at',
      'c.created_at',
      'c.updated_at',
    ])
    .where(inTenant(p, 'c'));
}

export type ConversationRow = NonNullable<
  Awaited<ReturnType<ReturnType<typeof selectConversations>['executeTakeFirst']>>
>;

/** Whether the caller is an hr_admin whose scope holds the conversation's report. */
export function hrCoversReportSql(p: Principal): RawBuilder<boolean> {
  if (p.role !== 'hr_admin') return sql<boolean>`false`;
  return sql<boolean>`c.report_id in (${hrScopeUserIdsSql(p)})`;
}

/**
 * Whether the conversation's template sets a reader flag, as a test on `c` alone: a hashed list of the
 * organisation's templates. Written on `t`, the rule's OR would be split by PostgreSQL into a filter on `c`
 * and a join filter, each building its own hash of the hr_admin's people: twice the work per list and count.
 */
const templateLets = (p: Principal, flag: 'skip_level_reads' | 'admins_read' | 'hr_in_scope_reads') =>
  sql<boolean>`c.template_id in (select tl.id from conversation_templates tl
    where tl.org_id = ${p.orgId} and tl.mode = ${p.mode} and ${sql.ref(`tl.${flag}`)})`;

/**
 * The conversations row `c` is readable by the caller: a participant; a super admin; and, where its
 * template lets them, a skip-level manager (above the conversation's manager), org admins and hr_admins
 * whose scope holds the report. Null when the caller reads every conversation.
 */
export function readableConversationSql(p: Principal): RawBuilder<boolean> | null {
  if (policy.readAllConversations(p)) return null;
  const me = p.userId;
  const admins = policy.readConversationsAsAdmin(p) ? sql`or ${templateLets(p, 'admins_read')}` : sql``;
  const hr =
    p.role === 'hr_admin'
      ? sql`or (${templateLets(p, 'hr_in_scope_reads')} and ${hrCoversReportSql(p)})`
      : sql``;
  // The chain goes through an array, computed once (as for goals: a recursive query is estimated huge).
  return sql<boolean>`(c.manager_id = ${me} or c.report_id = ${me}
    or (${templateLets(p, 'skip_level_reads')} and c.manager_id in (select unnest(array(${reportsSql(p)}))))
    ${admins} ${hr})`;
}

/** Whether the caller is an HR role for the conversation: reads its confidential answers (unless a participant). */
function confidentialReaderSql(p: Principal): RawBuilder<boolean> {
  if (policy.readsConfidentialEverywhere(p)) return sql<boolean>`true`;
  return sql<boolean>`(t.hr_in_scope_reads and ${hrCoversReportSql(p)})`;
}

/** The detail of one conversation: the row, its version's questions, answers, drafts and shared notes. */
export function selectConversationDetail(db: Kysely<DB>, p: Principal) {
  return selectConversations(db, p)
    .innerJoin('conversation_template_versions as v', (j) =>
      j
        .onRef('v.org_id', '=', 'c.org_id')
        .onRef('v.mode', '=', 'c.mode')
        .onRef('v.template_id', '=', 'c.template_id')
        .onRef('v.version', '=', 'c.template_version'),
    )
    .select([
      'c.shared_notes',
      'c.manager_draft',
      'c.report_draft',
      'c.manager_answers',
      'c.report_answers',
      'v.manager_questions',
      'v.report_questions',
      't.confirm_meeting',
      't.allow_goals',
      't.format',
      sql<number[]>`array(select g.goal_id from conversation_goals g where g.org_id = c.org_id
        and g.mode = c.mode and g.conversation_id = c.id order by g.goal_id)`.as('goal_ids'),
      confidentialReaderSql(p).as('hr_reader'),
    ]);
}

export type ConversationDetailRow = NonNullable<
  Awaited<ReturnType<ReturnType<typeof selectConversationDetail>['executeTakeFirst']>>
>;

/** One conversation the caller may read, with its detail; undefined when there is none or it is not theirs to see. */
export function findReadableConversation(db: Kysely<DB>, p: Principal, id: number) {
  let q = selectConversationDetail(db, p).where('c.id', '=', id);
  const readable = readableConversationSql(p);
  if (readable) q = q.where(readable);
  return q.executeTakeFirst();
}

/** Takes the conversation's row lock, so that two writes to one conversation run one after the other. */
export const lockConversation = (db: Kysely<DB>, p: Principal, id: number) =>
  db
    .selectFrom('conversations')
    .select('id')
    .where(inTenant(p))
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();

/** The caller's own private note on a conversation: nobody else's is ever read. */
export const findOwnPrivateNote = (db: Kysely<DB>, p: Principal, conversationId: number) =>
  db
    .selectFrom('conversation_private_notes')
    .select(['body', 'updated_at'])
    .where(inTenant(p))
    .where('conversation_id', '=', conversationId)
    .where('author_user_id', '=', p.userId)
    .executeTakeFirst();
