import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { currentNoticeAcceptance } from '../access/privacy-notice.js';
import type { Tenant } from '../tenant.js';
import { inTenant } from '../tenant.js';

/** What a stream's reads show: never the key hash or the secret. */
export const streamColumns = [
  'datastreams.id',
  'datastreams.mode',
  'datastreams.name',
  'datastreams.created_by',
  'datastreams.milestone_id',
  'datastreams.connector_id',
  'datastreams.key_last_four',
  'datastreams.paused',
  'datastreams.last_used_at',
  'datastreams.last_value',
  'datastreams.last_failure_at',
  'datastreams.last_failure',
  'datastreams.failure_count',
  'datastreams.description',
  'datastreams.data_type',
  'datastreams.frequency',
  'datastreams.category',
  'datastreams.created_at',
  'datastreams.updated_at',
] as const;

export function selectStreams(db: Kysely<DB>, t: Tenant, createdBy?: number) {
  let q = db.selectFrom('datastreams').select(streamColumns).where(inTenant(t));
  if (createdBy !== undefined) q = q.where('datastreams.created_by', '=', createdBy);
  return q;
}

export type StreamRow = NonNullable<
  Awaited<ReturnType<ReturnType<typeof selectStreams>['executeTakeFirst']>>
>;

export const findStream = (db: Kysely<DB>, t: Tenant, id: number) =>
  selectStreams(db, t).where('datastreams.id', '=', id).executeTakeFirst();

/** The receiver's one lookup, by the SHA-256 of the stream key, with the secret and the creator as they are today. */
export function findStreamByKey(db: Kysely<DB>, keyHash: Buffer) {
  return db
    .selectFrom('datastreams as s')
    .innerJoin('users as u', (j) =>
      j.onRef('u.org_id', '=', 's.org_id').on('u.mode', '=', 'live').onRef('u.id', '=', 's.created_by'),
    )
    .select([
      's.org_id',
      's.mode',
      's.id',
      's.name',
      's.created_by',
      's.milestone_id',
      's.connector_id',
      's.paused',
      's.secret',
      'u.role',
      'u.data_admin',
      'u.status as creator_status',
    ])
    .select(currentNoticeAcceptance('s.org_id', 's.created_by'))
    .where('s.key_hash', '=', keyHash)
    .executeTakeFirst();
}

export type ReceivingStream = NonNullable<Awaited<ReturnType<typeof findStreamByKey>>>;

const thisStream = (db: Kysely<DB>, s: ReceivingStream) =>
  db
    .updateTable('datastreams')
    .where('org_id', '=', s.org_id)
    .where('mode', '=', s.mode)
    .where('id', '=', s.id);

export const markUsed = (db: Kysely<DB>, s: ReceivingStream, value: number) =>
  thisStream(db, s).set({ last_used_at: new Date(), last_value: value }).execute();

export const markFailed = (db: Kysely<DB>, s: ReceivingStream, why: string) =>
  thisStream(db, s)
    .set((eb) => ({
      last_failure_at: new Date(),
      last_failure: why.slice(0, 500),
      failure_count: eb('failure_count', '+', 1),
    }))
    .execute();
