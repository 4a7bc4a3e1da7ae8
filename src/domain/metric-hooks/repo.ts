import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { currentNoticeAcceptance } from '../access/privacy-notice.js';
import type { Tenant } from '../tenant.js';
import { inTenant } from '../tenant.js';

/** What a hook's reads show: never the token hash or the signing secret. */
export const hookColumns = [
  'metric_hooks.id',
  'metric_hooks.mode',
  'metric_hooks.name',
  'metric_hooks.created_by',
  'metric_hooks.milestone_id',
  'metric_hooks.token_last_four',
  'metric_hooks.enabled',
  'metric_hooks.accepts_unsigned',
  'metric_hooks.last_used_at',
  'metric_hooks.last_failure_at',
  'metric_hooks.last_failure',
  'metric_hooks.failure_count',
  'metric_hooks.rotated_at',
  'metric_hooks.created_at',
  'metric_hooks.updated_at',
] as const;

export function selectHooks(db: Kysely<DB>, t: Tenant, createdBy?: number) {
  let q = db.selectFrom('metric_hooks').select(hookColumns).where(inTenant(t));
  if (createdBy !== undefined) q = q.where('metric_hooks.created_by', '=', createdBy);
  return q;
}

export type HookRow = NonNullable<Awaited<ReturnType<ReturnType<typeof selectHooks>['executeTakeFirst']>>>;

export function findHook(db: Kysely<DB>, t: Tenant, id: number) {
  return selectHooks(db, t).where('metric_hooks.id', '=', id).executeTakeFirst();
}

/**
 * The receiver's one lookup, by the SHA-256 of the URL's secret part on its unique index, with the secret
 * and what the creator is today (their live account: role, grant, status, whether they accepted the current
 * privacy notice), whatever the organisation.
 */
export function findHookByToken(db: Kysely<DB>, tokenHash: Buffer) {
  return db
    .selectFrom('metric_hooks as h')
    .innerJoin('users as u', (j) =>
      j.onRef('u.org_id', '=', 'h.org_id').on('u.mode', '=', 'live').onRef('u.id', '=', 'h.created_by'),
    )
    .select([
      'h.org_id',
      'h.mode',
      'h.id',
      'h.created_by',
      'h.milestone_id',
      'h.enabled',
      'h.accepts_unsigned',
      'h.signing_secret',
      'u.role',
      'u.data_admin',
      'u.status as creator_status',
    ])
    .select(currentNoticeAcceptance('h.org_id', 'h.created_by'))
    .where('h.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export type ReceivingHook = NonNullable<Awaited<ReturnType<typeof findHookByToken>>>;

/**
 * Claims a message id for the hook: false when it was claimed before (a replay). The primary key decides,
 * so two deliveries of one message at once cannot both pass.
 */
export async function claimMessage(db: Kysely<DB>, hook: ReceivingHook, messageId: string, sentAt: Date) {
  const claimed = await db
    .insertInto('metric_hook_messages')
    .values({
      org_id: hook.org_id,
      mode: hook.mode,
      hook_id: hook.id,
      message_id: messageId,
      sent_at: sentAt,
    })
    .onConflict((oc) => oc.doNothing())
    .returning('message_id')
    .executeTakeFirst();
  return claimed !== undefined;
}

/** The hook's remembered message ids, to delete some of. */
const deleteMessagesOf = (db: Kysely<DB>, hook: ReceivingHook) =>
  db
    .deleteFrom('metric_hook_messages')
    .where('org_id', '=', hook.org_id)
    .where('mode', '=', hook.mode)
    .where('hook_id', '=', hook.id);

export const releaseMessage = (db: Kysely<DB>, hook: ReceivingHook, messageId: string) =>
  deleteMessagesOf(db, hook).where('message_id', '=', messageId).execute();

/** Ids sent before `before` can no longer pass the timestamp check, so they need not be remembered. */
export const pruneMessages = (db: Kysely<DB>, hook: ReceivingHook, before: Date) =>
  deleteMessagesOf(db, hook).where('sent_at', '<', before).execute();

export function markUsed(db: Kysely<DB>, hook: ReceivingHook) {
  return db
    .updateTable('metric_hooks')
    .set({ last_used_at: new Date() })
    .where('org_id', '=', hook.org_id)
    .where('mode', '=', hook.mode)
    .where('id', '=', hook.id)
    .execute();
}

export function markFailed(db: Kysely<DB>, hook: ReceivingHook, why: string) {
  return db
    .updateTable('metric_hooks')
    .set((eb) => ({
      last_failure_at: new Date(),
      last_failure: why.slice(0, 500),
      failure_count: eb('failure_count', '+', 1),
    }))
    .where('org_id', '=', hook.org_id)
    .where('mode', '=', hook.mode)
    .where('id', '=', hook.id)
    .execute();
}
