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
import * as repo from './stream-repo.js';
import { generateStreamKey, generateStreamSecret } from './stream-signature.js';

/** The kinds of number a stream may say it carries, and how often it may say it is fed (WorkBoard's words). */
export const STREAM_DATA_TYPES = ['numbers', 'percentage', 'currency'] as const;
export const STREAM_FREQUENCIES = ['daily', 'weekly', 'monthly', 'quarterly'] as const;

/** What a stream says of itself: shown back as given, no rule reads it. */
export interface StreamDescription {
  description?: string | undefined;
  data_type?: (typeof STREAM_DATA_TYPES)[number] | undefined;
  frequency?: (typeof STREAM_FREQUENCIES)[number] | undefined;
  category?: string | undefined;
}

export interface NewDatastream extends StreamDescription {
  name: string;
  milestone_id: number;
  connector_id?: string | undefined;
}

/** A stream with its key and secret: what creation shows, once. */
export interface IssuedStream {
  stream: repo.StreamRow;
  key: string;
  secret: string;
}

/**
 * Creates a stream feeding one milestone as its creator, who must be allowed to check in on it now. Who may
 * manage a stream is who may manage a metric webhook: its creator and org admins (docs/webhooks.md).
 */
export async function createDatastream(
  db: Kysely<DB>,
  p: Principal,
  input: NewDatastream,
): Promise<IssuedStream> {
  const key = generateStreamKey();
  const secret = generateStreamSecret();
  const stream = await inTransaction(db, async (trx) => {
    await writableMilestone(trx, p, input.milestone_id);
    const { id } = await trx
      .insertInto('datastreams')
      .values({
        org_id: p.orgId,
        mode: p.mode,
        name: input.name,
        created_by: p.userId,
        milestone_id: input.milestone_id,
        connector_id: input.connector_id ?? null,
        key_hash: hashKey(key),
        key_last_four: key.slice(-4),
        secret,
        description: input.description ?? null,
        data_type: input.data_type ?? null,
        frequency: input.frequency ?? null,
        category: input.category ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordChange(trx, p, 'datastream.created', id, {
      name: input.name,
      milestone_id: input.milestone_id,
      connector_id: input.connector_id ?? null,
    });
    return repo.findStream(trx, p, id);
  });
  if (!stream) throw new Error('created datastream not found');
  return { stream, key, secret };
}

/** The caller's own streams; every stream of the organisation and mode for org admins. */
export function listDatastreams(db: Kysely<DB>, p: Principal, page: PageRequest) {
  const q = repo.selectStreams(db, p, policy.readAllMetricHooks(p) ? undefined : p.userId);
  return paginate(q, 'datastreams.id', page);
}

export function deleteDatastream(db: Kysely<DB>, p: Principal, id: number) {
  return inTransaction(db, async (trx) => {
    const stream = await repo.findStream(trx, p, id);
    if (!stream || !policy.manageMetricHook(p, stream.created_by)) throw notFound('datastream');
    await trx.deleteFrom('datastreams').where(inTenant(p)).where('id', '=', id).execute();
    await recordChange(trx, p, 'datastream.deleted', id, {
      name: stream.name,
      milestone_id: stream.milestone_id,
    });
  });
}
