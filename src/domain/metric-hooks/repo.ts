import type { ExpressionBuilder, Kysely } from 'kysely';
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

/** A signed request's message, as its headers name it: the id it claims, and when it says it was sent. */
export interface SignedMessage {
  id: string;
  sentAt: Date;
}

/**
 * The hook takes a signed request in one statement: it claims the message id, records the hook's use when
 * the claim holds, and forgets the ids sent before `forgetBefore`. False when the id was claimed before (a
 * replay): no use is recorded then. The primary key decides, so two deliveries of one message at once
 * cannot both pass.
 */
export async function claimMessage(
  db: Kysely<DB>,
  hook: ReceivingHook,
  message: SignedMessage,
  forgetBefore: Date,
) {
  const claimed = await db
    .with('claimed', (q) =>
      q
        .insertInto('metric_hook_messages')
        .values({
          org_id: hook.org_id,
          mode: hook.mode,
          hook_id: hook.id,
          message_id: message.id,
          sent_at: message.sentAt,
        })
        .onConflict((oc) => oc.doNothing())
        .returning('message_id'),
    )
    // Ids sent this long ago can no longer pass the timestamp check, so they need not be remembered.
    .with('forgotten', (q) =>
      q
        .deleteFrom('metric_hook_messages')
        .where('org_id', '=', hook.org_id)
        .where('mode', '=', hook.mode)
        .where('hook_id', '=', hook.id)
        .where('sent_at', '<', forgetBefore)
        .returning('message_id'),
    )
    .with('used', (q) =>
      q
        .updateTable('metric_hooks')
        .set({ last_used_at: new Date() })
        .where('org_id', '=', hook.org_id)
        .where('mode', '=', hook.mode)
        .where('id', '=', hook.id)
        .where((eb) => eb.exists(eb.selectFrom('claimed').select('message_id')))
        .returning('id'),
    )
    .selectFrom('claimed')
    .select('message_id')
    .executeTakeFirst();
  return claimed !== undefined;
}

/** An unsigned update applied: the hook's use. */
export function markUsed(db: Kysely<DB>, hook: ReceivingHook) {
  return thisHook(db, hook).set({ last_used_at: new Date() }).execute();
}

const thisHook = (db: Kysely<DB>, hook: ReceivingHook) =>
  db
    .updateTable('metric_hooks')
    .where('org_id', '=', hook.org_id)
    .where('mode', '=', hook.mode)
    .where('id', '=', hook.id);

/** A refusal as the hook shows it: when, the code and reason, and one more failure. */
const failure = (why: string) => (eb: ExpressionBuilder<DB, 'metric_hooks'>) => ({
  last_failure_at: new Date(),
  last_failure: why.slice(0, 500),
  failure_count: eb('failure_count', '+', 1),
});

/**
 * A request the hook's own checks refused (its signature, timestamp or message id; an unsigned request to a
 * hook that takes signed ones only): not a use.
 */
export function markFailed(db: Kysely<DB>, hook: ReceivingHook, why: string) {
  return thisHook(db, hook).set(failure(why)).execute();
}

/** An unsigned request the hook took (a use) whose update was then refused: both recorded, in one statement. */
export function markUsedButRefused(db: Kysely<DB>, hook: ReceivingHook, why: string) {
  return thisHook(db, hook)
    .set((eb) => ({ ...failure(why)(eb), last_used_at: new Date() }))
    .execute();
}

/**
 * A signed request whose message id was claimed (its use recorded then) and whose update was refused, in one
 * statement: the id released, so that the sender may send the message again once the cause is fixed, and
 * the failure counted.
 */
export function releaseRefused(db: Kysely<DB>, hook: ReceivingHook, messageId: string, why: string) {
  return db
    .with('released', (q) =>
      q
        .deleteFrom('metric_hook_messages')
        .where('org_id', '=', hook.org_id)
        .where('mode', '=', hook.mode)
        .where('hook_id', '=', hook.id)
        .where('message_id', '=', messageId)
        .returning('message_id'),
    )
    .updateTable('metric_hooks')
    .set(failure(why))
    .where('org_id', '=', hook.org_id)
    .where('mode', '=', hook.mode)
    .where('id', '=', hook.id)
    .execute();
}
