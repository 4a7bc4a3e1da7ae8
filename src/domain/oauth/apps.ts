import type { Kysely } from 'kysely';
import type { DB, OAuthAppKind } from '../../db/schema.js';
import { gates, pass } from '../access/policy.js';
import type { Principal } from '../access/principal.js';
import { recordChange } from '../changes.js';
import { AppError, notFound, type UniqueConstraints } from '../errors.js';
import { type PageRequest, paginate } from '../paging.js';
import { inTenant } from '../tenant.js';
import { inTransaction } from '../transactions.js';
import * as repo from './repo.js';
import { DEFAULT_ROTATION_OVERLAP_S, redirectUriProblem } from './rules.js';
import { hashSecret, newClientHash, newClientId } from './secret.js';

/** An app's name is unique among the organisation's apps in force, per mode (migration 0013). */
export const uniqueConstraints: UniqueConstraints = {
  oauth_apps_name: 'An OAuth app with this name already exists.',
};

export interface AppFields {
  name?: string | undefined;
  description?: string | undefined;
  logo_url?: string | null | undefined;
  redirect_uris?: string[] | undefined;
  contact_email?: string | undefined;
}
export interface NewApp extends AppFields {
  name: string;
  redirect_uris: string[];
  contact_email: string;
  kind: OAuthAppKind;
}

/** Refuses redirect URIs that could not be matched safely, and a logo that is not an https URL. */
function checkFields(fields: AppFields) {
  fields.redirect_uris?.forEach((uri, i) => {
    const problem = redirectUriProblem(uri);
    if (problem) throw new AppError('invalid_redirect_uri', `redirect_uris/${i} ${problem}.`);
  });
  if (fields.redirect_uris && new Set(fields.redirect_uris).size !== fields.redirect_uris.length)
    throw new AppError('invalid_parameters', 'redirect_uris lists the same URI twice.');
  if (fields.logo_url && !fields.logo_url.startsWith('https://'))
    throw new AppError('invalid_parameters', 'logo_url must be an https URL.');
}

async function refuseTakenName(db: Kysely<DB>, p: Principal, name: string, except?: number) {
  let q = repo.selectApps(db, p).where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()));
  if (except !== undefined) q = q.where('id', '!=', except);
  if (await q.executeTakeFirst())
    throw new AppError('duplicate_resource', `An OAuth app named "${name}" already exists.`);
}

/** Registers an app in the caller's mode; a confidential app's client hash is returned here once. */
export async function createOAuthApp(db: Kysely<DB>, actor: Principal, input: NewApp) {
  pass(actor, gates.manageOAuthApps);
  checkFields(input);
  const clientHash = input.kind === 'confidential' ? newClientHash() : null;
  const app = await inTransaction(db, async (trx) => {
    await refuseTakenName(trx, actor, input.name);
    const { id } = await trx
      .insertInto('oauth_apps')
      .values({
        org_id: actor.orgId,
        mode: actor.mode,
        name: input.name,
        description: input.description ?? '',
        logo_url: input.logo_url ?? null,
        redirect_uris: JSON.stringify(input.redirect_uris),
        contact_email: input.contact_email,
        kind: input.kind,
        client_id: newClientId(),
        secret_hash: clientHash ? hashSecret(clientHash) : null,
        created_by: actor.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordChange(trx, actor, 'oauth_app.created', id, { name: input.name, kind: input.kind });
    return repo.findApp(trx, actor, id);
  });
  if (!app) throw new Error('created app not found');
  return { app, clientHash };
}

export function listOAuthApps(db: Kysely<DB>, actor: Principal, page: PageRequest) {
  pass(actor, gates.manageOAuthApps);
  return paginate(repo.selectApps(db, actor), 'oauth_apps.id', page);
}

export async function getOAuthApp(db: Kysely<DB>, actor: Principal, id: number) {
  pass(actor, gates.manageOAuthApps);
  const app = await repo.findApp(db, actor, id);
  if (!app) throw notFound('OAuth app');
  return app;
}

export async function updateOAuthApp(db: Kysely<DB>, actor: Principal, id: number, fields: AppFields) {
  pass(actor, gates.manageOAuthApps);
  checkFields(fields);
  return inTransaction(db, async (trx) => {
    const app = await repo.findApp(trx, actor, id);
    if (!app) throw notFound('OAuth app');
    if (fields.name !== undefined) await refuseTakenName(trx, actor, fields.name, id);
    const { redirect_uris, ...plain } = fields;
    await trx
      .updateTable('oauth_apps')
      .set({
        ...plain,
        ...(redirect_uris && { redirect_uris: JSON.stringify(redirect_uris) }),
        updated_at: new Date(),
      })
      .where('org_id', '=', actor.orgId)
      .where('mode', '=', actor.mode)
      .where('id', '=', id)
      .execute();
    await recordChange(trx, actor, 'oauth_app.updated', id, { fields: Object.keys(fields).sort() });
    return (await repo.findApp(trx, actor, id)) ?? app;
  });
}

/**
 * A new client hash, returned once. The one it replaces keeps working for `overlapSeconds` (a day unless
 * told; 0 ends it at once), so that an app's servers can be given the new one without an outage.
 */
export async function rotateClientHash(
  db: Kysely<DB>,
  actor: Principal,
  id: number,
  overlapSeconds = DEFAULT_ROTATION_OVERLAP_S,
  now = Date.now(),
) {
  pass(actor, gates.manageOAuthApps);
  const clientHash = newClientHash();
  const app = await inTransaction(db, async (trx) => {
    const found = await trx
      .selectFrom('oauth_apps')
      .select(['kind', 'secret_hash'])
      .where(inTenant(actor))
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .forUpdate()
      .executeTakeFirst();
    if (!found) throw notFound('OAuth app');
    if (found.kind === 'public')
      throw new AppError('invalid_operation', 'A public app has no client hash to rotate.');
    await trx
      .updateTable('oauth_apps')
      .set({
        secret_hash: hashSecret(clientHash),
        previous_secret_hash: overlapSeconds > 0 ? found.secret_hash : null,
        previous_secret_expires_at: overlapSeconds > 0 ? new Date(now + overlapSeconds * 1000) : null,
        updated_at: new Date(now),
      })
      .where(inTenant(actor))
      .where('id', '=', id)
      .execute();
    await recordChange(trx, actor, 'oauth_app.client_hash_rotated', id, { overlap_seconds: overlapSeconds });
    return repo.findApp(trx, actor, id);
  });
  if (!app) throw new Error('rotated app not found');
  return { app, clientHash };
}

/** Deletes an app: its client id stops working and every token it was given is revoked, at once. */
export async function deleteOAuthApp(db: Kysely<DB>, actor: Principal, id: number, now = Date.now()) {
  pass(actor, gates.manageOAuthApps);
  await inTransaction(db, async (trx) => {
    const app = await repo.findApp(trx, actor, id);
    if (!app) throw notFound('OAuth app');
    const at = new Date(now);
    await trx
      .updateTable('oauth_apps')
      .set({ revoked_at: at })
      .where(inTenant(actor))
      .where('id', '=', id)
      .execute();
    const tokens = await repo.revokeTokens(trx, actor, { appId: id }, at);
    await recordChange(trx, actor, 'oauth_app.deleted', id, { name: app.name, tokens_revoked: tokens });
  });
}
