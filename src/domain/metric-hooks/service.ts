import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { policy } from '../access/policy.js';
import type { Principal } from '../access/principal.js';
import { recordChange } from '../changes.js';
import { notFound } from '../errors.js';
import { writableMilestone } from '../goals/milestones.js';
import { hashKey } from '../keys/secret.js';
import { type PageRequest, paginate } from '../paging.js';
import { inTenant } from '../tenant.js';
import { inTransaction } from '../transactions.js';
import * as repo from './repo.js';
import { generateHookToken, generateSigningSecret } from './signature.js';

export interface NewMetricHook {
  name: string;
  /** The one milestone it updates; null or absent: any milestone the creator may update, named per request. */
  milestone_id?: number | null | undefined;
  /** Also takes WorkBoard's unsigned form (`POST /wb/apis/hook/{hash}`); false when absent. */
  accepts_unsigned?: boolean | undefined;
}

export interface MetricHookFields {
  name?: string | undefined;
  enabled?: boolean | undefined;
  accepts_unsigned?: boolean | undefined;
}

export interface MetricHookFilters {
  /** Narrows to one creator's hooks (a non-admin only ever sees their own). */
  created_by?: number | undefined;
}

/** A hook with its URL part and signing secret: what creation and rotation show, once. */
export interface IssuedHook {
  hook: repo.HookRow;
  token: string;
  secret: string;
}

const hookNotFound = () => notFound('metric webhook');

/** The hook if the caller may see it: their own, or any for org admins; 404 otherwise, as if it did not exist. */
async function manageableHook(db: Kysely<DB>, p: Principal, id: number) {
  const hook = await repo.findHook(db, p, id);
  if (!hook || !policy.manageMetricHook(p, hook.created_by)) throw hookNotFound();
  return hook;
}

/** Creates a hook that acts as its creator; a bound milestone must be one they may check in on now. */
export async function createMetricHook(
  db: Kysely<DB>,
  p: Principal,
  input: NewMetricHook,
): Promise<IssuedHook> {
  const token = generateHookToken();
  const secret = generateSigningSecret();
  const milestoneId = input.milestone_id ?? null;
  const hook = await inTransaction(db, async (trx) => {
    if (milestoneId !== null) await writableMilestone(trx, p, milestoneId);
    const { id } = await trx
      .insertInto('metric_hooks')
      .values({
        org_id: p.orgId,
        mode: p.mode,
        name: input.name,
        created_by: p.userId,
        milestone_id: milestoneId,
        token_hash: hashKey(token),
        token_last_four: token.slice(-4),
        signing_secret: secret,
        accepts_unsigned: input.accepts_unsigned ?? false,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordChange(trx, p, 'metric_hook.created', id, {
      name: input.name,
      milestone_id: milestoneId,
      accepts_unsigned: input.accepts_unsigned ?? false,
    });
    return repo.findHook(trx, p, id);
  });
  if (!hook) throw new Error('created metric webhook not found');
  return { hook, token, secret };
}

/** The caller's own hooks; every hook of the organisation and mode for org admins. */
export function listMetricHooks(db: Kysely<DB>, p: Principal, f: MetricHookFilters, page: PageRequest) {
  let q = repo.selectHooks(db, p, policy.readAllMetricHooks(p) ? undefined : p.userId);
  if (f.created_by !== undefined) q = q.where('metric_hooks.created_by', '=', f.created_by);
  return paginate(q, 'metric_hooks.id', page);
}

export const getMetricHook = (db: Kysely<DB>, p: Principal, id: number) => manageableHook(db, p, id);

/**
 * Renames, pauses (`enabled: false`) or resumes a hook, or lets it take WorkBoard's unsigned form. A paused
 * hook answers invalid_webhook_url.
 */
export function updateMetricHook(db: Kysely<DB>, p: Principal, id: number, fields: MetricHookFields) {
  return inTransaction(db, async (trx) => {
    const hook = await manageableHook(trx, p, id);
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    if (fields.name !== undefined && fields.name !== hook.name)
      changes.name = { from: hook.name, to: fields.name };
    if (fields.enabled !== undefined && fields.enabled !== hook.enabled) {
      changes.enabled = { from: hook.enabled, to: fields.enabled };
    }
    if (fields.accepts_unsigned !== undefined && fields.accepts_unsigned !== hook.accepts_unsigned) {
      changes.accepts_unsigned = { from: hook.accepts_unsigned, to: fields.accepts_unsigned };
    }
    if (Object.keys(changes).length === 0) return hook;
    await trx
      .updateTable('metric_hooks')
      .set({
        name: fields.name ?? hook.name,
        enabled: fields.enabled ?? hook.enabled,
        accepts_unsigned: fields.accepts_unsigned ?? hook.accepts_unsigned,
        updated_at: new Date(),
      })
      .where(inTenant(p))
      .where('id', '=', id)
      .execute();
    await recordChange(trx, p, 'metric_hook.updated', id, changes);
    return (await repo.findHook(trx, p, id)) ?? hook;
  });
}

/**
 * A new URL part and signing secret, both shown once; the old ones stop at once (no overlap: the sender is
 * reconfigured with a new URL anyway). Messages remembered for replay are forgotten with the old secret.
 */
export async function rotateMetricHook(db: Kysely<DB>, p: Principal, id: number): Promise<IssuedHook> {
  const token = generateHookToken();
  const secret = generateSigningSecret();
  const hook = await inTransaction(db, async (trx) => {
    await manageableHook(trx, p, id);
    await trx
      .updateTable('metric_hooks')
      .set({
        token_hash: hashKey(token),
        token_last_four: token.slice(-4),
        signing_secret: secret,
        rotated_at: new Date(),
        updated_at: new Date(),
      })
      .where(inTenant(p))
      .where('id', '=', id)
      .execute();
    await recordChange(trx, p, 'metric_hook.rotated', id, { token_last_four: token.slice(-4) });
    return repo.findHook(trx, p, id);
  });
  if (!hook) throw hookNotFound();
  return { hook, token, secret };
}

export function deleteMetricHook(db: Kysely<DB>, p: Principal, id: number) {
  return inTransaction(db, async (trx) => {
    const hook = await manageableHook(trx, p, id);
    await trx.deleteFrom('metric_hook_messages').where(inTenant(p)).where('hook_id', '=', id).execute();
    await trx.deleteFrom('metric_hooks').where(inTenant(p)).where('id', '=', id).execute();
    await recordChange(trx, p, 'metric_hook.deleted', id, {
      name: hook.name,
      milestone_id: hook.milestone_id,
    });
  });
}
