import type { Kysely } from 'kysely';
import type { DB, Mode } from '../../db/schema.js';
import { authorize, gates, pass, policy } from '../access/policy.js';
import type { Principal } from '../access/principal.js';
import { recordChange } from '../changes.js';
import { AppError, notFound, type UniqueConstraints } from '../errors.js';
import { type PageRequest, paginate } from '../paging.js';
import { findUserByRef } from '../users/repo.js';
import * as repo from './repo.js';
import { generateKey, hashKey } from './secret.js';

/** A key's name is unique in the organisation (migration 0001). */
export const uniqueConstraints: UniqueConstraints = {
  api_keys_name: 'An API key with this name already exists.',
};

export interface CreateKeyInput {
  /** The holder: a user id or email of the live directory. */
  user: string | number;
  name: string;
  mode?: Mode;
}

const TEST_KEYS_ONLY = 'A test key manages test keys only: manage live keys with a live key or the CLI.';

/** Creates a key for a user; the plaintext is returned here once and never stored. */
export async function createApiKey(db: Kysely<DB>, actor: Principal, input: CreateKeyInput) {
  pass(actor, gates.manageApiKeys);
  // A key is made for the mode of the key that asks unless told otherwise: a test key asks for test keys.
  const mode = input.mode ?? actor.mode;
  authorize(policy.manageKeyOfMode(actor, mode), TEST_KEYS_ONLY);
  const plaintext = generateKey(mode);
  const key = await db.transaction().execute(async (trx) => {
    const holder = await findUserByRef(trx, actor.orgId, 'live', input.user);
    if (!holder) throw notFound('user');
    if (holder.status !== 'active') throw new AppError('invalid_operation', 'The user is deactivated.');
    const taken = await trx
      .selectFrom('api_keys')
      .select('id')
      .where('org_id', '=', actor.orgId)
      .where((eb) => eb(eb.fn('lower', ['name']), '=', input.name.toLowerCase()))
      .executeTakeFirst();
    if (taken) throw new AppError('duplicate_resource', `An API key named "${input.name}" already exists.`);
    const inserted = await trx
      .insertInto('api_keys')
      .values({
        org_id: actor.orgId,
        user_id: holder.id,
        mode,
        name: input.name,
        key_hash: hashKey(plaintext),
        last_four: plaintext.slice(-4),
        created_by: actor.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordChange(trx, actor, 'api_key.created', inserted.id, {
      name: input.name,
      user_id: holder.id,
      mode,
    });
    return repo.findKey(trx, actor.orgId, inserted.id);
  });
  if (!key) throw new Error('created key not found');
  return { key, plaintext };
}

export async function setApiKeyStatus(
  db: Kysely<DB>,
  actor: Principal,
  id: number,
  status: 'active' | 'revoked',
) {
  pass(actor, gates.manageApiKeys);
  return db.transaction().execute(async (trx) => {
    const key = await repo.findKey(trx, actor.orgId, id);
    if (!key) throw notFound('API key');
    authorize(policy.manageKeyOfMode(actor, key.mode), TEST_KEYS_ONLY);
    if (key.status !== status) {
      await trx
        .updateTable('api_keys')
        .set({ status, revoked_at: status === 'revoked' ? new Date() : null })
        .where('org_id', '=', actor.orgId)
        .where('id', '=', id)
        .execute();
      await recordChange(trx, actor, status === 'revoked' ? 'api_key.revoked' : 'api_key.reactivated', id, {
        status: { from: key.status, to: status },
      });
    }
    return (await repo.findKey(trx, actor.orgId, id)) ?? key;
  });
}

export interface KeyFilters {
  user_id?: number | undefined;
  mode?: Mode | undefined;
  status?: 'active' | 'revoked' | undefined;
}

export function listApiKeys(db: Kysely<DB>, actor: Principal, f: KeyFilters, page: PageRequest) {
  pass(actor, gates.manageApiKeys);
  const q = repo.listKeys(db, actor.orgId, { userId: f.user_id, mode: f.mode, status: f.status });
  return paginate(q, 'api_keys.id', page);
}

export async function getApiKey(db: Kysely<DB>, actor: Principal, id: number) {
  pass(actor, gates.manageApiKeys);
  const key = await repo.findKey(db, actor.orgId, id);
  if (!key) throw notFound('API key');
  return key;
}
