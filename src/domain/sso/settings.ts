import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { authorize, gates, pass, policy } from '../access/policy.js';
import type { Principal } from '../access/principal.js';
import { recordChange } from '../changes.js';
import { AppError } from '../errors.js';
import { inTransaction } from '../transactions.js';
import * as repo from './repo.js';
import { issuerProblem, normalizeDomains } from './rules.js';

/** What an admin sends: the secret is write-only, and left as it is when not sent. */
export interface SsoSettingsInput {
  enabled: boolean;
  issuer_url: string;
  client_id: string;
  client_secret?: string | undefined;
  allowed_email_domains?: string[] | undefined;
  jit_provisioning?: boolean | undefined;
  password_sign_in?: boolean | undefined;
}

/** What anyone is shown: never the secret, only whether one is set. */
export interface SsoSettingsView {
  configured: boolean;
  enabled: boolean;
  issuer_url: string | null;
  client_id: string | null;
  client_secret_set: boolean;
  allowed_email_domains: string[];
  jit_provisioning: boolean;
  password_sign_in: boolean;
  updated_at: string | null;
}

const viewOf = (row: repo.SettingsRow | undefined): SsoSettingsView => ({
  configured: Boolean(row),
  enabled: row?.enabled ?? false,
  issuer_url: row?.issuer_url ?? null,
  client_id: row?.client_id ?? null,
  client_secret_set: Boolean(row?.client_secret),
  allowed_email_domains: row?.allowed_email_domains ?? [],
  jit_provisioning: row?.jit_provisioning ?? false,
  password_sign_in: row?.password_sign_in ?? true,
  updated_at: row?.updated_at ?? null,
});

function passSso(p: Principal) {
  pass(p, gates.manageSso);
  authorize(policy.manageSsoInMode(p), 'Single sign-on belongs to live accounts: use a live key.');
}

export async function getSsoSettings(db: Kysely<DB>, p: Principal): Promise<SsoSettingsView> {
  passSso(p);
  return viewOf(await repo.findSettings(db, repo.liveTenant(p.orgId)));
}

/** Replaces the settings (the secret is kept when not sent); the change is recorded, the secret never. */
export async function putSsoSettings(db: Kysely<DB>, p: Principal, input: SsoSettingsInput) {
  passSso(p);
  const problem = issuerProblem(input.issuer_url);
  if (problem) throw new AppError('invalid_parameters', problem);
  const { domains, problem: domainProblem } = normalizeDomains(input.allowed_email_domains ?? []);
  if (domainProblem) throw new AppError('invalid_parameters', domainProblem);
  const t = repo.liveTenant(p.orgId);
  return inTransaction(db, async (trx) => {
    const before = await repo.findSettings(trx, t);
    const values = {
      enabled: input.enabled,
      issuer_url: input.issuer_url.replace(/\/$/, ''),
      client_id: input.client_id,
      client_secret: input.client_secret ?? before?.client_secret ?? '',
      allowed_email_domains: JSON.stringify(domains),
      jit_provisioning: input.jit_provisioning ?? false,
      password_sign_in: input.password_sign_in ?? true,
      updated_by: p.userId,
      updated_at: new Date(),
    };
    await trx
      .insertInto('sso_settings')
      .values({ org_id: p.orgId, ...values })
      .onConflict((c) => c.columns(['org_id', 'mode']).doUpdateSet(values))
      .execute();
    const after = await repo.findSettings(trx, t);
    const changes = changesOf(viewOf(before), viewOf(after));
    const secretChanged = before?.client_secret !== after?.client_secret;
    await recordChange(trx, p, 'sso_settings.updated', p.orgId, {
      ...changes,
      ...(secretChanged && { client_secret_changed: true }),
    });
    return viewOf(after);
  });
}

/** The fields that changed, from and to; the secret appears only as client_secret_set. */
function changesOf(before: SsoSettingsView, after: SsoSettingsView) {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(after) as (keyof SsoSettingsView)[]) {
    if (key === 'updated_at') continue;
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key]))
      changes[key] = { from: before[key], to: after[key] };
  }
  return changes;
}
