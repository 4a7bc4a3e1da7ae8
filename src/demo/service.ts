import { randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { DB } from '../db/schema.js';
import { operatorPrincipal } from '../domain/access/principal.js';
import { AppError } from '../domain/errors.js';
import { createApiKey, listApiKeys, setApiKeyStatus } from '../domain/keys/service.js';
import { createOrganization } from '../domain/orgs/service.js';
import { hashPassword } from '../domain/sign-in/password.js';
import { replacePassword } from '../domain/sign-in/sessions.js';
import { inTransaction } from '../domain/transactions.js';
import { seedCalibration } from './calibration.js';
import { castOf } from './cast.js';
import { seedConversations } from './conversations.js';
import { seedFeedback } from './feedback.js';
import { seedGoals } from './goals.js';
import { planDemo } from './plan.js';
import { seededRandom } from './random.js';
import { seedRecognition } from './recognition.js';
import { DEMO_ADMIN, DEMO_ORG } from './roster.js';
import { seedDirectory } from './seed.js';

export interface DemoOrganization {
  orgId: number;
  name: string;
  slug: string;
  adminId: number;
  people: number;
}

/** The prefix of the keys `serve --demo` prints; each start revokes the active ones and makes a new one. */
export const DEMO_KEY_PREFIX = 'demo-';

/**
 * Creates the demo organisation: the organisation and its super admin through the orgs service, then the
 * whole directory (~200 people, departments, groups, teams), the current half's goals, and the people areas
 * (conversations, feedback, recognition, calibration) in one transaction.
 * The initial key that createOrganization returns is revoked, since nobody saw it; rotateDemoKey makes the
 * one to show.
 */
export async function createDemoOrganization(db: Kysely<DB>): Promise<DemoOrganization> {
  const org = await createOrganization(db, {
    name: DEMO_ORG.name,
    slug: DEMO_ORG.slug,
    adminEmail: DEMO_ADMIN.email,
    adminFirstName: DEMO_ADMIN.first_name,
    adminLastName: DEMO_ADMIN.last_name,
  });
  const actor = operatorPrincipal(org.orgId, org.adminId);
  const plan = planDemo();
  const today = new Date().toISOString().slice(0, 10);
  await db.transaction().execute(async (trx) => {
    const ids = await seedDirectory(trx, actor, plan);
    const goals = await seedGoals(trx, actor, plan, ids, today);
    const cast = castOf(actor, plan, ids);
    const rng = seededRandom(plan.people.length * 104_729);
    await seedConversations(trx, actor, cast, goals, today, rng);
    await seedFeedback(trx, actor, cast, today, rng);
    await seedRecognition(trx, actor, cast, goals, today, rng);
    await seedCalibration({ trx, actor, cast, rng }, plan, ids, today);
  });
  await revokeKeys(db, org.orgId, org.adminId, () => true);
  return {
    orgId: org.orgId,
    name: DEMO_ORG.name,
    slug: org.slug,
    adminId: org.adminId,
    people: plan.people.length,
  };
}

async function revokeKeys(db: Kysely<DB>, orgId: number, adminId: number, which: (name: string) => boolean) {
  const actor = operatorPrincipal(orgId, adminId);
  const active = await listApiKeys(db, actor, { user_id: adminId, status: 'active' }, { limit: 100 });
  for (const key of active.rows) {
    if (which(key.name)) await setApiKeyStatus(db, actor, key.id, 'revoked');
  }
}

/** The demo organisation, or undefined when there is none. */
export async function findDemoOrganization(db: Kysely<DB>): Promise<DemoOrganization | undefined> {
  const row = await db
    .selectFrom('organizations')
    .innerJoin('users', (j) =>
      j
        .onRef('users.org_id', '=', 'organizations.org_id')
        .on('users.mode', '=', 'live')
        .on(sql`lower(users.email)`, '=', DEMO_ADMIN.email),
    )
    .select(['organizations.org_id', 'organizations.name', 'organizations.slug', 'users.id as admin_id'])
    .select(
      sql<number>`(select count(*) from users u where u.org_id = organizations.org_id and u.mode = 'live')`.as(
        'people',
      ),
    )
    .where('organizations.slug', '=', DEMO_ORG.slug)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    orgId: row.org_id,
    name: row.name,
    slug: row.slug,
    adminId: row.admin_id,
    people: Number(row.people),
  };
}

/** Revokes the demo admin's earlier demo keys and returns a new live one, so a printed key is always fresh. */
export async function rotateDemoKey(db: Kysely<DB>, org: DemoOrganization) {
  await revokeKeys(db, org.orgId, org.adminId, (name) => name.startsWith(DEMO_KEY_PREFIX));
  const name = `${DEMO_KEY_PREFIX}${new Date().toISOString()}`;
  const { key, plaintext } = await createApiKey(db, operatorPrincipal(org.orgId, org.adminId), {
    user: org.adminId,
    name,
  });
  return { id: key.id, name, key: plaintext };
}

/**
 * Gives the demo admin a new random password, so that the console at `/` can be signed in to straight away;
 * like the key, a new one at every start (their sessions end with the old one).
 */
export async function rotateDemoPassword(db: Kysely<DB>, org: DemoOrganization) {
  const password = randomBytes(12).toString('base64url');
  const hash = await hashPassword(password);
  const actor = operatorPrincipal(org.orgId, org.adminId);
  await inTransaction(db, (trx) => replacePassword(trx, actor, org.adminId, hash, 'demo', new Date()));
  return { email: DEMO_ADMIN.email, password };
}

export type DemoStart =
  | {
      kind: 'ready';
      created: boolean;
      org: DemoOrganization;
      key: { id: number; name: string; key: string };
      signIn: { email: string; password: string };
    }
  | { kind: 'other-organizations' };

/**
 * What `serve --demo` does before listening: create the demo organisation when the database has none at
 * all, then print a fresh key. A database that holds other organisations is left alone.
 */
export async function prepareDemo(db: Kysely<DB>): Promise<DemoStart> {
  let org = await findDemoOrganization(db);
  let created = false;
  if (!org) {
    const any = await db.selectFrom('organizations').select('org_id').limit(1).executeTakeFirst();
    if (any) return { kind: 'other-organizations' };
    try {
      org = await createDemoOrganization(db);
      created = true;
    } catch (error) {
      // Another process started with --demo at the same moment and created it first.
      if (!(error instanceof AppError && error.code === 'duplicate_resource')) throw error;
      org = await findDemoOrganization(db);
      if (!org) throw error;
    }
  }
  const key = await rotateDemoKey(db, org);
  return { kind: 'ready', created, org, key, signIn: await rotateDemoPassword(db, org) };
}
